import { botSection } from './bot.js';
import { embeddingSection } from './embedding.js';
import { indexingSection } from './indexing.js';
import { ingestSection } from './ingest.js';
import { latencySection } from './latency.js';
import { memorySection } from './memory.js';
import { peersSection } from './peers.js';
import { postgresSection } from './postgres.js';
import { qualitySection } from './quality.js';
import { scaleSection } from './scale.js';
import type { Section } from './section.js';
import { storeSection } from './store.js';
import { syndicationSection } from './syndication.js';

/** Every section, in the order they run (later ones reuse the indexes earlier ones built). */
export const SECTIONS: readonly Section[] = [
  embeddingSection,
  indexingSection,
  latencySection,
  qualitySection,
  peersSection,
  memorySection,
  botSection,
  scaleSection,
  ingestSection,
  syndicationSection,
  storeSection,
  postgresSection,
];
