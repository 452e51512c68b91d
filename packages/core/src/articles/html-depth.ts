/**
 * How deeply a browser would nest an HTML page's elements, found by one linear pass
 * over its tags (no parsing, no regular expressions that can backtrack).
 *
 * jsdom's parser takes time quadratic in the nesting depth (5,000 nested `<div>`s take
 * seconds, then Readability overflows its stack), so a hostile page could stall an index
 * run. Browsers cap the parser's tree depth too (Blink at 512). Pages deeper than
 * {@link MAX_HTML_DEPTH} are refused before jsdom sees them.
 *
 * The scan follows the HTML tokenizer where it matters for depth: comments (`<!--` to
 * `-->`, unclosed ones to the end), bogus comments and doctypes (`<!…>`, `<?…>`, `</ …>`),
 * quoted attribute values (a `>` inside quotes does not end a tag), raw text of
 * `script`, `style`, `textarea`, `title`, `xmp`, `iframe`, `noembed`, `noframes` (to their
 * end tag) and `plaintext` (to the end). Tree building is approximated the way that
 * cannot under-count: the trailing slash of `<div/>` is ignored as browsers ignore it on
 * HTML elements (it is honoured only inside `svg`/`math`), an end tag closes the nearest
 * open element of its name and everything above it, and a stray end tag (no such element
 * open) is ignored rather than counted as closing something, and an element whose end tag
 * may be left out (`p`, `li`, `td`, …) is closed by the start tags that imply its end only
 * when it is the current element. `noscript` content is counted as markup, as jsdom
 * (scripting disabled) parses it.
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
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Elements the parser opens implicitly or never nests: not counted. */
const NOT_COUNTED = new Set(['html', 'head', 'body']);

/**
 * Elements whose end tag may be left out, and the start tags that close them when they
 * are the current element (`<li>a<li>b`, `<td>x<td>y`, `<p>x<div>`). Closing only the
 * current element, where browsers close through scope, can only over-count.
 */
const CLOSED_BY: Record<string, ReadonlySet<string>> = (() => {
  const cell = new Set(['td', 'th', 'tr', 'thead', 'tbody', 'tfoot']);
  const section = new Set(['thead', 'tbody', 'tfoot']);
  const ruby = new Set(['rb', 'rt', 'rtc', 'rp']);
  const block = new Set([
    'address',
    'article',
    'aside',
    'blockquote',
    'center',
    'details',
    'dialog',
    'dir',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'header',
    'hgroup',
    'hr',
    'li',
    'listing',
    'main',
    'menu',
    'nav',
    'ol',
    'p',
    'pre',
    'section',
    'summary',
    'ul',
    'dd',
    'dt',
    'xmp',
    'plaintext',
  ]);
  return {
    p: block,
    li: new Set(['li']),
    dt: new Set(['dt', 'dd']),
    dd: new Set(['dt', 'dd']),
    td: cell,
    th: cell,
    tr: new Set(['tr', ...section]),
    thead: section,
    tbody: section,
    tfoot: section,
    caption: new Set(['tr', 'td', 'th', 'colgroup', ...section]),
    colgroup: new Set(['tr', 'td', 'th', 'colgroup', ...section]),
    option: new Set(['option', 'optgroup']),
    optgroup: new Set(['optgroup']),
    rb: ruby,
    rt: ruby,
    rtc: new Set(['rb', 'rtc']),
    rp: ruby,
  };
})();

/** Elements whose content is text up to their own end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

/** HTML start tags that end `svg`/`math` content (the tree builder's "break out" list; `font` always, to be safe). */
const BREAKOUT = new Set([
  'b',
  'big',
  'blockquote',
  'body',
  'br',
  'center',
  'code',
  'dd',
  'div',
  'dl',
  'dt',
  'em',
  'embed',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'hr',
  'i',
  'img',
  'li',
  'listing',
  'menu',
  'meta',
  'nobr',
  'ol',
  'p',
  'pre',
  'ruby',
  's',
  'small',
  'span',
  'strong',
  'strike',
  'sub',
  'sup',
  'table',
  'tt',
  'u',
  'ul',
  'var',
]);

