import { createHash } from 'node:crypto';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { checkChunks } from '@newsrag/test-support/check-chunks';
import { loadTestTokenizer, type TestTokenizer } from '@newsrag/test-support/test-tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArticles } from '../articles/read.js';
import { NewsragError } from '../errors.js';
import type { Article, ArticleMeta, Chunk } from '../types.js';
import { embeddingText, headerText } from './header.js';
import { type ChunkOptions, chunkArticle } from './pack.js';

let tokenizer: TestTokenizer;
let countTokens: (text: string) => number;

beforeAll(async () => {
  tokenizer = await loadTestTokenizer();
  countTokens = tokenizer.countTokens;
});

function article(id: string, text: string, meta: ArticleMeta = {}): Article {
  return { id, path: `/tmp/${id}.txt`, hash: createHash('sha256').update(text).digest('hex'), text, meta };
}

describe('chunkArticle on the seed articles', () => {
  const options = () => ({ countTokens, maxTokens: 256 });

  it('packs whole sentences with overlap, leaving the title and date marker to the header', async () => {
    const { articles, issues } = await readArticles([SEED_ARTICLES]);
    expect(issues).toEqual([]);
    const byId = new Map(articles.map((a) => [a.id, a]));
    const a0 = byId.get('000_0b4336e44a9e5dd7') as Article;
    const a1 = byId.get('001_f936b67f468a0892') as Article;
    const a2 = byId.get('002_f0f8caaea104d497') as Article;
    for (const a of [a0, a1, a2]) checkChunks(a, chunkArticle(a, options()), options());

    const c0 = chunkArticle(a0, options());
    expect(c0[0]?.start).toBe(a0.text.indexOf('A video showing'));
    expect(c0.some((c) => c.text.includes("Russian President's visit was his first to North Korea in 24 years."))).toBe(
      false,
    );
    expect(c0.some((c) => c.text.includes('Pungsan dogs'))).toBe(true);
    expect(headerText(a0.meta)).toBe(
      "Russian President's visit was his first to North Korea in 24 years. (2024-06-21)\n",
    );

    const c1 = chunkArticle(a1, options());
    expect(c1[0]?.start).toBe(17);
    expect(c1[0]?.text.startsWith('Putin and Kim shook hands')).toBe(true);
    expect(c1.some((c) => c.text.includes('date 2024-06-19'))).toBe(false);
    expect(headerText(a1.meta)).toBe('(2024-06-19)\n');

    const c2 = chunkArticle(a2, options());
    expect(c2[0]?.start).toBe(0);
    expect(headerText(a2.meta)).toBe('');
    for (const chunks of [c0, c1, c2]) {
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      // With the default budget every seed chunk shares its first sentence with the chunk before.
      for (let i = 1; i < chunks.length; i++)
        expect((chunks[i] as Chunk).start).toBeLessThan((chunks[i - 1] as Chunk).end);
    }
  });

  it('respects smaller budgets: maxTokens, targetTokens and maxChars', async () => {
    const { articles } = await readArticles([SEED_ARTICLES]);
    for (const a of articles) {
      for (const o of [
        { countTokens, maxTokens: 64 },
        { countTokens, maxTokens: 512, targetTokens: 100, maxChars: 300 },
        { countTokens, maxTokens: 256, overlapSentences: 0 },
      ]) {
        const chunks = chunkArticle(a, o);
        checkChunks(a, chunks, o);
        if (o.overlapSentences === 0) {
          for (let i = 1; i < chunks.length; i++)
            expect((chunks[i] as Chunk).start).toBeGreaterThanOrEqual((chunks[i - 1] as Chunk).end);
        }
      }
    }
  });
});

