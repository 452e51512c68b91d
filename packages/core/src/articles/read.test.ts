import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SEED_ARTICLES } from '@newsrag/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article, IngestIssue } from '../types.js';
import { bodyStart } from './body.js';
import { readArticles } from './read.js';

const SEEDS = SEED_ARTICLES;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsrag-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

const byId = (articles: Article[]) => new Map(articles.map((a) => [a.id, a]));
const only = (issues: IngestIssue[], code: IngestIssue['code']) => issues.filter((i) => i.code === code);
const BODY = 'The central bank raised interest rates on Tuesday. Markets fell sharply in response.';

describe('readArticles: the seed articles', () => {
  it('extracts exactly the title and date each seed states', async () => {
    const { articles, issues, ignored } = await readArticles([SEEDS]);
    expect(issues).toEqual([]);
    expect(ignored).toBe(1); // data/articles/README.md, a corpus note, not an article
    expect(articles.map((a) => a.id)).toEqual(['000_0b4336e44a9e5dd7', '001_f936b67f468a0892', '002_f0f8caaea104d497']);
    const [a0, a1, a2] = articles as [Article, Article, Article];
    expect(a0.meta).toEqual({
      title: "Russian President's visit was his first to North Korea in 24 years.",
      date: '2024-06-21',
    });
    expect(a1.meta).toEqual({ date: '2024-06-19' });
    expect(a2.meta).toEqual({});
    for (const a of articles) {
      expect(a.path).toBe(path.join(SEEDS, `${a.id}.txt`));
      expect(a.text).toBe(await readFile(a.path, 'utf8'));
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(bodyStart(a0)).toBe(a0.text.indexOf('A video showing'));
    expect(bodyStart(a1)).toBe(a1.text.indexOf('Putin and Kim shook hands'));
    expect(bodyStart(a2)).toBe(0);
  });

  it('uses the parent folder as root for a file argument, or the given root', async () => {
    const file = path.join(SEEDS, '001_f936b67f468a0892.txt');
    expect((await readArticles([file])).articles[0]?.id).toBe('001_f936b67f468a0892');
    expect((await readArticles([file], { root: REPO_ROOT })).articles[0]?.id).toBe(
      'data/articles/001_f936b67f468a0892',
    );
  });
});

describe('readArticles: roots', () => {
  it('names a file outside the given root by its file name (seeds mixed into a corpus)', async () => {
    await put('corpora/bbc/tech/001.txt', `Headline here now\n\n${BODY}`);
    await put('seeds/000_abc.txt', `${BODY} Seed.`);
    const { articles, issues } = await readArticles([path.join(dir, 'seeds'), path.join(dir, 'corpora/bbc')], {
      root: path.join(dir, 'corpora'),
    });
    expect(issues).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual(['000_abc', 'bbc/tech/001']);
  });
});

describe('readArticles: formats and metadata', () => {
  it('reads Markdown with YAML front matter', async () => {
    await put(
      'md/rates.md',
      `---\ntitle: Rates rise again\ndate: 2024-06-19\nauthor: [Jane Doe, John Roe]\nurl: https://example.com/rates\nsource: Example News\n---\n\n# Rates rise again\n\n${BODY}\n`,
    );
    await put('md/plain.markdown', `# Storm hits the coast\n\n${BODY}\n`);
    const { articles, issues } = await readArticles([dir]);
    expect(issues).toEqual([]);
    const a = byId(articles);
    const rates = a.get('md/rates') as Article;
    expect(rates.meta).toEqual({
      title: 'Rates rise again',
      date: '2024-06-19',
      url: 'https://example.com/rates',
      source: 'Example News',
      author: 'Jane Doe, John Roe',
    });
    expect(rates.text).toBe(`# Rates rise again\n\n${BODY}\n`);
    expect(rates.text.slice(bodyStart(rates))).toBe(`${BODY}\n`);
    expect(a.get('md/plain')?.meta).toEqual({ title: 'Storm hits the coast' });
  });

  it('extracts the article of an HTML page: no scripts, styles or navigation, paragraphs kept apart', async () => {
    await put(
      'page.html',
      `<!doctype html><html><head><title>Kim meets Putin</title>
      <meta property="article:published_time" content="2024-06-19T10:00:00Z">
      <link rel="canonical" href="https://example.com/kim-putin">
      <style>p { color: red }</style><script>var leaked = "SCRIPT TEXT";</script></head>
      <body><nav><a href="/">Home</a> <a href="/world">NAVIGATION LINK</a></nav>
      <article><h1>Kim meets Putin</h1><p class="byline">By Jane Doe</p>
      <p>Vladimir Putin and Kim Jong Un signed a pact on Wednesday. The pact includes a vow of mutual aid if either is attacked, officials in Pyongyang said.</p>
      <p>The two leaders held two hours of talks at Kim's residence before signing the agreement. It positions Russia and North Korea at the centre of an anti-West axis, analysts say.</p>
      <script>console.log("INLINE SCRIPT")</script>
      <p>Putin flew into Pyongyang before dawn after an eight-hour flight from Moscow, six time zones behind North Korea.</p></article>
      <footer>FOOTER TEXT</footer></body></html>`,
    );
    await put(
      'bare.htm',
      '<html><body><div>Only a short line of body text here.</div><script>evil()</script></body></html>',
    );
    const { articles, issues } = await readArticles([dir]);
    expect(issues).toEqual([]);
    const page = byId(articles).get('page') as Article;
    expect(page.meta).toEqual({
      title: 'Kim meets Putin',
      date: '2024-06-19',
      url: 'https://example.com/kim-putin',
      author: 'Jane Doe',
    });
    for (const junk of ['SCRIPT TEXT', 'INLINE SCRIPT', 'NAVIGATION LINK', 'FOOTER TEXT', 'color: red']) {
      expect(page.text).not.toContain(junk);
    }
    const paragraphs = page.text.split('\n\n');
    expect(paragraphs).toContain(
      'Vladimir Putin and Kim Jong Un signed a pact on Wednesday. The pact includes a vow of mutual aid if either is attacked, officials in Pyongyang said.',
    );
    expect(paragraphs.at(-1)).toBe(
      'Putin flew into Pyongyang before dawn after an eight-hour flight from Moscow, six time zones behind North Korea.',
    );
    // Readability finds no article in a tiny page: the body text is used instead.
    expect(byId(articles).get('bare')?.text).toBe('Only a short line of body text here.');
  });

  it('reads JSON objects and arrays, with id fields or 1-based indexes', async () => {
    await put(
      'one.json',
      JSON.stringify({ title: 'Single', text: `${BODY} One.`, date: '2024-01-05T08:00:00Z', source: 'Wire' }),
    );
    await put(
      'many.json',
      JSON.stringify([{ id: 'alpha', body: BODY }, { text: `${BODY} Second.` }, { id: 7, text: `${BODY} Third.` }]),
    );
    const { articles, issues } = await readArticles([dir]);
    expect(issues).toEqual([]);
    const a = byId(articles);
    expect([...a.keys()].sort()).toEqual(['many/2', 'many/7', 'many/alpha', 'one/1']);
    expect(a.get('one/1')?.meta).toEqual({ title: 'Single', date: '2024-01-05', source: 'Wire' });
    expect(a.get('many/2')?.path).toBe(path.join(dir, 'many.json#2'));
    expect(a.get('many/alpha')?.text).toBe(BODY);
  });

  it('reads JSONL; a malformed line is an issue naming file and line, the good lines still load', async () => {
    const file = await put(
      'feed.jsonl',
      [
        JSON.stringify({ id: 'a', title: 'First', text: BODY }),
        '{"id": "b", "text": "broken',
        '',
        JSON.stringify({ title: 'Third', text: `${BODY} Third.`, date: 'sometime soon' }),
        JSON.stringify({ id: 'd', title: 'No text' }),
        JSON.stringify({ id: 'e', text: '   ' }),
      ].join('\n'),
    );
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['feed/a', 'feed/4']);
    expect(articles[1]?.meta).toEqual({ title: 'Third' });
    expect(articles[1]?.path).toBe(`${file}#4`);
    const bad = only(issues, 'ARTICLE_BAD_FORMAT');
    expect(bad.map((i) => i.path)).toEqual([`${file}#2`, `${file}#4`, `${file}#5`]);
    expect(bad[0]?.message).toContain(`${file} line 2: not valid JSON`);
    expect(bad[1]?.message).toContain('field "date"');
    expect(bad[2]?.message).toContain('line 5: missing field "text"');
    expect(only(issues, 'ARTICLE_EMPTY')).toEqual([
      { code: 'ARTICLE_EMPTY', path: `${file}#6`, message: `${file} line 6: the text is empty` },
    ]);
  });

  it('refuses a JSON article whose text or title carries a NUL (\\u0000), naming the field, and keeps the others', async () => {
    const file = await put(
      'nul.jsonl',
      [
        JSON.stringify({ id: 'a', title: 'Fine', text: BODY }),
        JSON.stringify({ id: 'b', title: 'Bad', text: `${BODY}\u0000 more` }),
        JSON.stringify({ id: 'c', title: 'Bad\u0000title', text: BODY }),
      ].join('\n'),
    );
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['nul/a']);
    const bad = only(issues, 'ARTICLE_BAD_FORMAT');
    expect(bad.map((i) => i.path)).toEqual([`${file}#2`, `${file}#3`]);
    expect(bad[0]?.message).toContain('field "text" contains a NUL character');
    expect(bad[1]?.message).toContain('field "title" contains a NUL character');
  });

  it('reports a malformed JSON file and malformed front matter, and goes on', async () => {
    const json = await put('bad.json', '{"text": "unterminated');
    const md = await put('bad.md', '---\ntitle: [unclosed\n---\nBody text here.');
    const js = await put('js.md', '---js\n{ title: (globalThis.pwned = "yes") }\n---\nBody text here.');
    await put('good.txt', BODY);
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['ARTICLE_BAD_FORMAT', json],
      ['ARTICLE_BAD_FORMAT', md],
      ['ARTICLE_BAD_FORMAT', js],
    ]);
    expect(issues[1]?.message).toContain('front matter');
    // A JavaScript front matter is refused, never evaluated.
    expect(issues[2]?.message).toContain('JavaScript front matter is not allowed');
    expect((globalThis as { pwned?: string }).pwned).toBeUndefined();
  });

  it('takes metadata from a sidecar <name>.meta.json, which wins over the file', async () => {
    await put('side/story.md', `---\ntitle: In-file title\nauthor: In-file Author\n---\n${BODY}\n`);
    await put(
      'side/story.meta.json',
      JSON.stringify({ title: 'Sidecar title', date: '2023-03-04', url: 'https://example.com/s' }),
    );
    await put('side/plain.txt', `Plain headline here\n\n${BODY}\n`);
    const before = (await readArticles([path.join(dir, 'side/plain.txt')])).articles[0] as Article;
    await put('side/plain.meta.json', JSON.stringify({ source: 'BBC', date: 'March 4, 2023' }));
    const badSidecar = await put('side/broken.meta.json', '{not json');
    await put('side/broken.txt', BODY);
    const { articles, issues } = await readArticles([path.join(dir, 'side')]);
    const a = byId(articles);
    expect(a.get('story')?.meta).toEqual({
      title: 'Sidecar title',
      date: '2023-03-04',
      url: 'https://example.com/s',
      author: 'In-file Author',
    });
    const plain = a.get('plain') as Article;
    expect(plain.meta).toEqual({ title: 'Plain headline here', date: '2023-03-04', source: 'BBC' });
    expect(plain.text).toBe(before.text);
    // Same text, different metadata: a different hash.
    expect(plain.hash).not.toBe(before.hash);
    expect(a.get('broken')?.meta).toEqual({});
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'ARTICLE_BAD_FORMAT', path: badSidecar });
    // Sidecars are never articles themselves.
    expect([...a.keys()].sort()).toEqual(['broken', 'plain', 'story']);
  });

  it('computes the hash over the text and the canonical metadata', async () => {
    const file = await put('h.txt', `Plain headline here\n\n${BODY}\n`);
    const a = (await readArticles([file])).articles[0] as Article;
    const expected = createHash('sha256')
      .update(a.text)
      .update('\u0000')
      .update(JSON.stringify({ title: 'Plain headline here' }))
      .digest('hex');
    expect(a.hash).toBe(expected);
  });
});

