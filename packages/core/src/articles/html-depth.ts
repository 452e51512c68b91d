/**
 * How deeply an HTML page nests its elements, estimated from its tags without parsing.
 *
 * jsdom's parser takes time quadratic in the nesting depth (5,000 nested `<div>`s take
 * seconds, then overflow the stack), so a hostile page could stall an index run. Browsers
 * cap the parser's tree depth too (Blink at 512). Pages deeper than
 * {@link MAX_HTML_DEPTH} are refused before jsdom sees them.
 */

/** Deepest element nesting accepted; real articles stay far below it. */
export const MAX_HTML_DEPTH = 1000;

/** Elements that never have content. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Elements whose end tag may be left out (the parser closes them), so they must not count as nesting. */
const OPTIONAL_END = new Set([
  'html',
  'head',
  'body',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'colgroup',
  'caption',
  'option',
  'optgroup',
  'rb',
  'rt',
  'rtc',
  'rp',
]);

/** Elements whose content is text, not markup (a `<div>` inside a script is not an element). */
const RAW_TEXT = /<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

/**
 * The maximum depth of open elements, counting tags that need an end tag and ignoring
 * comments and raw-text content. An upper-bound estimate for well-formed pages; pure.
 */
export function htmlNestingDepth(html: string): number {
  const markup = html.replace(/<!--[\s\S]*?-->/g, '').replace(RAW_TEXT, '');
  let depth = 0;
  let max = 0;
  for (const match of markup.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(\/?)>/g)) {
    const name = (match[2] as string).toLowerCase();
    if (VOID.has(name) || OPTIONAL_END.has(name)) continue;
    if (match[1] === '/') depth = Math.max(0, depth - 1);
    else if (match[3] !== '/') {
      depth++;
      if (depth > max) max = depth;
    }
  }
  return max;
}
