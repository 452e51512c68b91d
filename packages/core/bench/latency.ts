/**
 * Warm query latency of `answer()` per stage, at the BBC+seeds haystack (~10.9k chunks) and
 * at synthesized 25k / 100k-chunk indexes, with the `standin` model. Prints tables; asserts
 * nothing. The floors: p95 ≤ 30 ms at 25k and ≤ 100 ms at 100k chunks, all stages included.
 *
 *   npx tsx packages/core/bench/latency.ts [--hay /tmp/hay/.newsrag] [--sizes 25000,100000]
 *                                          [--work /tmp/newsrag-latency] [--rebuild]
 *
 * The haystack must exist (`node packages/core/dist/cli.js --index-dir /tmp/hay/.newsrag
 * --model standin index /tmp/hay/corpus`). Larger indexes are written once through
 * `FolderIndexStore.write` into `--work` and reused: their articles are copies of haystack
 * articles (real BBC chunk texts) and their vectors the real vectors plus Gaussian noise
 * (σ = 0.02 per dimension), renormalised, so near-duplicate copies do not tie exactly.
 *
 * Both CPU time (`process.cpuUsage`, this process only; the machine is shared, so it is the
 * fairer number) and wall time are reported. "before" columns re-run the stages as they were:
 * the JS dense loop, MiniSearch `search` for BM25, one search per question word for IDF, and
 * embedding every candidate sentence of the old 8-passage pool without a cache.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { BBC_DEV, prng, SEED_DEV } from '@newsrag/test-support';
import { ANSWER_POOL, answerWithTrace } from '../src/answer/answer.js';
import { candidateSentences } from '../src/answer/candidates.js';
import { type EvalQuestion, readQuestions } from '../src/eval/questions.js';
import { normalizeForScoring } from '../src/eval/score.js';
import { questionIdf } from '../src/retrieve/idf.js';
import { resolveSearchOptions } from '../src/retrieve/options.js';
import { cutCandidates, retrieveCandidates } from '../src/retrieve/search.js';
import { lexicalQuery } from '../src/retrieve/terms.js';
import { FolderIndexStore } from '../src/store/folder-store.js';
import type { FolderIndexReader } from '../src/store/reader.js';
import { TopK } from '../src/store/topk.js';
import type { ArticleUpsert, IndexReader, ScoredChunk } from '../src/types.js';

const { values: args } = parseArgs({
  options: {
    hay: { type: 'string', default: '/tmp/hay/.newsrag' },
    sizes: { type: 'string', default: '25000,100000' },
    work: { type: 'string', default: '/tmp/newsrag-latency' },
    rebuild: { type: 'boolean', default: false },
  },
});

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU and wall milliseconds of `f`. */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; cpu: number; wall: number }> {
  const c = cpuNow();
  const w = performance.now();
  const value = await f();
  return { value, cpu: cpuNow() - c, wall: performance.now() - w };
}

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(6);

// ---- the stages as they were before this change, for the "before" columns ----

/** The former `denseSearch` loop: f64 query, 8 scalar accumulators, a k-heap. */
function legacyDense(reader: FolderIndexReader, q: Float32Array, k: number): ScoredChunk[] {
  const m = reader.matrix();
  const d = q.length;
  const rows = reader.chunkCount;
  const qq = Float64Array.from(q);
  const d8 = d - (d % 8);
  const top = new TopK(k);
  let threshold = top.threshold;
  for (let r = 0, base = 0; r < rows; r++, base += d) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    let j = 0;
    for (; j < d8; j += 8) {
      const b = base + j;
      s0 += (qq[j] as number) * (m[b] as number);
      s1 += (qq[j + 1] as number) * (m[b + 1] as number);
      s2 += (qq[j + 2] as number) * (m[b + 2] as number);
      s3 += (qq[j + 3] as number) * (m[b + 3] as number);
      s4 += (qq[j + 4] as number) * (m[b + 4] as number);
      s5 += (qq[j + 5] as number) * (m[b + 5] as number);
      s6 += (qq[j + 6] as number) * (m[b + 6] as number);
      s7 += (qq[j + 7] as number) * (m[b + 7] as number);
    }
    for (; j < d; j++) s0 += (qq[j] as number) * (m[base + j] as number);
    const s = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    if (s >= threshold) {
      top.push(r, s);
      threshold = top.threshold;
    }
  }
  return top.result();
}

