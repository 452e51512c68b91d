/**
 * Ingest: throughput of `ingest()` (fetch + extract + index) from a local HTTP server
 * serving BBC articles as summary-only feed items with one HTML page each, and the cost
 * of a refresh when nothing changed (every feed answers 304). Politeness delay is 0 here
 * (one local host); a real site gets `perHostDelayMs` (500 ms) between requests.
 */
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type IngestSummary, ingest, openKnowledgeBase } from '@newsrag/core';
import { type BenchContext, REAL_MODEL } from '../lib/context.js';
import { num, table } from '../lib/markdown.js';
import { realModelCached } from '../lib/real-model.js';
import type { Section } from './section.js';

const FEEDS = 4;

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function bbcArticles(dir: string, n: number): Promise<Array<{ title: string; body: string }>> {
  const out: Array<{ title: string; body: string }> = [];
  for (const category of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const files = (await readdir(path.join(dir, category.name))).filter((f) => f.endsWith('.txt')).sort();
    for (const f of files.slice(0, Math.ceil(n / 5))) {
      const [title = f, ...rest] = (await readFile(path.join(dir, category.name, f), 'utf8')).split('\n');
      out.push({ title: title.trim(), body: rest.join('\n').trim() });
    }
  }
  return out.slice(0, n);
}

function page(a: { title: string; body: string }): string {
  const paragraphs = a.body
    .split(/\n\s*\n/)
    .map((p) => `<p>${xmlEscape(p.trim())}</p>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${xmlEscape(a.title)}</title></head><body><nav><a href="/">Home</a></nav><article><h1>${xmlEscape(a.title)}</h1>${paragraphs}</article><footer>footer</footer></body></html>`;
}

async function serve(articles: Array<{ title: string; body: string }>) {
  const routes = new Map<string, { body: string; type: string }>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.statusCode = 404;
      return res.end();
    }
    const etag = `"${r.body.length}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return res.end();
    }
    res.writeHead(200, { 'content-type': r.type, etag });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const items: string[][] = Array.from({ length: FEEDS }, () => []);
  articles.forEach((a, i) => {
    routes.set(`/a/${i}.html`, { body: page(a), type: 'text/html; charset=utf-8' });
    items[i % FEEDS]?.push(
      `<item><title>${xmlEscape(a.title)}</title><link>${base}/a/${i}.html</link><guid>bench-${i}</guid><description>${xmlEscape(a.body.slice(0, 120))}</description></item>`,
    );
  });
  items.forEach((list, f) => {
    routes.set(`/feed-${f}.xml`, {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Bench ${f}</title><link>${base}/</link>${list.join('')}</channel></rss>`,
      type: 'application/rss+xml',
    });
  });
  return {
    feeds: Array.from({ length: FEEDS }, (_, f) => `${base}/feed-${f}.xml`),
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const ingestSection: Section = {
  id: 'ingest',
  title: 'Ingest (feeds → pages → index)',
  async run(ctx: BenchContext) {
    const n = ctx.plan.quick ? 60 : 300;
    const articles = await bbcArticles(ctx.inputs.bbcDir, n);
    const real = realModelCached(REAL_MODEL);
    const model = real ? REAL_MODEL : 'standin';
    const dtype = 'q8' as const;
    const server = await serve(articles);
    const kb = await openKnowledgeBase({ indexDir: ctx.scratch('ingest-index'), model, dtype });
    const articlesDir = ctx.scratch('ingest-articles');
    const options = { feeds: server.feeds, articlesDir, allowHosts: ['127.0.0.1'], perHostDelayMs: 0, kb };
    try {
      ctx.log(`ingest: ${articles.length} articles in ${FEEDS} feeds, ${model} ${dtype}`);
      const timed = async (): Promise<{ s: IngestSummary; seconds: number; requests: number }> => {
        const r0 = server.requests();
        const t0 = performance.now();
        const s = await ingest(options);
        return { s, seconds: (performance.now() - t0) / 1000, requests: server.requests() - r0 };
      };
      const first = await timed();
      const refresh = await timed();
      const refreshNoIndex = await (async () => {
        const t0 = performance.now();
        await ingest({ ...options, kb: undefined });
        return (performance.now() - t0) / 1000;
      })();
      const indexSeconds = first.s.index?.seconds ?? 0;
      const data = {
        model,
        dtype,
        articles: articles.length,
        feeds: FEEDS,
        first: {
          seconds: first.seconds,
          new: first.s.new,
          requests: first.requests,
          indexSeconds,
          chunksEmbedded: first.s.index?.chunksEmbedded ?? 0,
          articlesPerSecond: first.s.new / first.seconds,
          fetchExtractArticlesPerSecond: first.s.new / Math.max(1e-9, first.seconds - indexSeconds),
          issues: first.s.issues.length,
        },
        refresh: {
          seconds: refresh.seconds,
          notModified: refresh.s.notModified,
          requests: refresh.requests,
          chunksEmbedded: refresh.s.index?.chunksEmbedded ?? 0,
          indexSeconds: refresh.s.index?.seconds ?? 0,
          secondsWithoutIndex: refreshNoIndex,
        },
      };
      const markdown = [
        table(
          ['run', 'articles', 'HTTP requests', 'seconds', 'articles/s', 'index s', 'chunks embedded'],
          [
            [
              'first (all new)',
              String(first.s.new),
              String(first.requests),
              num(first.seconds, 2),
              num(data.first.articlesPerSecond, 1),
              num(indexSeconds, 2),
              String(data.first.chunksEmbedded),
            ],
            [
              'refresh, nothing changed',
              '0',
              String(refresh.requests),
              num(refresh.seconds, 2),
              '–',
              num(data.refresh.indexSeconds, 2),
              String(data.refresh.chunksEmbedded),
            ],
          ],
        ),
        '',
        `${articles.length} BBC articles as summary-only items in ${FEEDS} RSS feeds on 127.0.0.1 (one page fetched and extracted per item), ${model} ${dtype}; per-host concurrency 2, delay 0. ` +
          `Fetch + extract alone: ${num(data.first.fetchExtractArticlesPerSecond, 1)} articles/s. ` +
          `The refresh is ${refresh.s.notModified} conditional GETs answered 304; without the index pass it takes ${num(refreshNoIndex, 3)} s.` +
          (real ? '' : ` (${REAL_MODEL} is not cached, so the stand-in model indexed.)`),
      ].join('\n');
      return { markdown, floors: [], data };
    } finally {
      await kb.close();
      await server.close();
    }
  },
};
