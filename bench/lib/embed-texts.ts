/**
 * The texts the embedding bench runs on. The seed sentences alone are short (~30
 * tokens), which flatters a real model's throughput and hides the cost of padding; with
 * a real model the bench adds paragraphs of real news (the shared BBC corpus), whose
 * lengths are what indexing actually embeds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDir } from '@newsrag/test-support';

/** Paragraphs shorter than this are bylines or captions, not what a chunk holds. */
const MIN_PARAGRAPH_CHARS = 40;

/** Where the shared BBC corpus is: `$NEWSRAG_SHARED_DIR/corpora/bbc`, else `../shared` beside the repo. */
export function defaultBbcDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(sharedDir(env), 'corpora', 'bbc');
}

/** The body paragraphs of one article: the first line (the headline) and short lines dropped. */
export function articleParagraphs(text: string): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
  return paragraphs.slice(1).filter((p) => p.length >= MIN_PARAGRAPH_CHARS);
}

/** `count` items spread evenly over `items` (every one when there are fewer), in order. */
export function pickEvenly<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

/**
 * `count` paragraphs drawn evenly from every article of the BBC corpus (topics and files
 * in sorted order, so the set is the same on every machine), or `undefined` when the
 * corpus is not there.
 */
export function bbcParagraphs(dir: string, count: number): string[] | undefined {
  if (!existsSync(dir)) return undefined;
  const all: string[] = [];
  const topics = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const topic of topics) {
    const topicDir = path.join(dir, topic);
    for (const file of readdirSync(topicDir)
      .filter((f) => f.endsWith('.txt'))
      .sort()) {
      all.push(...articleParagraphs(readFileSync(path.join(topicDir, file), 'utf8')));
    }
  }
  return all.length === 0 ? undefined : pickEvenly(all, count);
}