/** The former `lexicalSearch`: MiniSearch `search` over every match, then the first k. */
function legacyLexical(reader: FolderIndexReader, query: string, k: number): number {
  return reader
    .bm25Index()
    .search(query, { combineWith: 'OR', filter: () => true })
    .slice(0, k).length;
}

/** The reader without `documentFrequency`: `questionIdf` then runs one search per word, as before. */
function searchOnly(reader: FolderIndexReader): IndexReader {
  return {
    manifest: reader.manifest,
    articleCount: reader.articleCount,
    chunkCount: reader.chunkCount,
    article: (id) => reader.article(id),
    articles: () => reader.articles(),
    chunk: (row) => reader.chunk(row),
    denseSearch: (q, k, f) => reader.denseSearch(q, k, f),
    lexicalSearch: (q, k) =>
      reader
        .bm25Index()
        .search(q, { combineWith: 'OR' })
        .slice(0, k)
        .map(() => ({ row: 0, score: 0 })),
    vector: (row) => reader.vector(row),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 25));

// ---- synthesis of larger indexes ----

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

async function synthesize(base: FolderIndexReader, target: number, dir: string): Promise<FolderIndexReader> {
  const store = new FolderIndexStore(dir);
  if (!args.rebuild && existsSync(join(dir, 'CURRENT'))) {
    const r = await store.open();
    if (r && r.chunkCount >= target) return r as FolderIndexReader;
  }
  const rng = prng(target);
  const d = base.manifest.dimensions;
  const articles = base.articles();
  const upserts: ArticleUpsert[] = [];
  let rows = 0;
  for (let copy = 0; rows < target; copy++) {
    for (const a of articles) {
      if (rows >= target) break;
      const { first, count } = base.rowsOf(a.id);
      if (count === 0) continue;
      const id = copy === 0 ? a.id : `${a.id}~${copy}`;
      const chunks = [];
      const vectors = new Float32Array(count * d);
      for (let i = 0; i < count; i++) {
        const c = base.chunk(first + i);
        chunks.push({ ...c, id: copy === 0 ? c.id : `${c.id}~${copy}`, articleId: id });
        const v = base.vector(first + i);
        let norm = 0;
        for (let j = 0; j < d; j++) {
          const x = (v[j] as number) + (copy === 0 ? 0 : 0.02 * gaussian(rng));
          vectors[i * d + j] = x;
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (let j = 0; j < d; j++) vectors[i * d + j] = (vectors[i * d + j] as number) / norm;
      }
      upserts.push({
        record: { ...a, id, path: `${a.path}~${copy}`, hash: `${a.hash}~${copy}`, chunkCount: count },
        chunks,
        vectors,
      });
      rows += count;
    }
  }
  const t = performance.now();
  const reader = (await store.write({
    fingerprint: base.manifest.fingerprint,
    fingerprintId: base.manifest.fingerprintId,
    dimensions: d,
    upserts,
    removals: [],
  })) as FolderIndexReader;
  console.log(`synthesized ${reader.chunkCount} chunks in ${dir} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  return reader;
}

// ---- measurement ----

interface Row {
  label: string;
  cpu: number[];
  wall: number[];
}

function stageRow(label: string): Row {
  return { label, cpu: [], wall: [] };
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(`${'stage'.padEnd(34)}  cpu p50 cpu p95  wall p50 wall p95`);
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(34)}  ${fmt(pct(r.cpu, 0.5))}  ${fmt(pct(r.cpu, 0.95))}    ${fmt(pct(r.wall, 0.5))}   ${fmt(pct(r.wall, 0.95))}`,
    );
  }
}

function quoteHit(q: EvalQuestion, quote: string | undefined): boolean {
  if (!q.answerable || q.answers.length === 0 || quote === undefined) return false;
  const t = normalizeForScoring(quote);
  return q.answers.some((a) => t.includes(normalizeForScoring(a)));
}

