/**
 * Shared set-up of the quality tests: a real embedder and a real folder index in a
 * temporary directory, built with `runIndex`, and evaluation in the three retrieval modes.
 */
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Article,
  type EvalQuestion,
  type EvalReport,
  evaluate,
  FolderIndexStore,
  type IndexReader,
  readArticles,
  runIndex,
  type SearchMode,
} from '@newsrag/core';
import { formatReport } from '@newsrag/core/internals';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { BBC_CORPUS, REAL_MODEL, SEED_ARTICLES } from '@newsrag/test-support';

/** An index of a corpus with the embedder that built it; `close()` removes the temp dir. */
export interface Fixture {
  reader: IndexReader;
  embedder: Embedder;
  /** Article texts by id, as the reader read them (for checking quotes). */
  texts: Map<string, string>;
  corpus: string;
  indexSeconds: number;
  close(): Promise<void>;
}

/**
 * Builds a corpus folder in a temp dir: the seed articles at the root and, with `bbc`, the
 * BBC corpus under `bbc/` (symlinked, read-only), so ids are `<seed id>` and `bbc/<topic>/<NNN>`.
 */
async function makeCorpus(root: string, bbc: boolean): Promise<string> {
  const corpus = path.join(root, 'corpus');
  await mkdir(corpus);
  for (const name of await readdir(SEED_ARTICLES)) {
    if (name.endsWith('.txt')) await symlink(path.join(SEED_ARTICLES, name), path.join(corpus, name));
  }
  if (bbc) {
    await mkdir(path.join(corpus, 'bbc'));
    for (const topic of ['business', 'entertainment', 'politics', 'sport', 'tech']) {
      await symlink(path.join(BBC_CORPUS, topic), path.join(corpus, 'bbc', topic));
    }
  }
  return corpus;
}

/**
 * Indexes the seeds (and the BBC corpus with `bbc`) with `model` (default the real
 * all-MiniLM-L6-v2 that the test set-up put in the cache; `standin` for the stand-in's own tests).
 */
export async function buildFixture(options: { bbc: boolean; model?: string; dtype?: 'fp32' | 'q8' }): Promise<Fixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'newsrag-quality-'));
  const embedder = await createEmbedder({
    model: options.model ?? REAL_MODEL,
    dtype: options.dtype ?? 'fp32',
    allowRemote: false,
  });
  try {
    const corpus = await makeCorpus(root, options.bbc);
    const store = new FolderIndexStore(path.join(root, 'index'));
    const t0 = performance.now();
    const { reader, summary } = await runIndex({ store, embedder, paths: [corpus], followExternalSymlinks: true });
    const indexSeconds = (performance.now() - t0) / 1000;
    if (!reader) throw new Error(`nothing indexed from ${corpus}: ${JSON.stringify(summary.issues.slice(0, 3))}`);
    const { articles } = await readArticles([corpus], { followExternalSymlinks: true });
    const texts = new Map(articles.map((a: Article) => [a.id, a.text]));
    return {
      reader,
      embedder,
      texts,
      corpus,
      indexSeconds,
      async close() {
        await embedder.dispose();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await embedder.dispose();
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/** Evaluates `questions` in each mode and prints one line per mode. */
export async function evaluateModes(
  fixture: Fixture,
  label: string,
  questions: readonly EvalQuestion[],
  modes: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'],
): Promise<Record<SearchMode, EvalReport>> {
  const out: Partial<Record<SearchMode, EvalReport>> = {};
  for (const mode of modes) {
    const report = await evaluate({ reader: fixture.reader, embedder: fixture.embedder, questions, mode });
    console.log(formatReport(label, report));
    const misses = report.perQuestion.filter((q) => q.answerable && q.firstHitRank !== 1);
    console.log(`  not first: ${misses.map((q) => `${q.id}@${q.firstHitRank ?? '-'}`).join(' ') || 'none'}`);
    out[mode] = report;
  }
  return out as Record<SearchMode, EvalReport>;
}
