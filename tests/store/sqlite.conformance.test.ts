import { describeIndexStoreConformance } from './conformance.js';
import { engine } from './engines.js';

describeIndexStoreConformance(engine('sqlite'));
