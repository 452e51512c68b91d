/**
 * The ingest fetcher against a real HTTP server on 127.0.0.1: caps, timeouts, redirects,
 * compression, conditional GET, robots.txt and the address policy.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { allowList } from '@newsrag/core';
import {
  type HttpOptions,
  httpGet,
  NEWSRAG_VERSION,
  PoliteFetcher,
  parseIngestSettings,
} from '@newsrag/core/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../support/feed-server.js';

let server: FeedServer;
let opts: HttpOptions;
/** Bytes the 30 MB route managed to write before the client hung up. */
let hugeSent = 0;

beforeAll(async () => {
  server = await startFeedServer();
  opts = {
    userAgent: `newsrag/${NEWSRAG_VERSION} (+mailto:ops@example.org)`,
    allow: allowList(['127.0.0.1']),
    connectTimeoutMs: 2000,
    totalTimeoutMs: 1500,
    maxBytes: 1024 * 1024,
    maxRedirects: 3,
  };
  server.serve('/plain', 'hello', 'text/plain');
  const text = 'gzip and brotli bodies are decoded '.repeat(50);
  server.route('/gzip', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
    res.end(gzipSync(text));
  });
  server.route('/br', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'br', 'content-type': 'text/plain' });
    res.end(brotliCompressSync(text));
  });
  // 30 MB streamed in 64 KiB writes with no Content-Length; stops when the client goes away.
  server.route('/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = 30 * 1024 * 1024;
    const pump = () => {
      while (hugeSent < total && !res.destroyed) {
        hugeSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => undefined);
    pump();
  });
  // A zip bomb in miniature: small on the wire, large once decompressed.
  server.route('/bomb', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    res.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
  });
  server.route('/stall', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    // never ends
  });
  server.route('/loop-a', (_req, res) => {
    res.writeHead(302, { location: '/loop-b' });
    res.end();
  });
  server.route('/loop-b', (_req, res) => {
    res.writeHead(301, { location: `${server.base}/loop-a` });
    res.end();
  });
  for (let i = 0; i < 6; i++) {
    server.route(`/chain-${i}`, (_req, res) => {
      res.writeHead(307, { location: `/chain-${i + 1}` });
      res.end();
    });
  }
  server.route('/to-localhost', (_req, res) => {
    res.writeHead(302, { location: `http://localhost:${new URL(server.base).port}/plain` });
    res.end();
  });
  server.route('/robots.txt', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('User-agent: newsrag\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n');
  });
  server.serve('/private/page.html', '<p>secret</p>', 'text/html');
  server.route('/echo-auth', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(String(req.headers.authorization ?? 'none'));
  });
});

afterAll(async () => {
  await server?.close();
});

describe('httpGet', () => {
  it('says who it is in the User-Agent', async () => {
    await httpGet(`${server.base}/plain`, opts);
    expect(server.agents.at(-1)).toBe(`newsrag/${NEWSRAG_VERSION} (+mailto:ops@example.org)`);
  });

  it('decodes gzip and brotli', async () => {
    for (const p of ['/gzip', '/br']) {
      const r = await httpGet(`${server.base}${p}`, opts);
      expect(r.body.toString()).toBe('gzip and brotli bodies are decoded '.repeat(50));
    }
  });

  it('answers a matching ETag with a 304 and no body', async () => {
    const first = await httpGet(`${server.base}/plain`, opts);
    expect(first.validators.etag).toMatch(/^"/);
    const second = await httpGet(`${server.base}/plain`, opts, first.validators);
    expect(second.notModified).toBe(true);
    expect(second.body.length).toBe(0);
  });

  it('aborts a 30 MB response at the cap, without reading it all', async () => {
    await expect(httpGet(`${server.base}/huge`, opts)).rejects.toMatchObject({
      code: 'FETCH_TOO_LARGE',
      message: expect.stringContaining(`${server.base}/huge`),
    });
    // The server was cut off long before 30 MB (socket buffers allow a few MB at most).
    await new Promise((r) => setTimeout(r, 200));
    expect(hugeSent).toBeLessThan(12 * 1024 * 1024);
  });

  it('caps the decompressed size too', async () => {
    await expect(httpGet(`${server.base}/bomb`, opts)).rejects.toMatchObject({ code: 'FETCH_TOO_LARGE' });
  });

  it('gives up on a server that stalls, naming the URL', async () => {
    const started = Date.now();
    await expect(httpGet(`${server.base}/stall`, opts)).rejects.toMatchObject({
      code: 'FETCH_TIMEOUT',
      message: expect.stringContaining(`${server.base}/stall`),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a redirect loop and a chain longer than the cap', async () => {
    await expect(httpGet(`${server.base}/loop-a`, opts)).rejects.toMatchObject({
      code: 'FETCH_REDIRECTS',
      message: expect.stringContaining('redirect loop'),
    });
    await expect(httpGet(`${server.base}/chain-0`, opts)).rejects.toMatchObject({
      code: 'FETCH_REDIRECTS',
      message: expect.stringContaining('more than 3 redirects'),
    });
  });

  it('refuses 127.0.0.1 without the allow-list, before any request', async () => {
    const before = server.hits.get('/plain') ?? 0;
    await expect(httpGet(`${server.base}/plain`, { ...opts, allow: allowList() })).rejects.toMatchObject({
      code: 'FETCH_BLOCKED',
    });
    expect(server.hits.get('/plain') ?? 0).toBe(before);
  });

  it('checks every redirect hop after DNS: localhost is refused when only 127.0.0.1 is allowed', async () => {
    await expect(httpGet(`${server.base}/to-localhost`, opts)).rejects.toMatchObject({
      code: 'FETCH_BLOCKED',
      message: expect.stringMatching(/localhost \((127\.0\.0\.1|::1)\).*loopback/),
    });
    // Allowed by name, the same hop goes through.
    const ok = await httpGet(`${server.base}/to-localhost`, { ...opts, allow: allowList(['127.0.0.1', 'localhost']) });
    expect(ok.body.toString()).toBe('hello');
  });

  it('does not send or show credentials from the URL', async () => {
    const url = new URL(`${server.base}/echo-auth`);
    url.username = 'alice';
    url.password = 'hunter2';
    const r = await httpGet(url.href, opts);
    expect(r.body.toString()).toBe('none');
    await expect(httpGet(`http://alice:hunter2@127.0.0.1:1/x`, opts)).rejects.toSatisfy(
      (e: Error) => !e.message.includes('hunter2'),
    );
  });
});

describe('PoliteFetcher', () => {
  it('honours robots.txt Disallow for newsrag', async () => {
    const fetcher = new PoliteFetcher(
      parseIngestSettings({ allowHosts: ['127.0.0.1'], perHostDelayMs: 0, totalTimeoutMs: 2000 }),
    );
    await expect(fetcher.get(`${server.base}/private/page.html`)).rejects.toMatchObject({
      code: 'FETCH_BLOCKED',
      message: expect.stringContaining('robots.txt'),
    });
    expect(server.hits.get('/private/page.html') ?? 0).toBe(0);
    expect((await fetcher.get(`${server.base}/plain`)).body.toString()).toBe('hello');
    expect(server.hits.get('/robots.txt')).toBe(1);
  });
});