describe('chunkArticle', () => {
  it('ends a chunk at a paragraph break when the chunk is at least half full', () => {
    const sentence = (n: number) => `Sentence number ${n} talks about the harbour, the ships and the weather today.`;
    const p1 = [1, 2, 3, 4].map(sentence).join(' ');
    const p2 = [5, 6, 7, 8, 9, 10].map(sentence).join(' ');
    const a = article('para', `${p1}\n\n${p2}`);
    const perSentence = countTokens(sentence(1)) - 2;
    // Room for five sentences: greedy packing would take one sentence of the second paragraph.
    const options = { countTokens, maxTokens: 256, targetTokens: 2 + perSentence * 5 + 1 };
    const chunks = chunkArticle(a, options);
    checkChunks(a, chunks, options);
    expect(chunks[0]?.text).toBe(p1);
    expect(chunks[1]?.text.startsWith(sentence(4))).toBe(true);
  });

  it('cuts a 200,000-character line without sentence breaks at word boundaries, within limits', () => {
    const words = [
      'harbour',
      'pipeline',
      'minister',
      'quarterly',
      'growth',
      'forecast',
      'Pyongyang',
      'limousine',
      'and',
      'the',
    ];
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < 200_000; i++) {
      const w = `${words[i % words.length]}${i % 7 === 0 ? i : ''}`;
      parts.push(w);
      length += w.length + 1;
    }
    const text = parts.join(' ');
    const a = article('long', text, { title: 'A very long line' });
    const options = { countTokens, maxTokens: 256 };
    const chunks = chunkArticle(a, options);
    checkChunks(a, chunks, options);
    expect(chunks.length).toBeGreaterThan(200);
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i] as Chunk;
      // Cut at word boundaries: never inside a word.
      expect(c.start === 0 || text[c.start - 1] === ' ').toBe(true);
      expect(c.end === text.length || text[c.end] === ' ').toBe(true);
      expect(c.tokens).toBeLessThanOrEqual(160);
      if (i > 0) expect(text.slice((chunks[i - 1] as Chunk).end, c.start).trim()).toBe('');
    }
    expect(chunks.at(-1)?.end).toBe(text.length);
  });

  it('cuts a single enormous word by characters', () => {
    const blob = 'aZ9'.repeat(3000);
    const a = article('blob', `Before it. ${blob} After it.`);
    const options = { countTokens, maxTokens: 128 };
    const chunks = chunkArticle(a, options);
    checkChunks(a, chunks, options);
    expect(
      chunks
        .map((c) => c.text)
        .join('')
        .replace(/\s/g, ''),
    ).toContain(blob);
  });

  it('counts the header in the budget', () => {
    const meta = {
      title: 'Central bank raises interest rates for the third time this year amid inflation fears',
      date: '2024-06-19',
    };
    const body = Array.from({ length: 30 }, (_, i) => `The bank said rates rose by ${i} points on Tuesday.`).join(' ');
    const a = article('header', body, meta);
    const headerTokens = countTokens(headerText(meta));
    expect(headerTokens).toBeGreaterThan(15);
    const options = { countTokens, maxTokens: 60 };
    const chunks = chunkArticle(a, options);
    checkChunks(a, chunks, options);
    expect(chunks.every((c) => c.tokens === countTokens(`${headerText(meta)}${c.text}`))).toBe(true);
    expect(Math.max(...chunks.map((c) => c.tokens))).toBeGreaterThan(headerTokens + 20);
  });

  it('gives an article that is only a title one chunk', () => {
    const a = article('only-title', 'Markets rally on rate cut hopes\n', { title: 'Markets rally on rate cut hopes' });
    const chunks = chunkArticle(a, { countTokens, maxTokens: 256 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text).toBe('Markets rally on rate cut hopes');
  });

  it('rejects bad options with BAD_OPTIONS', () => {
    const a = article('x', 'Some text here.');
    const bad: ChunkOptions[] = [
      { countTokens, maxTokens: 0 },
      { countTokens, maxTokens: 256, targetTokens: 1.5 },
      { countTokens, maxTokens: 256, overlapSentences: -1 },
      { countTokens, maxTokens: 256, maxChars: 0 },
      { countTokens, maxTokens: 2 },
    ];
    for (const options of bad) {
      expect(() => chunkArticle(a, options)).toThrow(NewsragError);
      try {
        chunkArticle(a, options);
      } catch (error) {
        expect((error as NewsragError).code).toBe('BAD_OPTIONS');
      }
    }
  });
});

describe('headerText / embeddingText', () => {
  it('puts title and date in front of the chunk text', () => {
    const chunk = { text: 'Kim fed carrots to a horse.' };
    expect(headerText({ title: 'Putin in Pyongyang', date: '2024-06-19' })).toBe('Putin in Pyongyang (2024-06-19)\n');
    expect(headerText({ title: 'Putin in Pyongyang' })).toBe('Putin in Pyongyang\n');
    expect(headerText({ date: '2024-06-19' })).toBe('(2024-06-19)\n');
    expect(headerText({ source: 'BBC', url: 'https://example.com' })).toBe('');
    expect(embeddingText(chunk, { title: 'Putin in Pyongyang', date: '2024-06-19' })).toBe(
      'Putin in Pyongyang (2024-06-19)\nKim fed carrots to a horse.',
    );
    const long = headerText({ title: `${'word '.repeat(60)}end` });
    expect(long.length).toBeLessThanOrEqual(122);
    expect(long.endsWith('…\n')).toBe(true);
  });
});