describe('readArticles: bad inputs', () => {
  it('reports empty, binary and invalid files by name and reason, and reads the rest', async () => {
    const empty = await put('empty.txt', '');
    const blank = await put('blank.md', '  \n\t\n');
    const png = await put(
      'image.txt',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]),
    );
    const nul = await put('nul.txt', Buffer.concat([Buffer.from('Some text'), Buffer.from([0]), Buffer.from('more')]));
    const latin1 = await put('latin1.txt', Buffer.from([0x50, 0x72, 0x69, 0x63, 0x65, 0x3a, 0x20, 0xa3, 0x35]));
    await put('ok.txt', BODY);
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['ok']);
    const reason = (file: string) => issues.find((i) => i.path === file);
    expect(reason(empty)?.code).toBe('ARTICLE_EMPTY');
    expect(reason(blank)?.code).toBe('ARTICLE_EMPTY');
    expect(reason(png)).toMatchObject({
      code: 'ARTICLE_UNREADABLE',
      message: `${png}: binary content: looks like a PNG image`,
    });
    expect(reason(nul)?.message).toContain('NUL byte at offset 9');
    expect(reason(latin1)).toMatchObject({
      code: 'ARTICLE_UNREADABLE',
      message: `${latin1}: not valid UTF-8: byte 0xa3 at offset 7 (save the file as UTF-8)`,
    });
    expect(issues).toHaveLength(5);
  });

  it('decodes UTF-16 LE/BE with a BOM, drops a UTF-8 BOM and normalises CRLF', async () => {
    const text = 'Café owners in Zürich — “quiet” week\n\nPrices rose by £5 on Tuesday. Nobody complained.';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const beBody = Buffer.from(text, 'utf16le');
    for (let i = 0; i < beBody.length; i += 2)
      [beBody[i], beBody[i + 1]] = [beBody[i + 1] as number, beBody[i] as number];
    await put('le.txt', le);
    await put('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]));
    await put('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]));
    const { articles, issues } = await readArticles([dir]);
    expect(issues.filter((i) => i.code !== 'ARTICLE_DUPLICATE')).toEqual([]);
    expect(articles.map((a) => [a.id, a.text])).toEqual([
      ['be', text],
      ['bom', text],
      ['le', text],
    ]);
    expect(articles[0]?.meta.title).toBe('Café owners in Zürich — “quiet” week');
  });

  it('refuses files over maxBytes without reading them', async () => {
    const big = await put('big.txt', `${BODY}\n`.repeat(100));
    const sparse = await put('sparse.txt', 'x');
    await truncate(sparse, 21 * 1024 * 1024);
    await put('small.txt', BODY);
    const { articles, issues } = await readArticles([dir], { maxBytes: 2000 });
    expect(articles.map((a) => a.id)).toEqual(['small']);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['ARTICLE_TOO_LARGE', big],
      ['ARTICLE_TOO_LARGE', sparse],
    ]);
    expect(issues[0]?.message).toContain('over the limit of 2000 bytes');
    // The default limit is 20 MiB.
    const defaults = await readArticles([sparse]);
    expect(defaults.issues[0]?.code).toBe('ARTICLE_TOO_LARGE');
  });

  it('survives symlink loops, reads a linked file once and reports broken links', async () => {
    await put('corpus/a/one.txt', BODY);
    await put('corpus/b/two.txt', `${BODY} Two.`);
    await symlink('..', path.join(dir, 'corpus/a/up'));
    await symlink(path.join(dir, 'corpus'), path.join(dir, 'corpus/b/again'));
    await symlink(path.join(dir, 'corpus/a/one.txt'), path.join(dir, 'corpus/b/alias.txt'));
    await symlink(path.join(dir, 'corpus/missing.txt'), path.join(dir, 'corpus/dangling.txt'));
    const { articles, issues } = await readArticles([path.join(dir, 'corpus')]);
    expect(articles.map((a) => a.id).sort()).toEqual(['a/one', 'b/two']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'ARTICLE_UNREADABLE', path: path.join(dir, 'corpus/dangling.txt') });
    expect(issues[0]?.message).toContain('broken symbolic link');
  });

  it('reports a path that does not exist and reads the others', async () => {
    const good = await put('good.txt', BODY);
    const missing = path.join(dir, 'nope');
    const { articles, issues } = await readArticles([missing, good]);
    expect(articles.map((a) => a.id)).toEqual(['good']);
    expect(issues).toEqual([
      {
        code: 'ARTICLE_UNREADABLE',
        path: missing,
        message: `${missing}: the file does not exist (or disappeared while reading); nothing indexed under it is pruned`,
      },
    ]);
  });
});

