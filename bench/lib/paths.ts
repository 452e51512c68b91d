import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `bench/lib/paths.ts`). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `bench/` itself. */
export const benchDir = path.join(repoRoot, 'bench');

/** The read-only shared data folder: `$NEWSRAG_SHARED_DIR`, else `../shared` beside the repo. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.NEWSRAG_SHARED_DIR;
  return override ? path.resolve(override) : path.resolve(repoRoot, '../shared');
}

/** Every input the benchmark reads. */
export interface BenchInputs {
  seedsDir: string;
  bbcDir: string;
  seedQuestions: string;
  bbcQuestions: string;
}

/** Where the inputs are, checked to exist (the error names the missing path and the variable to set). */
export function benchInputs(env: NodeJS.ProcessEnv = process.env): BenchInputs {
  const shared = sharedDir(env);
  const inputs: BenchInputs = {
    seedsDir: path.join(repoRoot, 'data/articles'),
    bbcDir: path.join(shared, 'corpora/bbc'),
    seedQuestions: path.join(repoRoot, 'data/eval/seed-questions.dev.jsonl'),
    bbcQuestions: path.join(shared, 'eval/bbc-questions.dev.jsonl'),
  };
  for (const [name, p] of Object.entries(inputs)) {
    if (!existsSync(p)) {
      throw new Error(
        `bench input ${name} not found at ${p}. Set NEWSRAG_SHARED_DIR to the shared data folder (it holds corpora/ and eval/).`,
      );
    }
  }
  return inputs;
}
