/**
 * 10,000 tiny article files are indexed (the time is printed); then, during a second
 * run with `--prune`, files vanish and one becomes a folder after the walk listed them
 * and while the reads are going on. Those files are reported by name, the run
 * completes, and their indexed versions are kept (a failed read is not a deletion).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type KnowledgeBase, openKnowledgeBase } from '@newsrag/core';
import { openIndexStore } from '@newsrag/core/internals';
import { createEmbedder, type Embedder } from '@newsrag/embed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support.js';

const COUNT = 10_000;
const TOPICS = ['harbour', 'orchard', 'railway', 'library', 'bakery', 'stadium', 'glacier', 'market'];

let root: string;
let corpus: string;
let embedder: Embedder;
let kb: KnowledgeBase;

const name = (i: number) => `n${String(i).padStart(5, '0')}.txt`;

beforeAll(async () => {
  root = await tempDir('many');
  corpus = path.join(root, 'tiny');
  await mkdir(corpus);
  for (let i = 0; i < COUNT; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) =>
        writeFile(
          path.join(corpus, name(i + j)),
          `Note ${i + j}: the ${TOPICS[(i + j) % TOPICS.length]} reopened after repairs number ${i + j}.`,
        ),
      ),
    );
  }
  embedder = await createEmbedder({ model: 'standin' });
  kb = await openKnowledgeBase({ indexDir: path.join(root, 'index'), embedder });
});

afterAll(async () => {
  await kb?.close();
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Resolves once this process has one of the corpus files open: the walk is over and the reads have begun. */
function readsStarted(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      // Give up after a minute; the caller races this with the run itself.
      if (Date.now() - started > 60_000) clearInterval(timer);
      for (const fd of readdirSync('/proc/self/fd')) {
        try {
          if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${dir}/`)) {
            clearInterval(timer);
            resolve();
            return;
          }
        } catch {
          // The descriptor closed while we looked.
        }
      }
    }, 1);
  });
}

describe('many files', () => {
  it('indexes 10,000 tiny files', async () => {
    const t0 = performance.now();
    const summary = await kb.index([corpus]);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `10,000 tiny files: ${seconds.toFixed(1)} s (${summary.chunksEmbedded} chunks, ${(COUNT / seconds).toFixed(0)} files/s)`,
    );
    expect(summary.issues).toEqual([]);
    expect(summary.added).toBe(COUNT);
    expect(kb.articles()).toHaveLength(COUNT);
    const report = await (await openIndexStore(path.join(root, 'index'))).check();
    expect(report).toMatchObject({ ok: true, articleCount: COUNT });
    const hits = await kb.search('Note 4321 orchard repairs number 4321', { mode: 'bm25' });
    expect(hits[0]?.articleId).toBe('n04321');
  }, 180_000);

  it('files that vanish (or turn into a folder) mid-run are reported and their indexed versions kept', async () => {
    // Edit the first 10 so the run has something to write.
    for (let i = 0; i < 10; i++) await writeFile(path.join(corpus, name(i)), `Note ${i}: edited after the first run.`);
    const vanishing = Array.from({ length: 40 }, (_, k) => name(COUNT - 1 - k * 7));
    const becomesFolder = name(COUNT - 3);
    const run = kb.index([corpus], { prune: true });
    const seen = await Promise.race([readsStarted(corpus).then(() => true), run.then(() => false)]);
    expect(seen, 'the read phase was never observed in /proc/self/fd').toBe(true);
    // Files near the end of the sorted list: listed by the walk, not read yet.
    for (const file of vanishing) await rm(path.join(corpus, file));
    await rm(path.join(corpus, becomesFolder));
    await mkdir(path.join(corpus, becomesFolder));
    const summary = await run;

    const unreadable = summary.issues.filter((i) => i.code === 'ARTICLE_UNREADABLE');
    expect(unreadable.map((i) => path.basename(i.path)).sort()).toEqual([...vanishing, becomesFolder].sort());
    for (const issue of unreadable) {
      expect(issue.message).toContain(issue.path);
      expect(issue.message).toMatch(/disappeared while reading|is a directory/);
    }
    expect(summary.updated).toBe(10);
    expect(summary.removed).toBe(0);
    // Nothing stored was lost: the files that failed to read keep their indexed versions.
    const ids = new Set(kb.articles().map((r) => r.id));
    expect(ids.size).toBe(COUNT);
    for (const file of vanishing) expect(ids.has(file.replace('.txt', ''))).toBe(true);
    expect((await (await openIndexStore(path.join(root, 'index'))).check()).ok).toBe(true);

    // Once they are really gone, a pruning run removes them.
    await rm(path.join(corpus, becomesFolder), { recursive: true });
    const pruned = await kb.index([corpus], { prune: true });
    expect(pruned.removed).toBe(vanishing.length + 1);
    expect(kb.articles()).toHaveLength(COUNT - vanishing.length - 1);
  }, 120_000);
});
