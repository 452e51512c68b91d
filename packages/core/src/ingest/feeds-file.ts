import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { newsragError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic.js';
import { redactUrl } from './address-policy.js';

/**
 * The feeds file: one feed URL a line; blank lines and lines starting with `#` are ignored.
 * Plain text so that people can edit it too; written atomically.
 */

/** Parses the text of a feeds file into its URLs (pure). */
export function parseFeedsText(text: string): string[] {
  const feeds: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    if (!feeds.includes(t)) feeds.push(t);
  }
  return feeds;
}

/** Checks a URL someone wants to add: http(s) and parseable. Returns its normal form. */
export function validFeedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw newsragError('BAD_OPTIONS', { subject: `Feed URL ${redactUrl(raw)}`, problem: 'is not a valid URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw newsragError('BAD_OPTIONS', {
      subject: `Feed URL ${redactUrl(url)}`,
      problem: 'does not start with http:// or https://',
    });
  }
  return url.href;
}

/** The feeds listed in `file`; none when it does not exist. */
export async function readFeeds(file: string): Promise<string[]> {
  try {
    return parseFeedsText(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw newsragError('BAD_OPTIONS', {
      subject: `The feeds file ${file}`,
      problem: `could not be read (${(error as Error).message})`,
    });
  }
}

async function writeFeeds(file: string, feeds: string[]): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFileAtomic(file, `# newsrag feeds: one URL a line\n${feeds.map((f) => `${f}\n`).join('')}`);
}

/** Adds a feed (no-op when listed). Returns whether it was added. */
export async function addFeed(file: string, url: string): Promise<boolean> {
  const feed = validFeedUrl(url);
  const feeds = await readFeeds(file);
  if (feeds.includes(feed)) return false;
  await writeFeeds(file, [...feeds, feed]);
  return true;
}

/** Removes a feed. Returns whether it was listed. */
export async function removeFeed(file: string, url: string): Promise<boolean> {
  const feeds = await readFeeds(file);
  let target = url.trim();
  try {
    target = validFeedUrl(url);
  } catch {
    // remove the line as written
  }
  const kept = feeds.filter((f) => f !== target && f !== url.trim());
  if (kept.length === feeds.length) return false;
  await writeFeeds(file, kept);
  return true;
}
