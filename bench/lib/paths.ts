import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sharedDir } from '@newsrag/test-support';

/** The repository root. */
export const repoRoot = REPO_ROOT;

/** `bench/` itself. */
export const benchDir = path.join(repoRoot, 'bench');

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
