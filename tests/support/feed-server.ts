/**
 * A real HTTP server on 127.0.0.1 for the ingest tests and bench: serves the feed fixtures
 * (with `{{BASE}}` replaced by its own origin), ETags and 304s, and lets a test add routes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '@newsrag/test-support';

export const FEED_FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'feeds');

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  base: string;
  /** Requests seen per path (with query). */
  hits: Map<string, number>;
  /** User-Agent headers seen. */
  agents: string[];
  route(pathname: string, handler: Handler): void;
  /** Serves `body` with an ETag of its hash, answering 304 to a matching If-None-Match. */
  serve(pathname: string, body: string | Buffer, contentType: string): void;
  /** Serves a fixture file with `{{BASE}}` replaced. */
  fixture(pathname: string, file: string, contentType: string): void;
  close(): Promise<void>;
}

export function fixtureText(file: string, base: string): string {
  return readFileSync(path.join(FEED_FIXTURES, file), 'utf8').replaceAll('{{BASE}}', base);
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const agents: string[] = [];
  const server = http.createServer((req, res) => {
    const key = req.url ?? '/';
    hits.set(key, (hits.get(key) ?? 0) + 1);
    agents.push(String(req.headers['user-agent'] ?? ''));
    const handler = routes.get(new URL(key, 'http://x').pathname);
    if (handler) return handler(req, res);
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const serve = (pathname: string, body: string | Buffer, contentType: string) => {
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    routes.set(pathname, (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      res.writeHead(200, { 'content-type': contentType, etag });
      res.end(body);
    });
  };
  return {
    base,
    hits,
    agents,
    route: (p, h) => routes.set(p, h),
    serve,
    fixture: (p, file, type) => serve(p, fixtureText(file, base), type),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
