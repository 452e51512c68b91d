/**
 * SIGKILL a real `runIndex` child process at instrumented moments of a store write
 * (NEWSRAG_TEST_KILL_AT, see packages/core/src/store/kill-point.ts) and at seeded
 * random delays. After every kill the index must open, pass check(), answer exactly
 * as the generation CURRENT names (the old one, or the new one if the switch
 * happened), and the next runIndex must complete (recovering the dead writer's lock).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FolderIndexStore, type IndexReader, runIndex } from '@newsrag/core';
import { KILL_POINT_ENV, KILL_POINT_MARKER, type KillPoint } from '@newsrag/core/internals';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { BBC_CORPUS, prng } from '@newsrag/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BBC = BBC_CORPUS;
const TOPICS = ['business', 'entertainment', 'politics', 'sport', 'tech'];
const BASE_PER_TOPIC = 50;
const POOL_PER_TOPIC = 10;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./index-worker.ts', import.meta.url));

let embedder: Embedder;
let root: string;
let corpus: string;
let indexDir: string;
/** BBC files not yet in the corpus, added a few per scenario. */
const pool: { src: string; name: string }[] = [];
let scenario = 0;
const QUERIES = ['oil prices and the economy', 'film awards ceremony', 'mobile phone technology', 'election campaign'];
const queryVectors: Float32Array[] = [];

beforeAll(async () => {
  embedder = await createEmbedder({ model: 'standin' });
  for (const q of QUERIES) queryVectors.push(await embedder.embedQuery(q));
  root = await mkdtemp(join(tmpdir(), 'newsrag-crash-'));
  corpus = join(root, 'articles');
  indexDir = join(root, 'index');
  await mkdir(corpus);
  for (const topic of TOPICS) {
    const files = (await readdir(join(BBC, topic))).filter((f) => f.endsWith('.txt')).sort();
    for (const [i, f] of files.slice(0, BASE_PER_TOPIC + POOL_PER_TOPIC).entries()) {
      const entry = { src: join(BBC, topic, f), name: `${topic}-${f}` };
      if (i < BASE_PER_TOPIC) await copyFile(entry.src, join(corpus, entry.name));
      else pool.push(entry);
    }
  }
  const first = await runIndex({ store: new FolderIndexStore(indexDir), embedder, paths: [corpus] });
  expect(first.summary.added).toBe(TOPICS.length * BASE_PER_TOPIC);
}, 180_000);

afterAll(async () => {
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

/** What a reader answers to the fixed queries: chunk ids and scores, dense and BM25. */
function answers(reader: IndexReader): string {
  const out: string[] = [];
  QUERIES.forEach((q, i) => {
    const dense = reader.denseSearch(queryVectors[i] as Float32Array, 10);
    const lexical = reader.lexicalSearch(q, 10);
    out.push(dense.map((h) => `${reader.chunk(h.row).id}:${h.score.toFixed(6)}`).join(' '));
    out.push(lexical.map((h) => `${reader.chunk(h.row).id}:${h.score.toFixed(6)}`).join(' '));
  });
  return out.join('\n');
}

async function openChecked(): Promise<IndexReader> {
  const store = new FolderIndexStore(indexDir);
  const reader = await store.open();
  if (!reader) throw new Error('no index after the kill');
  const report = await store.check();
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  return reader;
}

/** Pending changes for the next run: 3 articles edited, 5 added from the pool. */
async function stageChanges(): Promise<void> {
  scenario++;
  const names = (await readdir(corpus)).sort();
  for (let i = 0; i < 3; i++) {
    const name = names[(scenario * 7 + i * 31) % names.length] as string;
    await appendFile(join(corpus, name), `\n\nCrash scenario ${scenario} noted a crashword${scenario} here.\n`);
  }
  for (const entry of pool.splice(0, 5)) await copyFile(entry.src, join(corpus, entry.name));
}

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startWorker(killAt?: KillPoint): Child {
  const env = { ...process.env };
  if (killAt) env[KILL_POINT_ENV] = killAt;
  else delete env[KILL_POINT_ENV];
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, indexDir, corpus], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, stderr: () => err, exited };
}

async function waitFor(child: Child, text: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!child.stderr().includes(text)) {
    if (child.process.exitCode !== null) throw new Error(`worker exited before "${text}":\n${child.stderr()}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`no "${text}" from the worker after ${timeoutMs} ms:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

/**
 * After a kill: the index opens and checks out and answers exactly as before the
 * kill (old generation) or — when the switch happened — the next run finds nothing
 * left to embed and answers as right after the kill. Then the next run completes.
 */
async function verifyAfterKill(
  before: { generation: number; answers: string },
  switched: boolean | 'either',
): Promise<void> {
  const reader = await openChecked();
  const didSwitch = reader.manifest.generation !== before.generation;
  if (switched !== 'either') expect(didSwitch).toBe(switched);
  if (!didSwitch) expect(answers(reader)).toBe(before.answers);
  const afterKill = answers(reader);

  const next = await runIndex({ store: new FolderIndexStore(indexDir), embedder, paths: [corpus] });
  const current = await openChecked();
  if (didSwitch) {
    expect(next.summary, JSON.stringify(next.summary)).toMatchObject({ chunksEmbedded: 0 });
    expect(answers(current)).toBe(afterKill);
  } else {
    expect(next.summary.chunksEmbedded).toBeGreaterThan(0);
    expect(current.manifest.generation).toBeGreaterThan(before.generation);
  }
  expect(next.summary.added + next.summary.updated + next.summary.unchanged).toBe((await readdir(corpus)).length);
  // A completed write cleans the dead writer's leftovers (a run with nothing to do writes nothing).
  if (current.manifest.generation !== reader.manifest.generation) {
    const entries = await readdir(indexDir);
    expect(entries.filter((e) => e.includes('.tmp-'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('gen-')).length).toBeLessThanOrEqual(2);
  }
}

async function snapshot(): Promise<{ generation: number; answers: string }> {
  const reader = await openChecked();
  return { generation: reader.manifest.generation, answers: answers(reader) };
}

describe('SIGKILL during runIndex', () => {
  const points: [KillPoint, boolean][] = [
    ['locked', false],
    ['mid-vectors', false],
    ['before-rename', false],
    ['after-rename', false],
    ['mid-current', false],
    ['after-current', true],
  ];
  for (const [point, switched] of points) {
    it(`killed at ${point}: ${switched ? 'the new' : 'the previous'} generation loads and the next run completes`, async () => {
      const before = await snapshot();
      await stageChanges();
      const child = startWorker(point);
      await waitFor(child, `${KILL_POINT_MARKER} ${point}`);
      await kill(child);
      await verifyAfterKill(before, switched);
    }, 120_000);
  }

  it('killed at seeded random moments of a run: the index always loads and the next run completes', async () => {
    // Time one undisturbed run (load the model, read, embed, write) to aim the kills.
    const before = await snapshot();
    await stageChanges();
    const timed = startWorker();
    await waitFor(timed, 'WORKER_READY');
    const t0 = Date.now();
    expect(await timed.exited).toBe(0);
    const runMs = Date.now() - t0;
    await verifyAfterKill(before, true);

    const rng = prng(20260101);
    for (let i = 0; i < 2; i++) {
      const snap = await snapshot();
      await stageChanges();
      const child = startWorker();
      await waitFor(child, 'WORKER_READY');
      await new Promise((r) => setTimeout(r, Math.floor(rng() * runMs * 1.2)));
      await kill(child);
      await verifyAfterKill(snap, 'either');
    }
  }, 180_000);
});
