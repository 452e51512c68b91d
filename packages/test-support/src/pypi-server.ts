import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A running local stand-in of PyPI's simple repository API (PEP 503). */
export interface LocalPypi {
  /** `http://127.0.0.1:<port>/simple/`, for `PIP_INDEX_URL`. */
  indexUrl: string;
  /** Paths requested, in order. */
  requests: string[];
  close: () => Promise<void>;
}

/** PEP 503 name normalisation: runs of `-`, `_`, `.` become one `-`, lower case. */
const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * Serves wheel files the way PyPI's simple index does: `/simple/<project>/` lists the
 * project's files as links carrying `#sha256=…` (which pip checks), `/files/<name>`
 * serves the bytes, anything else is 404.
 *
 * @param projects project name → wheel files to serve for it (the file name is kept).
 */
export async function startLocalPypi(projects: Record<string, readonly string[]>): Promise<LocalPypi> {
  const files = new Map<string, string>();
  const pages = new Map<string, string>();
  for (const [project, wheels] of Object.entries(projects)) {
    const links: string[] = [];
    for (const wheel of wheels) {
      const name = path.basename(wheel);
      files.set(name, wheel);
      const sha = createHash('sha256')
        .update(await readFile(wheel))
        .digest('hex');
      links.push(`<a href="/files/${name}#sha256=${sha}">${name}</a><br/>`);
    }
    pages.set(normalise(project), `<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
  }
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const page = /^\/simple\/([^/]+)\/?$/.exec(url.pathname);
    if (page && pages.has(normalise(page[1] as string))) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(normalise(page[1] as string)));
      return;
    }
    const file = /^\/files\/([^/]+)$/.exec(url.pathname);
    const local = file ? files.get(file[1] as string) : undefined;
    if (local === undefined) {
      res.writeHead(404).end('Not Found');
      return;
    }
    readFile(local).then(
      (bytes) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    indexUrl: `http://127.0.0.1:${port}/simple/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