describe('readArticles: folders, ids and duplicates', () => {
  it('skips dot files, dot folders, other extensions and corpus documentation, unless named', async () => {
    await put('.hidden.txt', BODY);
    await put('.git/x.txt', BODY);
    await put('notes.csv', 'a,b');
    await put('README.md', '# Corpus\n\nThese are the articles.');
    await put('SOURCE.md', '# Where they came from\n\nA dataset.');
    await put('news/one.txt', BODY);
    const { articles, issues, ignored } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['news/one']);
    expect(issues).toEqual([]);
    expect(ignored).toBe(3);
    const named = await readArticles([path.join(dir, 'README.md'), path.join(dir, 'notes.csv')]);
    expect(named.articles.map((a) => a.id)).toEqual(['README']);
    expect(named.issues.map((i) => i.code)).toEqual(['ARTICLE_BAD_FORMAT']);
    expect(named.issues[0]?.message).toContain('unsupported file type');
  });

  it('skips a second file with the same id, keeps identical texts under two names with a notice', async () => {
    const txt = await put('same.md', `${BODY} A.`);
    const md = await put('same.txt', `${BODY} B.`);
    const first = await put('copy1.txt', BODY);
    const second = await put('copy2.txt', BODY);
    const { articles, issues } = await readArticles([dir]);
    expect(articles.map((a) => a.id)).toEqual(['copy1', 'copy2', 'same']);
    expect(byId(articles).get('same')?.path).toBe(txt);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['ARTICLE_DUPLICATE', second],
      ['ARTICLE_DUPLICATE', md],
    ]);
    expect(issues[0]?.message).toContain(`same text as article "copy1" (${first})`);
    expect(issues[1]?.message).toContain(`id "same" is already used by ${txt}`);
    // The identical text is kept (a warning), the clashing id is not.
    expect(issues.map((i) => i.indexed ?? false)).toEqual([true, false]);
  });

  it('returns the same articles in the same order at any concurrency', async () => {
    for (let i = 0; i < 30; i++) await put(`c/${String(i).padStart(2, '0')}.txt`, `${BODY} Number ${i}.`);
    const one = await readArticles([dir], { concurrency: 1 });
    const many = await readArticles([dir], { concurrency: 16 });
    expect(many.articles.map((a) => a.hash)).toEqual(one.articles.map((a) => a.hash));
    expect(one.articles.map((a) => a.id)).toEqual(
      Array.from({ length: 30 }, (_, i) => `c/${String(i).padStart(2, '0')}`),
    );
  });
});
