import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SEED_ARTICLES } from './paths.js';

/** Splits text into sentences simply: at `.`, `!` or `?` followed by whitespace, and at blank lines. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n\s*\n/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 3);
}

/** Every sentence of the seed articles, in file order. */
export function seedSentences(dir: string = SEED_ARTICLES): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => splitSentences(readFileSync(path.join(dir, f), 'utf8')));
}

/** `count` texts built from the seed sentences, each varied so no two are identical. */
export function variedTexts(count: number, sentences: readonly string[] = seedSentences()): string[] {
  if (sentences.length === 0) throw new Error('no seed sentences found');
  return Array.from({ length: count }, (_, i) => {
    const s = sentences[i % sentences.length] as string;
    const round = Math.floor(i / sentences.length);
    return round === 0 ? s : `${s} (report ${round})`;
  });
}
