import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { NewsragError, newsragError } from '../errors.js';
import { type AllowList, bareHost, blocked, checkUrl, redactUrl, refusedRange } from './address-policy.js';

/** How one URL is fetched. Every limit is required here; the defaults live in `config.ts`. */
export interface HttpOptions {
  userAgent: string;
  /** Hosts that may resolve to private addresses. */
  allow: AllowList;
  /** Time to get a connected socket (ms). */
  connectTimeoutMs: number;
  /** Time for the whole exchange, redirects and body included (ms). */
  totalTimeoutMs: number;
  /** Largest body accepted, before and after decompression (bytes). */
  maxBytes: number;
  maxRedirects: number;
}

/** Validators of an earlier response, sent back so an unchanged resource costs a 304. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  headers: IncomingHttpHeaders;
  /** Decoded from the transfer encoding (gzip, br, deflate); empty on 304. */
  body: Buffer;
  validators: Validators;
}

/** The HTTP status of a `FETCH_FAILED` error for an error status, else undefined. */
export function httpStatusOf(error: unknown): number | undefined {
  const cause = (error as { cause?: { status?: unknown } } | null)?.cause;
  return typeof cause?.status === 'number' ? cause.status : undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A DNS lookup that refuses private, loopback, link-local, unique-local, CGNAT and other
 * non-public addresses unless the host is allowed. The socket connects to the address
 * returned here, the one that was checked: no second resolution, no rebinding gap.
 */
export function guardedLookup(allow: AllowList, url: URL): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (!allow.has(bareHost(hostname))) {
        for (const a of addresses) {
          const why = refusedRange(a.address);
          if (why !== null) return callback(blocked(url, `${hostname} (${a.address})`, why), '', 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * GETs an untrusted URL like a good citizen: a clear User-Agent, gzip/br/deflate, connect
 * and total timeouts, a size cap enforced while streaming, a redirect cap with loop
 * detection and every hop checked against the address policy, and conditional headers.
 * Errors are `NewsragError`s (`FETCH_*`) naming the URL without credentials.
 */
export async function httpGet(
  raw: string,
  options: HttpOptions,
  validators: Validators = {},
  accept = '*/*',
): Promise<HttpResponse> {
  const deadline = Date.now() + options.totalTimeoutMs;
  const seen = new Set<string>();
  let url = checkUrl(raw, options.allow);
  for (let hop = 0; ; hop++) {
    seen.add(url.href);
    const response = await requestOnce(url, options, hop === 0 ? validators : {}, accept, deadline);
    if (!('location' in response)) return response;
    const next = checkUrl(new URL(response.location, url).href, options.allow);
    if (seen.has(next.href)) {
      throw newsragError('FETCH_REDIRECTS', { url: redactUrl(raw), loopTo: redactUrl(next) });
    }
    if (hop + 1 > options.maxRedirects) {
      throw newsragError('FETCH_REDIRECTS', { url: redactUrl(raw), limit: options.maxRedirects });
    }
    url = next;
  }
}

function requestOnce(
  url: URL,
  options: HttpOptions,
  validators: Validators,
  accept: string,
  deadline: number,
): Promise<HttpResponse | { location: string }> {
  const shown = redactUrl(url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      req.destroy();
      reject(error);
    };
    const target = new URL(url.href);
    target.username = '';
    target.password = '';
    const req = client.request(target, {
      method: 'GET',
      headers,
      lookup: guardedLookup(options.allow, url),
    });
    const remaining = Math.max(0, deadline - Date.now());
    const totalTimer = setTimeout(
      () =>
        fail(newsragError('FETCH_TIMEOUT', { url: shown, phase: 'answer', seconds: options.totalTimeoutMs / 1000 })),
      remaining,
    );
    const connectTimer = setTimeout(
      () =>
        fail(newsragError('FETCH_TIMEOUT', { url: shown, phase: 'connect', seconds: options.connectTimeoutMs / 1000 })),
      Math.min(options.connectTimeoutMs, remaining),
    );
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => {
      if (error instanceof NewsragError) return fail(error);
      fail(newsragError('FETCH_FAILED', { url: shown, problem: error.message }, { cause: error }));
    });
    req.on('response', (res: IncomingMessage) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        settled = true;
        clearTimeout(totalTimer);
        req.destroy();
        resolve({ location: res.headers.location });
        return;
      }
      const found: Validators = {
        ...(typeof res.headers.etag === 'string' ? { etag: res.headers.etag } : {}),
        ...(typeof res.headers['last-modified'] === 'string' ? { lastModified: res.headers['last-modified'] } : {}),
      };
      if (status === 304) {
        res.resume();
        settled = true;
        clearTimeout(totalTimer);
        req.destroy();
        resolve({ url: url.href, status, notModified: true, headers: res.headers, body: Buffer.alloc(0), validators });
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return fail(newsragError('FETCH_FAILED', { url: shown, problem: `HTTP ${status}` }, { cause: { status } }));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        return fail(tooLarge(shown, options.maxBytes, `it declares ${declared} bytes`));
      }
      readCapped(res, options.maxBytes, shown).then(
        (body) => {
          if (settled) return;
          settled = true;
          clearTimeout(totalTimer);
          resolve({ url: url.href, status, notModified: false, headers: res.headers, body, validators: found });
        },
        (error: Error) => fail(error),
      );
    });
    req.end();
  });
}

function tooLarge(shown: string, max: number, detail: string): NewsragError {
  return newsragError('FETCH_TOO_LARGE', { url: shown, limit: max, detail });
}

/** Reads a body through its content decoder, stopping at `max` raw or decoded bytes. */
function readCapped(res: IncomingMessage, max: number, shown: string): Promise<Buffer> {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  let stream: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(createGunzip());
  else if (encoding === 'br') stream = res.pipe(createBrotliDecompress());
  else if (encoding === 'deflate') stream = res.pipe(createInflate());
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let raw = 0;
    let decoded = 0;
    let done = false;
    const stop = (error: Error) => {
      if (done) return;
      done = true;
      res.destroy();
      if (stream !== res) stream.destroy();
      reject(error);
    };
    if (stream !== res) {
      res.on('data', (chunk: Buffer) => {
        raw += chunk.length;
        if (raw > max) stop(tooLarge(shown, max, 'compressed'));
      });
    }
    stream.on('data', (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > max) return stop(tooLarge(shown, max, 'streamed'));
      parts.push(chunk);
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(parts));
    });
    stream.on('error', (error) => stop(newsragError('FETCH_FAILED', { url: shown, problem: error.message })));
    res.on('aborted', () =>
      stop(newsragError('FETCH_FAILED', { url: shown, problem: 'the connection closed mid-response' })),
    );
  });
}
