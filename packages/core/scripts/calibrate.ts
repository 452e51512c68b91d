/**
 * Prints the confidence (and its features) of every question of a dev set, so the
 * abstention thresholds in `answer/thresholds.ts` can be chosen reproducibly.
 *
 *   npx tsx packages/core/scripts/calibrate.ts [--model standin] [--dtype fp32|q8] [--articles data/articles]
 *       [--questions data/eval/seed-questions.dev.jsonl] [--index-dir DIR] [--mode hybrid]
 *
 * Builds (or reuses, when `--index-dir` already holds one) an index of `--articles`,
 * answers every question with the threshold disabled, prints one line per question and
 * a suggested threshold: halfway between the highest unanswerable confidence and the
 * next answerable confidence above it, and the answered share that threshold keeps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbedder } from '@newsrag/embed';
import { SEED_DEV } from '@newsrag/test-support';
import { answerWithTrace } from '../src/answer/answer.js';
import { calibrationFor } from '../src/answer/thresholds.js';
import { readQuestions } from '../src/eval/questions.js';
import { firstHitRank, normalizeForScoring } from '../src/eval/score.js';
import { runIndex } from '../src/indexer.js';
import { FolderIndexStore } from '../src/store/folder-store.js';
import type { SearchMode } from '../src/types.js';

/** A suggested threshold from confidences of answerable and unanswerable questions. */
export function suggestThreshold(
  answerable: readonly number[],
  unanswerable: readonly number[],
): { threshold: number; answeredRate: number } {
  const top = unanswerable.length > 0 ? Math.max(...unanswerable) : 0;
  const above = answerable.filter((c) => c > top);
  const next = above.length > 0 ? Math.min(...above) : top;
  const threshold = (top + next) / 2;
  return {
    threshold,
    answeredRate: answerable.length === 0 ? 0 : answerable.filter((c) => c >= threshold).length / answerable.length,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'standin' },
      dtype: { type: 'string', default: 'fp32' },
      articles: { type: 'string', default: 'data/articles' },
      questions: { type: 'string', default: SEED_DEV },
      'index-dir': { type: 'string' },
      mode: { type: 'string', default: 'hybrid' },
      k: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
  });
  const questions = await readQuestions(values.questions);
  if (values.dtype !== 'fp32' && values.dtype !== 'q8')
    throw new Error(`--dtype must be fp32 or q8, got ${values.dtype}`);
  const embedder = await createEmbedder({ model: values.model, dtype: values.dtype });
  const tmp = values['index-dir'] ? null : await mkdtemp(join(tmpdir(), 'newsrag-calibrate-'));
  const dir = values['index-dir'] ?? join(tmp as string, 'index');
  try {
    const store = new FolderIndexStore(dir);
    let reader = await store.open();
    if (!reader) {
      const t0 = performance.now();
      reader = (await runIndex({ store, embedder, paths: [values.articles] })).reader;
      console.log(`indexed ${values.articles} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (!reader) throw new Error(`nothing indexed from ${values.articles}`);
    const current = calibrationFor(embedder.fingerprint);
    console.log(
      `model ${embedder.fingerprint.modelId}: ${reader.articleCount} articles, ${reader.chunkCount} chunks; current threshold ${current.minConfidence}`,
    );
    console.log('id        ans  conf   cos   sCov  pCov  agree nameC artC  hit  quote-ok  answer   (cos = raw cosine)');
    const conf = { answerable: [] as number[], unanswerable: [] as number[] };
    let quoteOk = 0;
    const totals: number[] = [];
    for (const q of questions) {
      const { answer: a, features } = await answerWithTrace(reader, embedder, q.question, {
        mode: values.mode as SearchMode,
        k: Number(values.k),
        minConfidence: 0,
      });
      (q.answerable ? conf.answerable : conf.unanswerable).push(a.confidence);
      totals.push(a.timings.totalMs);
      const rank = firstHitRank(q, a.passages);
      const text = normalizeForScoring(a.answer ?? '');
      const ok = q.answerable && q.answers.some((x) => text.includes(normalizeForScoring(x)));
      if (ok) quoteOk++;
      if (values.json) {
        console.log(
          JSON.stringify({
            id: q.id,
            answerable: q.answerable,
            confidence: a.confidence,
            features,
            hitRank: rank,
            quoteOk: ok,
          }),
        );
        continue;
      }
      const f = (x: number | undefined) => (x ?? 0).toFixed(2).padStart(5);
      console.log(
        `${q.id.padEnd(9)} ${q.answerable ? 'yes' : 'NO '} ${f(a.confidence)} ${f(features?.rawCosine)} ${f(features?.sentenceCoverage)} ${f(features?.passageCoverage)} ${f(features?.agreement)} ${f(features?.nameCoverage)} ${f(features?.articleCoverage)}  ${String(rank ?? '-').padStart(3)}  ${ok ? 'yes' : q.answerable ? 'no ' : '   '}  ${(a.answer ?? '').slice(0, 110).replace(/\n/g, ' ')}`,
      );
    }
    const s = suggestThreshold(conf.answerable, conf.unanswerable);
    totals.sort((x, y) => x - y);
    const pct = (p: number) => (totals[Math.min(totals.length - 1, Math.floor(p * totals.length))] ?? 0).toFixed(0);
    console.log(
      `\nquotes containing an expected answer: ${quoteOk}/${conf.answerable.length}\n` +
        `unanswerable max ${Math.max(...conf.unanswerable).toFixed(3)}; answerable min ${Math.min(...conf.answerable).toFixed(3)}\n` +
        `suggested threshold ${s.threshold.toFixed(3)} (answers ${(s.answeredRate * 100).toFixed(0)}% of answerable)\n` +
        `answer time per question: median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${pct(1)} ms`,
    );
  } finally {
    await embedder.dispose();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exit(1);
  });
}
