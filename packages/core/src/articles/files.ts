import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { clip } from '../excerpt.js';
import type { ArticleMeta, IngestIssue } from '../types.js';
import { metaFromFields } from './formats.js';
import { errorReason } from './fs-errors.js';

/** A path that is not a regular file (a FIFO, a device, a socket). */
export class NotAFileError extends Error {
  override readonly name = 'NotAFileError';
  readonly code = 'ENOTREGULAR';
}

/**
 * Reads at most `maxBytes + 1` bytes, so an oversized file is detected without reading it whole.
 * Opened non-blocking and checked to be a regular file first: opening a FIFO for reading
 * would otherwise wait for a writer forever (with the index lock held).
 * @throws NotAFileError for anything but a regular file.
 */
export async function readBounded(
  file: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!info.isFile()) throw new NotAFileError('not a regular file (a FIFO, device or socket); skipped');
    const { size } = info;
    if (size > maxBytes) return { tooLarge: size };
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    // The file may have grown since stat().
    if (filled > maxBytes) return { tooLarge: filled };
    return { bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

/** Metadata from `<name>.meta.json` (or `<name>.<ext>.meta.json`) beside the file, if there is one. */
export async function readSidecar(
  file: string,
  extension: string,
  issues: IngestIssue[],
  maxBytes: number,
): Promise<ArticleMeta> {
  const candidates = [`${file.slice(0, file.length - extension.length)}.meta.json`, `${file}.meta.json`];
  for (const sidecar of candidates) {
    let raw: string;
    try {
      // The same limits as an article: a size cap, and only a regular file (a FIFO would hang the run).
      const read = await readBounded(sidecar, maxBytes);
      if ('tooLarge' in read) {
        issues.push({
          code: 'ARTICLE_TOO_LARGE',
          path: sidecar,
          message: `${sidecar}: metadata sidecar of ${read.tooLarge} bytes is over the limit of ${maxBytes} bytes; ignored`,
        });
        return {};
      }
      raw = Buffer.from(read.bytes).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      issues.push({
        code: 'ARTICLE_UNREADABLE',
        path: sidecar,
        message: `${sidecar}: metadata sidecar cannot be read: ${errorReason(error)}`,
      });
      return {};
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.replace(/^\uFEFF/, ''));
    } catch (error) {
      issues.push({
        code: 'ARTICLE_BAD_FORMAT',
        path: sidecar,
        message: `${sidecar}: metadata sidecar is not valid JSON (${clip((error as Error).message, 200)}); ignored`,
      });
      return {};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({
        code: 'ARTICLE_BAD_FORMAT',
        path: sidecar,
        message: `${sidecar}: metadata sidecar must be a JSON object; ignored`,
      });
      return {};
    }
    const { meta, problems } = metaFromFields(value as Record<string, unknown>, sidecar);
    for (const message of problems) issues.push({ code: 'ARTICLE_BAD_FORMAT', path: sidecar, message });
    return meta;
  }
  return {};
}
