import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** One request the fake hub answered. */
export interface HubRequest {
  method: string;
  url: string;
  status: number;
  range: string | undefined;
}

/** A running local stand-in of the Hugging Face hub's file endpoint. */
export interface LocalHub {
  /** `http://127.0.0.1:<port>/`, for `remoteHost`. */
  url: string;
  requests: HubRequest[];
  close: () => Promise<void>;
}

/**
 * Serves model folders in the hub's URL layout, `/{model}/resolve/{revision}/{file}`,
 * on 127.0.0.1 with an ephemeral port: `200` with the exact `content-length`, `206` +
 * `content-range` for `Range: bytes=a-b` (transformers.js asks for `bytes=0-0` to learn
 * sizes), `404` for unknown models, revisions or files, and HEAD like GET without a body.
 *
 * @param models hub model id → local folder holding its files.
 * @param revisions revisions the server knows (default `main`).
 */
export async function startLocalHub(
  models: Record<string, string>,
  revisions: readonly string[] = ['main'],
): Promise<LocalHub> {
  const requests: HubRequest[] = [];
  const server: Server = createServer((req, res) => {
    const record = (status: number): void => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', status, range: req.headers.range });
    };
    const notFound = (): void => {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain', 'x-error-code': 'EntryNotFound' }).end('Entry not found');
    };
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const match = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(pathname);
    const folder = match ? models[match[1] as string] : undefined;
    if (
      !match ||
      folder === undefined ||
      !revisions.includes(match[2] as string) ||
      (match[3] as string).includes('..')
    ) {
      notFound();
      return;
    }
    const file = path.join(folder, match[3] as string);
    stat(file).then(
      (info) => {
        if (!info.isFile()) return notFound();
        const size = info.size;
        const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        const headers = {
          'content-type': 'application/octet-stream',
          'accept-ranges': 'bytes',
          etag: `"${size}-${info.mtimeMs}"`,
        };
        let start = 0;
        let end = size - 1;
        let status = 200;
        if (range) {
          start = Number(range[1]);
          end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start >= size || start > end) {
            record(416);
            res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
            return;
          }
          status = 206;
        }
        const length = end - start + 1;
        record(status);
        res.writeHead(status, {
          ...headers,
          'content-length': String(length),
          ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
        });
        if (req.method === 'HEAD' || length === 0) {
          res.end();
          return;
        }
        createReadStream(file, { start, end }).pipe(res);
      },
      () => notFound(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A loopback URL on which nothing listens: a port we bound and released. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