/** The parser's "special" elements: an end tag of another element does not close past them. */
const SPECIAL = new Set(
  (
    'address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd ' +
    'details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header ' +
    'hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ' +
    'ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot ' +
    'th thead title tr track ul wbr xmp foreignobject desc mi mo mn ms mtext annotation-xml'
  ).split(' '),
);

/** Elements that bound the parser's default scope: an end tag does not reach below them. */
const SCOPE_BOUNDARY = new Set(
  'applet caption html table td th marquee object template mi mo mn ms mtext annotation-xml foreignobject desc title'.split(
    ' ',
  ),
);

/** Start tags that belong to a table's structure, and the elements that structure lives in. */
const TABLE_PARTS = new Set(['caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
const TABLE_CONTEXT = new Set(['table', 'caption', 'colgroup', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);

/** Formatting elements, whose misnested end tags the parser repairs instead of closing what is above them. */
const FORMATTING = new Set([
  'a',
  'b',
  'big',
  'code',
  'em',
  'font',
  'i',
  'nobr',
  's',
  'small',
  'strike',
  'strong',
  'tt',
  'u',
]);

/** Foreign elements whose content is HTML again (integration points). */
const INTEGRATION: Record<'svg' | 'math', ReadonlySet<string>> = {
  svg: new Set(['foreignobject', 'desc', 'title']),
  math: new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml']),
};

type Namespace = 'svg' | 'math' | false;

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Tab, LF, FF, CR, space: what ends a tag name. */
const isSpace = (c: number) => c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** Whether `html` at `at` spells `word` (lower-case ASCII), ignoring ASCII case. */
function matchesAt(html: string, at: number, word: string): boolean {
  if (at + word.length > html.length) return false;
  for (let i = 0; i < word.length; i++) if (lower(html.charCodeAt(at + i)) !== word.charCodeAt(i)) return false;
  return true;
}

/** Index just past the end tag `</name` (followed by space, `/` or `>`) from `from`, or the end. */
function skipRawText(html: string, from: number, name: string): number {
  let at = html.indexOf('</', from);
  while (at !== -1) {
    if (matchesAt(html, at + 2, name)) {
      const after = html.charCodeAt(at + 2 + name.length);
      if (Number.isNaN(after) || isSpace(after) || after === 47 || after === 62) return at;
    }
    at = html.indexOf('</', at + 2);
  }
  return html.length;
}

interface Tag {
  name: string;
  end: boolean;
  selfClosing: boolean;
  /** Index just past the tag's `>`; -1 when the input ends inside the tag (browsers drop it). */
  next: number;
}

/** Reads a tag whose name starts at `at` (after `<` or `</`). Linear in the tag's length. */
function readTag(html: string, at: number, end: boolean): Tag {
  const n = html.length;
  let i = at;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === 47 || c === 62) break;
    i++;
  }
  const name = html.slice(at, i).toLowerCase();
  let selfClosing = false;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 62) return { name, end, selfClosing, next: i + 1 };
    if (c === 47) {
      selfClosing = html.charCodeAt(i + 1) === 62;
      i++;
      continue;
    }
    selfClosing = false;
    if (c === 61) {
      // After '=' (and white space) a quote opens a value that runs to its closing quote; elsewhere a quote is a character.
      i++;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      const q = html.charCodeAt(i);
      if (q === 34 || q === 39) {
        const close = html.indexOf(q === 34 ? '"' : "'", i + 1);
        if (close === -1) return { name, end, selfClosing: false, next: -1 };
        i = close + 1;
      }
      continue;
    }
    i++;
  }
  return { name, end, selfClosing: false, next: -1 };
}

