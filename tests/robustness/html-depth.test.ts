/** The nesting-depth estimate that keeps hostile HTML away from jsdom (packages/core/src/articles/html-depth.ts). */
import { describe, expect, it } from 'vitest';
import { htmlNestingDepth, MAX_HTML_DEPTH } from '../../packages/core/src/articles/html-depth.js';

describe('htmlNestingDepth', () => {
  it('counts elements that need an end tag', () => {
    expect(htmlNestingDepth('<div><section><span>x</span></section></div>')).toBe(3);
    expect(htmlNestingDepth(`${'<div>'.repeat(1200)}x${'</div>'.repeat(1200)}`)).toBe(1200);
  });

  it('ignores void, self-closed and optional-end elements, comments and raw text', () => {
    const page = [
      '<html><head><meta charset="utf-8"><title><div><div></title></head><body>',
      '<!-- <div><div><div> -->',
      '<script>for (let i = 0; i < 9; i++) document.write("<div>")</script>',
      `${'<p>para'.repeat(2000)}${'<li>item'.repeat(2000)}<br><img src="x"><svg><path d="M0"/></svg>`,
      '<table><tr><td>cell<tr><td>cell</table>',
      '</body></html>',
    ].join('');
    expect(htmlNestingDepth(page)).toBe(1); // <svg> and <table>, siblings one level down
  });

  it('leaves real pages far below the limit', () => {
    const article = `<html><body><main><article>${'<p>Sentence one. Sentence two.</p>'.repeat(50)}</article></main></body></html>`;
    expect(htmlNestingDepth(article)).toBeLessThan(MAX_HTML_DEPTH / 100);
  });
});
