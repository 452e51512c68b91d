/**
 * The nesting-depth scan that keeps hostile HTML away from jsdom
 * (packages/core/src/articles/html-depth.ts): linear time, and it counts what browsers count.
 */

import { htmlNestingDepth, MAX_HTML_DEPTH } from '@newsrag/core/internals';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';

/** Depth of the tree parse5 (jsdom's parser, the HTML standard's algorithm) builds, below <body>. */
function browserDepth(html: string): number {
  type N = { childNodes?: N[]; nodeName: string };
  let max = 0;
  const stack: Array<[N, number]> = [[parse(html) as unknown as N, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [N, number];
    if (depth > max) max = depth;
    for (const child of node.childNodes ?? []) if (!child.nodeName.startsWith('#')) stack.push([child, depth + 1]);
  }
  return Math.max(0, max - 2); // <html><body>
}

describe('htmlNestingDepth', () => {
  it('counts elements that need an end tag', () => {
    expect(htmlNestingDepth('<div><section><span>x</span></section></div>')).toBe(3);
    expect(htmlNestingDepth(`${'<div>'.repeat(1200)}x${'</div>'.repeat(1200)}`)).toBe(1200);
  });

  it('ignores void elements, self-closed svg, comments and raw text; closes optional-end elements as browsers do', () => {
    const page = [
      '<html><head><meta charset="utf-8"><title><div><div></title></head><body>',
      '<!-- <div><div><div> -->',
      '<script>for (let i = 0; i < 9; i++) document.write("<div>")</script>',
      `${'<p>para'.repeat(2000)}${'<li>item'.repeat(2000)}<br><img src="x"><svg>${'<path d="M0"/>'.repeat(2000)}</svg>`,
      '<table><tr><td>cell<tr><td>cell</table>',
      '<div title="a > b">x</div>',
      '</body></html>',
    ].join('');
    // li > table > tbody > tr > td, as the browser builds it; <svg> and <div> are shallower siblings.
    expect(browserDepth(page)).toBe(5);
    expect(htmlNestingDepth(page)).toBe(5);
  });

  it('counts <div/> as browsers do (the slash means nothing on an HTML element)', () => {
    const page = '<div/>'.repeat(6000);
    expect(browserDepth('<div/>'.repeat(50))).toBe(50);
    expect(htmlNestingDepth(page)).toBe(6000);
    // Inside svg the slash is honoured, until an HTML element breaks out of it.
    expect(htmlNestingDepth(`<svg>${'<g/>'.repeat(500)}${'<div/>'.repeat(1500)}</svg>`)).toBe(1500);
    expect(htmlNestingDepth(`<svg><foreignObject>${'<div/>'.repeat(1500)}`)).toBe(1502);
  });

  it('ignores stray end tags instead of letting them cancel real nesting', () => {
    expect(browserDepth('<div></x></span>'.repeat(50))).toBe(50);
    expect(htmlNestingDepth('<div></x></span>'.repeat(2000))).toBe(2000);
    expect(htmlNestingDepth(`<noscript>${'<div>'.repeat(1500)}</noscript>`)).toBe(1501);
  });

  it('leaves real pages far below the limit', () => {
    const article = `<html><body><main><article>${'<p>Sentence one. Sentence two.</p>'.repeat(50)}</article></main></body></html>`;
    expect(htmlNestingDepth(article)).toBeLessThan(MAX_HTML_DEPTH / 100);
  });

  it('takes linear time on the inputs that made the old regexes quadratic', () => {
    // Before: <!-- ×20k (80 KB) took 1.1 s and each doubling ×4 (1 MB ≈ 3 min). Bounds here are 100× the
    // measured after-figures; the figures are printed.
    const MB = 1024 * 1024;
    const cases: Array<[string, string]> = [
      ['unclosed <!--', '<!--'.repeat(MB / 4)],
      ['unclosed <script>', '<script>'.repeat(MB / 8)],
      ['unclosed <a ', '<a '.repeat(MB / 3)],
      ['unclosed quote', `<a title="${'x'.repeat(MB)}`],
      ['stray </', '</ '.repeat(MB / 3)],
      ['<div/> 1 MB', '<div/>'.repeat(MB / 6)],
    ];
    for (const [name, html] of cases) {
      const started = performance.now();
      const depth = htmlNestingDepth(html);
      const ms = performance.now() - started;
      console.log(`${name}: ${(html.length / MB).toFixed(1)} MB scanned in ${ms.toFixed(0)} ms (depth ${depth})`);
      expect(ms).toBeLessThan(5_000);
    }
  });
});
