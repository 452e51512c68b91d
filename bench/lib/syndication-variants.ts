/**
 * Generated copies of an article, as a wire story comes out of other outlets' systems, for
 * measuring near-duplicate detection. Pure and seeded: the same article gives the same variants.
 */

import { prng } from '@newsrag/test-support';

/** An article as the variants need it: a headline and paragraphs. */
export interface PlainArticle {
  id: string;
  title: string;
  paragraphs: string[];
}

export type VariantKind = 'headline' | 'trim30' | 'reorder' | 'words' | 'added' | 'combined';

export const VARIANT_KINDS: readonly VariantKind[] = ['headline', 'trim30', 'reorder', 'words', 'added', 'combined'];

const words = (p: string) => p.split(/\s+/).filter((w) => w !== '');

/** Keeps leading paragraphs (then leading words of the last kept one) until ≈ `share` of the words are left. */
export function trimTo(paragraphs: readonly string[], share: number): string[] {
  const total = paragraphs.reduce((n, p) => n + words(p).length, 0);
  const budget = Math.max(1, Math.round(total * share));
  const out: string[] = [];
  let used = 0;
  for (const p of paragraphs) {
    const w = words(p);
    if (used + w.length <= budget) {
      out.push(p);
      used += w.length;
      continue;
    }
    const rest = budget - used;
    if (rest > 0) out.push(w.slice(0, rest).join(' '));
    break;
  }
  return out;
}

/** The paragraphs in another order: odd-numbered ones first, then the even ones, reversed. */
export function reorder(paragraphs: readonly string[]): string[] {
  const odd = paragraphs.filter((_, i) => i % 2 === 1);
  const even = paragraphs.filter((_, i) => i % 2 === 0).reverse();
  const out = [...odd, ...even];
  return out.length > 1 && out.every((p, i) => p === paragraphs[i]) ? [...paragraphs].reverse() : out;
}

const SUBSTITUTES = ['reportedly', 'officials', 'said', 'on', 'Tuesday', 'however', 'also', 'the', 'group', 'new'];

/** Changes about one word in `every` (replaced by a common news word, or dropped), seeded. */
export function editWords(paragraphs: readonly string[], every: number, rand: () => number): string[] {
  return paragraphs.map((p) =>
    words(p)
      .flatMap((w) => {
        if (rand() >= 1 / every) return [w];
        return rand() < 0.3 ? [] : [SUBSTITUTES[Math.floor(rand() * SUBSTITUTES.length)] as string];
      })
      .join(' '),
  );
}

/** A variant of `article`; `other` lends the paragraph that `added` and `combined` append. */
export function variant(article: PlainArticle, kind: VariantKind, other: PlainArticle, seed: number): PlainArticle {
  const rand = prng(seed);
  const id = `${article.id}~${kind}`;
  const newTitle = `Wire: ${article.title.split(' ').reverse().join(' ')}`;
  const extra = other.paragraphs[0] ?? 'An editor added this paragraph.';
  switch (kind) {
    case 'headline':
      return { id, title: newTitle, paragraphs: [...article.paragraphs] };
    case 'trim30':
      return { id, title: article.title, paragraphs: trimTo(article.paragraphs, 0.7) };
    case 'reorder':
      return { id, title: article.title, paragraphs: reorder(article.paragraphs) };
    case 'words':
      return { id, title: article.title, paragraphs: editWords(article.paragraphs, 30, rand) };
    case 'added':
      return { id, title: article.title, paragraphs: [...article.paragraphs, extra] };
    case 'combined':
      return {
        id,
        title: newTitle,
        paragraphs: [...editWords(trimTo(article.paragraphs, 0.7), 30, rand), extra],
      };
  }
}

/** The article as a `.txt` file reads: headline, blank line, paragraphs. */
export function asText(article: PlainArticle): string {
  return `${article.title}\n\n${article.paragraphs.join('\n\n')}\n`;
}
