import { open, readFile } from 'node:fs/promises';
import { clip } from '../excerpt.js';
import type { ArticleMeta, IngestIssue } from '../types.js';
import { metaFromFields } from './formats.js';
import { errorReason } from './fs-errors.js';

/** Reads at most `maxBytes + 1` bytes, so an oversized file is detected without reading it whole. */
export async function readBounded(
  file: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
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
export async function readSidecar(file: string, extension: string, issues: IngestIssue[]): Promise<ArticleMeta> {
  const candidates = [`${file.slice(0, file.length - extension.length)}.meta.json`, `${file}.meta.json`];
  for (const sidecar of candidates) {
    let raw: string;
    try {
      raw = await readFile(sidecar, 'utf8');
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
