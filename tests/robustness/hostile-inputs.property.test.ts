/**
 * Property-based tests (fast-check) over generated hostile inputs: HTML token soups,
 * front matter, JSON/JSONL and sentence/date text. Each input is handled within a time
 * bound and never crashes; the HTML depth scan never counts less than the browser's
 * parser (parse5, the one jsdom uses) builds. Seeds are fixed so a failure reproduces.
 */

import {
  findDates,
  htmlNestingDepth,
  normalizeDate,
  parseArticleFile,
  plainTextMeta,
  splitSentences,
} from '@newsrag/core/internals';
import fc from 'fast-check';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';

/** Generous per-input bound: the slowest of these inputs takes a few ms; a quadratic path takes seconds. */
const BOUND_MS = 2_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

function browserDepth(html: string): number {
  type N = { childNodes?: N[]; nodeName: string; content?: N };
  let max = 0;
  const stack: Array<[N, number]> = [[parse(html) as unknown as N, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [N, number];
    if (depth > max) max = depth;
    for (const child of node.childNodes ?? []) if (!child.nodeName.startsWith('#')) stack.push([child, depth + 1]);
    if (node.content) stack.push([node.content, depth]);
  }
  return Math.max(0, max - 2);
}

const HTML_TOKENS = [
  '<div>',
  '</div>',
  '<div/>',
  '<span>',
  '</span>',
  '<p>',
  '</p>',
  '<li>',
  '<ul>',
  '</ul>',
  '<section>',
  '<b>',
  '</b>',
  '<i>',
  '</i>',
  '<a href="x">',
  '</a>',
  '</x>',
  '<br>',
  '<img src=x>',
  '<!--',
  '-->',
  '<!-- c -->',
  '<script>',
  '</script>',
  '<style>',
  '</style>',
  '<title>',
  '</title>',
  '<textarea>',
  '</textarea>',
  '<noscript>',
  '</noscript>',
  '<svg>',
  '</svg>',
  '<path/>',
  '<g>',
  '<math>',
  '<foreignObject>',
  '<table>',
  '<tr>',
  '<td>',
  '</table>',
  '<![CDATA[',
  ']]>',
  '<?php',
  '</ ',
  '<',
  '>',
  '"',
  "'",
  '<a title="',
  '<dl>',
  '<dt>',
  '<dd>',
  '<select>',
  '<option>',
  'text ',
  '\n',
];

// biome-ignore format: a table of tokens reads better on few lines
const htmlSoup = fc.array(fc.constantFrom(...HTML_TOKENS), { maxLength: 300 }).map((t) => t.join(''));

describe('HTML depth scan (property-based)', () => {
  it('never counts less than the browser builds, and stays linear', () => {
    fc.assert(
      fc.property(htmlSoup, (html) => {
        const { value, ms } = timed(() => htmlNestingDepth(html));
        expect(ms).toBeLessThan(BOUND_MS);
        expect(value).toBeGreaterThanOrEqual(browserDepth(html));
      }),
      { numRuns: 2_000, seed: 10 },
    );
  });

  it('handles any repeated hostile token at 1 MB within the bound', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HTML_TOKENS), { minLength: 1, maxLength: 3 }), (tokens) => {
        const unit = tokens.join('');
        const html = unit.repeat(Math.ceil(1_000_000 / Math.max(1, unit.length)));
        expect(timed(() => htmlNestingDepth(html)).ms).toBeLessThan(BOUND_MS);
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'title: ',
        'date: ',
        'author: ',
        '- ',
        '&a ',
        '*a ',
        '[',
        ']',
        '{',
        '}',
        ': ',
        '"',
        "'",
        '!!binary ',
        '? ',
        '|\n',
        '>\n',
        '  ',
      ),
      fc.string({ maxLength: 20 }),
      fc.date({ noInvalidDate: false }).map((d) => String(d)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('front matter, JSON and JSONL (property-based)', () => {
  it('never throws and answers within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(yamlish, fc.string({ maxLength: 200 }), async (front, body) => {
        const started = performance.now();
        const result = await parseArticleFile('markdown', `---\n${front}\n---\n${body}`, 'x.md');
        expect(performance.now() - started).toBeLessThan(BOUND_MS);
        for (const issue of result.issues) expect(issue.message.length).toBeLessThan(600);
      }),
      { numRuns: 500, seed: 12 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 6 }), fc.string({ maxLength: 300 })), async (text) => {
        for (const format of ['json', 'jsonl'] as const) {
          const started = performance.now();
          const result = await parseArticleFile(format, text, `x.${format}`);
          expect(performance.now() - started).toBeLessThan(BOUND_MS);
          for (const issue of result.issues) expect(issue.message.length).toBeLessThan(600);
        }
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('deeply nested JSON is reported, not a crash', async () => {
    for (const depth of [10_000, 1_000_000]) {
      const text = `{"text": "x", "meta": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const result = await parseArticleFile('json', text, 'deep.json');
      expect(result.docs.length + result.issues.length).toBeGreaterThan(0);
    }
  });
});

const sentenceText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '. ',
        '.',
        '...',
        '?! ',
        'Mr. ',
        'U.S. ',
        'e.g. ',
        '"',
        '”',
        '\n',
        '\n\n',
        ' ',
        '21 June 2024',
        'June 21, 2024',
        '2024-06-21',
        'Jun. 21 2024',
        '31st',
        '1',
        'May',
        ',',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 400 },
  )
  .map((parts) => parts.join(''));

describe('sentences and dates (property-based)', () => {
  it('split into ordered, in-range spans and find dates within the bound', () => {
    fc.assert(
      fc.property(sentenceText, (text) => {
        const { value: spans, ms } = timed(() => splitSentences(text));
        expect(ms).toBeLessThan(BOUND_MS);
        let last = 0;
        for (const s of spans) {
          expect(s.start).toBeGreaterThanOrEqual(last);
          expect(s.end).toBeLessThanOrEqual(text.length);
          last = s.end;
        }
        expect(timed(() => findDates(text)).ms).toBeLessThan(BOUND_MS);
        expect(timed(() => plainTextMeta(text)).ms).toBeLessThan(BOUND_MS);
        const d = normalizeDate(text);
        if (d !== undefined) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 1_000, seed: 14 },
    );
  });

  it('long runs of separators stay linear', () => {
    for (const unit of ['. ', '1 ', 'June ', '21 June ', 'Mr. ', '\n', '2024-', ' ']) {
      const text = unit.repeat(Math.ceil(500_000 / unit.length));
      expect(timed(() => splitSentences(text)).ms).toBeLessThan(BOUND_MS * 2);
      expect(timed(() => findDates(text)).ms).toBeLessThan(BOUND_MS * 2);
    }
  });
});
