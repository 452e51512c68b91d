/**
 * Prints before/after timings for the hostile inputs of issue 10 (not a test; figures only):
 *
 *   npx tsx tests/robustness/hostile-timings.ts
 *
 * "Before" runs the code as it was (the regex depth estimate, jsdom on pages that estimate
 * let through, JSON.stringify of a YAML alias bomb, ICU over a whole paragraph), kept here
 * verbatim for comparison; "after" runs the current code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readability } from '@mozilla/readability';
import { readArticles } from '@newsrag/core';
import { htmlNestingDepth, parseArticleFile, splitSentences } from '@newsrag/core/internals';
import matter from 'gray-matter';
import { JSDOM, VirtualConsole } from 'jsdom';

/** The depth estimate before issue 10 (packages/core/src/articles/html-depth.ts at ebd5f92). */
function oldDepth(html: string): number {
  const RAW = /<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
  const markup = html.replace(/<!--[\s\S]*?-->/g, '').replace(RAW, '');
  let depth = 0;
  let max = 0;
  for (const m of markup.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(\/?)>/g)) {
    if (m[1] === '/') depth = Math.max(0, depth - 1);
    else if (m[3] !== '/') max = Math.max(max, ++depth);
  }
  return max;
}

function time<T>(run: () => T): { ms: number; value: T | Error } {
  const t = performance.now();
  try {
    const value = run();
    return { ms: performance.now() - t, value };
  } catch (error) {
    return { ms: performance.now() - t, value: error as Error };
  }
}
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);
const rows: string[][] = [];
const row = (...cells: string[]) => {
  rows.push(cells);
  console.log(cells.join(' | '));
};

console.log('case | before | after');
const KB = 1024;
for (const [name, unit] of process.env.SKIP_DEPTH
  ? []
  : ([
      ['unclosed <!--', '<!--'],
      ['unclosed <script>', '<script>'],
      ['unclosed <a ', '<a '],
    ] as const)) {
  const small = unit.repeat((80 * KB) / unit.length);
  const double = unit.repeat((160 * KB) / unit.length);
  const mb = unit.repeat((1024 * KB) / unit.length);
  const big = unit.repeat((20 * 1024 * KB) / unit.length);
  const b1 = time(() => oldDepth(small)).ms;
  const b2 = time(() => oldDepth(double)).ms;
  row(
    `${name}: depth check, 80 KB / 160 KB / 1 MB / 20 MiB`,
    `${fmt(b1)} / ${fmt(b2)} / ~${fmt(b2 * 41)} (×4 per doubling) / ~${fmt(b2 * 41 * 400)}`,
    `${fmt(time(() => htmlNestingDepth(small)).ms)} / ${fmt(time(() => htmlNestingDepth(double)).ms)} / ${fmt(time(() => htmlNestingDepth(mb)).ms)} / ${fmt(time(() => htmlNestingDepth(big)).ms)}`,
  );
}

function jsdomReadability(html: string): void {
  const dom = new JSDOM(html, { virtualConsole: new VirtualConsole() });
  new Readability(dom.window.document).parse();
  dom.window.close();
}
for (const [name, html] of [
  ['6,000 × <div/>', `<body>${'<div/>'.repeat(6000)}x</body>`],
  ['1,500 × <div></x> (stray end tags)', `<body>${'<div></x>'.repeat(1500)}x</body>`],
] as const) {
  const before = time(() => {
    if (oldDepth(html) > 1000) throw new Error('refused');
    jsdomReadability(html);
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'newsrag-timings-'));
  writeFileSync(path.join(dir, 'page.html'), html);
  const t = performance.now();
  const after = await readArticles([dir]);
  const afterMs = performance.now() - t;
  rmSync(dir, { recursive: true, force: true });
  row(
    `${name}: old depth ${oldDepth(html)}, new depth ${htmlNestingDepth(html)}`,
    `${fmt(before.ms)} on the event loop${before.value instanceof Error ? ` then ${before.value.name}: ${before.value.message.slice(0, 40)}` : ' (parsed)'}`,
    `${fmt(afterMs)}, ${after.issues[0]?.code ?? 'no issue'} (worker thread)`,
  );
}

// A YAML alias bomb in a front-matter date: 7 levels of 9 (4.8 M leaves); the issue's 461-byte file had 9.
const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 7; i++) {
  const p = String.fromCharCode(96 + i);
  levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
}
const bomb = `---\n${levels.join('\n')}\ndate: *g\n---\nBody.\n`;
const beforeBomb = time(() => JSON.stringify((matter(bomb, {}).data as { date: unknown }).date).length);
const afterBomb = await (async () => {
  const t = performance.now();
  const r = await parseArticleFile('markdown', bomb, 'bomb.md');
  return { ms: performance.now() - t, length: Math.max(...r.issues.map((i) => i.message.length)) };
})();
row(
  `YAML alias bomb, ${bomb.length} bytes, in the date`,
  `${fmt(beforeBomb.ms)}, message of ${typeof beforeBomb.value === 'number' ? `${(beforeBomb.value / 1e6).toFixed(0)} MB` : 'error'} (×9 per level)`,
  `${fmt(afterBomb.ms)}, message of ${afterBomb.length} characters`,
);

const mr = 'Mr. '.repeat((500 * KB) / 4);
const segmenter = new Intl.Segmenter('en-u-ss-standard', { granularity: 'sentence' });
const mr50 = mr.slice(0, 50 * KB);
const beforeMr = time(() => [...segmenter.segment(mr50)].length).ms;
row(
  '"Mr. " × 128 k (500 KB) through the sentence splitter',
  `${fmt(beforeMr)} for 50 KB, ~${fmt(beforeMr * 100)} for 500 KB (quadratic)`,
  `${fmt(time(() => splitSentences(mr)).ms)} for 500 KB`,
);

const fifoDir = mkdtempSync(path.join(tmpdir(), 'newsrag-timings-'));
writeFileSync(path.join(fifoDir, 'a.txt'), 'Title here\n\nSome text of the article.\n');
execFileSync('mkfifo', [path.join(fifoDir, 'a.meta.json')]);
const tf = performance.now();
const fifo = await readArticles([fifoDir]);
row(
  'FIFO as a .meta.json sidecar',
  'hangs until a writer opens the FIFO (forever, lock held)',
  `${fmt(performance.now() - tf)}, ${fifo.issues[0]?.code}`,
);
rmSync(fifoDir, { recursive: true, force: true });
process.exit(0);
