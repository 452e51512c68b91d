import type { BenchContext } from '../lib/context.js';
import type { FloorCheck } from '../lib/floors.js';

/** What a section reports. */
export interface SectionResult {
  /** Markdown (tables and short notes) for the report. */
  markdown: string;
  floors: FloorCheck[];
  /** Everything measured, for `bench/results/latest.json`. */
  data: unknown;
}

/** One part of the benchmark. */
export interface Section {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}