async function measure(reader: FolderIndexReader, embedder: Embedder, questions: EvalQuestion[]): Promise<void> {
  const n = reader.chunkCount;
  const opts = resolveSearchOptions({});
  const legacy = searchOnly(reader);
  // Warm up: JIT, the lexical scorer's arrays, onnxruntime's first runs.
  for (const q of questions.slice(0, 5)) await answerWithTrace(reader, embedder, `${q.question} warm-up`);

  const total = stageRow('answer() total, after');
  const answerEmbed = stageRow('answer(): embedMs (question+sent.)');
  const answerSearch = stageRow('answer(): searchMs');
  const answerRest = stageRow('answer(): answerMs');
  const embedQ = stageRow('embed question');
  const dense = stageRow('dense top-50, after (wasm SIMD)');
  const denseOld = stageRow('dense top-50, before (JS)');
  const lex = stageRow('BM25 top-50, after');
  const lexOld = stageRow('BM25 top-50, before (search)');
  const idf = stageRow('IDF, after (doc. frequencies)');
  const idfOld = stageRow('IDF, before (a search per word)');
  const retrieve = stageRow('retrieve all (fuse, rerank, dedupe)');
  const sentOld = stageRow('sentence embedding, before');
  let quotes = 0;
  let answerable = 0;
  for (const q of questions) {
    await settle();
    const a = await timed(() => answerWithTrace(reader, embedder, q.question));
    total.cpu.push(a.cpu);
    total.wall.push(a.wall);
    // These three come from answer()'s own timings (wall only).
    answerEmbed.wall.push(a.value.answer.timings.embedMs);
    answerSearch.wall.push(a.value.answer.timings.searchMs);
    answerRest.wall.push(a.value.answer.timings.answerMs);
    if (q.answerable && q.answers.length > 0) {
      answerable++;
      if (!a.value.answer.abstained && quoteHit(q, a.value.answer.citations[0]?.quote)) quotes++;
    }
    const v = await timed(() => embedder.embedQuery(q.question));
    embedQ.cpu.push(v.cpu);
    embedQ.wall.push(v.wall);
    // onnxruntime's worker threads spin for a moment after a run and that counts as this
    // process's CPU time; let them settle so the store stages' CPU is their own.
    await settle();
    const lq = lexicalQuery(q.question);
    for (const [row, f] of [
      [dense, () => reader.denseSearch(v.value, 50)],
      [denseOld, () => legacyDense(reader, v.value, 50)],
      [lex, () => reader.lexicalSearch(lq, 50)],
      [lexOld, () => legacyLexical(reader, lq, 50)],
      [idf, () => questionIdf(reader, q.question)],
      [idfOld, () => questionIdf(legacy, q.question)],
    ] as [Row, () => unknown][]) {
      const t = await timed(f);
      row.cpu.push(t.cpu);
      row.wall.push(t.wall);
    }
    const r = await timed(() => retrieveCandidates(reader, embedder, q.question, opts));
    retrieve.cpu.push(r.cpu);
    retrieve.wall.push(r.wall);
    // The former answer stage embedded every sentence of the best 8 passages (3 per article).
    const pool = cutCandidates(r.value.candidates, Math.max(opts.perArticleCap, 3), 8);
    const texts = candidateSentences(pool, 8).map((c) => c.text);
    const s = await timed(() => embedder.embedDocuments(texts));
    sentOld.cpu.push(s.cpu);
    sentOld.wall.push(s.wall);
  }
  const rowsPerMs = (ms: number) => (n / ms).toFixed(0);
  const rate = (r: Row) => `${rowsPerMs(pct(r.cpu, 0.5))} (CPU) / ${rowsPerMs(pct(r.wall, 0.5))} (wall)`;
  printTable(`${n} chunks (${questions.length} dev questions, warm; pool ${ANSWER_POOL.passages} passages)`, [
    total,
    answerEmbed,
    answerSearch,
    answerRest,
    embedQ,
    dense,
    denseOld,
    lex,
    lexOld,
    idf,
    idfOld,
    retrieve,
    sentOld,
  ]);
  console.log(
    `dense rows/ms at p50: wasm ${rate(dense)}, JS ${rate(denseOld)}; ` +
      `quotes containing an expected answer: ${quotes}/${answerable}`,
  );
}

const embedder = await createEmbedder({ model: 'standin' });
try {
  const base = (await new FolderIndexStore(args.hay).open()) as FolderIndexReader | null;
  if (!base) throw new Error(`no index at ${args.hay}; build the haystack first (see the header of this file)`);
  const questions = [...(await readQuestions(SEED_DEV)), ...(await readQuestions(BBC_DEV))];
  console.log(`node ${process.version}; ${questions.length} questions; haystack ${args.hay}`);
  await measure(base, embedder, questions);
  for (const size of args.sizes
    .split(',')
    .map(Number)
    .filter((x) => x > 0)) {
    const reader = await synthesize(base, size, join(args.work, String(size), '.newsrag'));
    await measure(reader, embedder, questions);
  }
} finally {
  await embedder.dispose();
}