/**
 * The maximum depth of open elements a browser would build from `html`, counting
 * elements that need an end tag (see the module comment for what is counted). Runs
 * in time linear in the length of `html` whatever it contains. Pure.
 */
export function htmlNestingDepth(html: string): number {
  const n = html.length;
  /** Open elements that count; `foreign`: the namespace of an svg/math element or one inside it. */
  const stack: { name: string; foreign: Namespace }[] = [];
  /** How many of each name are open, so an end tag finds its element in O(1). */
  const open = new Map<string, number>();
  /** Stack indexes of the open elements of each name, innermost last. */
  const positions = new Map<string, number[]>();
  /** For each stack index: the index of the nearest special / scope-boundary element at or below it (-1: none). */
  const specialAt: number[] = [];
  const boundaryAt: number[] = [];
  let max = 0;
  const push = (name: string, foreign: Namespace) => {
    const at = stack.length;
    stack.push({ name, foreign });
    open.set(name, (open.get(name) ?? 0) + 1);
    const list = positions.get(name);
    if (list) list.push(at);
    else positions.set(name, [at]);
    specialAt[at] = SPECIAL.has(name) ? at : (specialAt[at - 1] ?? -1);
    boundaryAt[at] = SCOPE_BOUNDARY.has(name) ? at : (boundaryAt[at - 1] ?? -1);
    if (stack.length > max) max = stack.length;
  };
  /**
   * Formatting elements closed by another element's end tag (`<div><b></div>`): the parser
   * keeps them in its list of active formatting elements and reopens them at the next
   * content, so they are pushed again before the next start tag (at most 3 of a name, as
   * the parser's "Noah's Ark" clause keeps).
   */
  let pending: string[] = [];
  const closeTo = (name: string) => {
    for (let top = pop(); top && top.name !== name; top = pop()) {
      if (FORMATTING.has(top.name) && pending.filter((p) => p === top.name).length < 3) pending.push(top.name);
    }
  };
  /** A leaf (void, raw-text or self-closed foreign element) is one level below the current element. */
  const leaf = () => {
    if (stack.length + 1 > max) max = stack.length + 1;
  };
  const pop = () => {
    const top = stack.pop();
    if (top) {
      open.set(top.name, (open.get(top.name) ?? 1) - 1);
      positions.get(top.name)?.pop();
    }
    return top;
  };
  /** In svg/math content (and not inside an integration point): self-closing is honoured, no raw text. */
  const inForeign = () => {
    const top = stack[stack.length - 1];
    return top !== undefined && top.foreign !== false && !INTEGRATION[top.foreign].has(top.name);
  };

  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    const c = html.charCodeAt(lt + 1);
    if (c === 33) {
      // <!-- comment -->, <![CDATA[ … ]]> in foreign content, else a bogus comment / doctype to '>'.
      if (html.startsWith('<!--', lt)) {
        if (html.startsWith('<!-->', lt)) i = lt + 5;
        else if (html.startsWith('<!--->', lt)) i = lt + 6;
        else {
          const close = html.indexOf('--', lt + 4);
          let end = -1;
          for (let at = close; at !== -1; at = html.indexOf('--', at + 1)) {
            if (html.charCodeAt(at + 2) === 62) {
              end = at + 3;
              break;
            }
            if (html.startsWith('--!>', at)) {
              end = at + 4;
              break;
            }
          }
          i = end === -1 ? n : end;
        }
      } else if (inForeign() && html.startsWith('<![CDATA[', lt)) {
        const close = html.indexOf(']]>', lt + 9);
        i = close === -1 ? n : close + 3;
      } else {
        const close = html.indexOf('>', lt + 2);
        i = close === -1 ? n : close + 1;
      }
      continue;
    }
    if (c === 63) {
      // <? … > is a bogus comment.
      const close = html.indexOf('>', lt + 2);
      i = close === -1 ? n : close + 1;
      continue;
    }
    let tag: Tag;
    if (c === 47) {
      const d = html.charCodeAt(lt + 2);
      if (!isAsciiLetter(d)) {
        // </> is dropped; </ followed by anything else is a bogus comment to '>'.
        const close = html.indexOf('>', lt + 2);
        i = d === 62 ? lt + 3 : close === -1 ? n : close + 1;
        continue;
      }
      tag = readTag(html, lt + 2, true);
    } else if (isAsciiLetter(c)) {
      tag = readTag(html, lt + 1, false);
    } else {
      i = lt + 1; // a lone '<' is text
      continue;
    }
    if (tag.next === -1) break; // the input ends inside a tag: the browser drops it
    i = tag.next;
    const { name } = tag;

    if (tag.end) {
      if ((open.get(name) ?? 0) === 0) {
        const at = pending.lastIndexOf(name);
        if (at !== -1) pending.splice(at, 1);
        // A stray end tag is ignored, except </p> and </br>, which insert an empty element.
        if (name === 'p' || name === 'br') leaf();
        continue;
      }
      const top = stack.length - 1;
      const innermost = positions.get(name)?.at(-1) ?? -1;
      let closes: boolean;
      if (stack[top]?.name === name) closes = true;
      // A misnested formatting end tag (`<a><div></a>`) keeps the elements above open (the adoption
      // agency moves them and clones the formatting element into them): nothing is popped then.
      else if (FORMATTING.has(name)) closes = false;
      // Table structure closes down to its element unless another table is open inside it.
      else if (TABLE_CONTEXT.has(name) || name === 'table')
        closes = innermost >= (positions.get('table')?.at(-1) ?? -1);
      // A special element's end tag closes it when it is in scope (no table, cell, … above it).
      else if (SPECIAL.has(name)) closes = innermost >= (boundaryAt[top] ?? -1);
      // Any other end tag closes its element unless a special element is open above it.
      else closes = innermost > (specialAt[top] ?? -1);
      if (!closes) continue;
      closeTo(name);
      continue;
    }
    if (inForeign()) {
      if (BREAKOUT.has(name)) {
        // An HTML element ends the svg/math content it appears in.
        while (stack.length > 0 && inForeign()) pop();
      } else {
        if (tag.selfClosing) leaf();
        else push(name, stack[stack.length - 1]?.foreign ?? false);
        continue;
      }
    }
    if (name === 'svg' || name === 'math') {
      if (tag.selfClosing) leaf();
      else push(name, name);
      continue;
    }
    if (name === 'plaintext') {
      leaf();
      break; // the rest of the page is text
    }
    if (RAW_TEXT.has(name)) {
      leaf();
      i = skipRawText(html, i, name);
      continue;
    }
    if (NOT_COUNTED.has(name)) continue;
    if (VOID.has(name)) {
      leaf();
      continue;
    }
    // Table structure inside an open table first closes whatever was open in the cell or foster-parented.
    if (TABLE_PARTS.has(name) && (open.get('table') ?? 0) > 0) {
      for (let top = stack[stack.length - 1]; top && !TABLE_CONTEXT.has(top.name); top = stack[stack.length - 1]) pop();
    }
    // A start tag closes the current element when that element's end tag may be left out before it.
    for (let top = stack[stack.length - 1]; top && CLOSED_BY[top.name]?.has(name); top = stack[stack.length - 1]) pop();
    if (pending.length > 0 && !TABLE_PARTS.has(name)) {
      const reopen = pending;
      pending = [];
      for (const f of reopen) push(f, false);
    }
    // Rows and cells straight inside a table get the tbody (and row) the parser inserts.
    const top = stack[stack.length - 1]?.name;
    if (top === 'table' && (name === 'tr' || name === 'td' || name === 'th')) push('tbody', false);
    if ((top === 'table' || stack[stack.length - 1]?.name === 'tbody') && (name === 'td' || name === 'th')) {
      push('tr', false);
    }
    // The slash of <div/> means nothing on an HTML element: it stays open.
    push(name, false);
  }
  return max;
}
