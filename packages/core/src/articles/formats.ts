import matter from 'gray-matter';
import { clip, excerpt } from '../excerpt.js';
import type { ArticleMeta, IngestIssue } from '../types.js';
import { DEFAULT_HTML_TIMEOUT_MS, extractHtmlInWorker } from './html-pool.js';
import { COLLECTION_NAME_RULE, isCollectionName, LANGUAGE_RULE, normalizeLanguage } from './labels.js';
import { normalizeDate, plainTextMeta } from './metadata.js';

/** The file formats read, by lower-case extension. */
export type ArticleFormat = 'text' | 'markdown' | 'html' | 'json' | 'jsonl';

const FORMATS: Record<string, ArticleFormat> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
  '.jsonl': 'jsonl',
};

/** The format of a file name, or undefined for files that are not articles. */
export function formatOf(fileName: string): { format: ArticleFormat; extension: string } | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.meta.json')) return undefined;
  const dot = lower.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = lower.slice(dot);
  const format = FORMATS[extension];
  return format === undefined ? undefined : { format, extension };
}

/** One article found in a file, before ids and hashes are assigned. */
export interface ParsedDoc {
  /** For JSON/JSONL: the object's `id` field or its 1-based index/line; appended to the file's id. */
  key?: string;
  /** For JSON/JSONL: `#<line or index>`, appended to the file path. */
  pathSuffix?: string;
  text: string;
  meta: ArticleMeta;
}

/** Issues found while parsing, without the path (the caller knows it). */
export type ParseIssue = Omit<IngestIssue, 'path'> & { pathSuffix?: string };

export interface ParseResult {
  docs: ParsedDoc[];
  issues: ParseIssue[];
}

const STRING_FIELDS = ['title', 'url', 'source', 'author'] as const;

/**
 * Reads the metadata fields of a front matter, JSON object or sidecar: `title`,
 * `url`, `source`, `author` (strings; an author list is joined with ", "), `date`
 * (normalised to `YYYY-MM-DD`), `collection` (a collection name, see `isCollectionName`)
 * and `language` (a language tag, kept as its lower-case primary subtag). Unusable fields
 * are reported (naming `where` and the field) and skipped; the others are still read.
 */
export function metaFromFields(
  fields: Record<string, unknown>,
  where: string,
): { meta: ArticleMeta; problems: string[] } {
  const meta: ArticleMeta = {};
  const problems: string[] = [];
  for (const key of STRING_FIELDS) {
    let value = fields[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) value = value.join(', ');
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') {
      problems.push(
        `${where}: field "${key}" must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}; ignored`,
      );
      continue;
    }
    if (value.trim() !== '') meta[key] = value.trim();
  }
  const rawDate = fields.date;
  if (rawDate !== undefined && rawDate !== null && rawDate !== '') {
    const date = normalizeDate(rawDate);
    if (date === undefined)
      problems.push(`${where}: field "date" ${excerpt(rawDate)} is not a date (use YYYY-MM-DD); ignored`);
    else meta.date = date;
  }
  const collection = labelField(fields, 'collection', where, problems);
  if (collection !== undefined) {
    if (isCollectionName(collection)) meta.collection = collection;
    else
      problems.push(
        `${where}: field "collection" ${excerpt(collection)} is not a collection name (${COLLECTION_NAME_RULE}); ignored`,
      );
  }
  const rawLanguage = labelField(fields, 'language', where, problems);
  if (rawLanguage !== undefined) {
    const language = normalizeLanguage(rawLanguage);
    if (language !== undefined) meta.language = language;
    else problems.push(`${where}: field "language" ${excerpt(rawLanguage)} is not ${LANGUAGE_RULE}; ignored`);
  }
  return { meta, problems };
}

/** A label field's trimmed text; undefined when absent or blank (reported when not a string). */
function labelField(
  fields: Record<string, unknown>,
  key: 'collection' | 'language',
  where: string,
  problems: string[],
): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push(
      `${where}: field "${key}" must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}; ignored`,
    );
    return undefined;
  }
  return value.trim() === '' ? undefined : value.trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(value: unknown, where: string, fallbackKey: string, pathSuffix: string): ParseResult {
  if (!isObject(value)) {
    return {
      docs: [],
      issues: [
        { code: 'ARTICLE_BAD_FORMAT', message: `${where}: expected an object with "text" or "body"`, pathSuffix },
      ],
    };
  }
  // A text file with a NUL is refused as binary (decode.ts); a JSON string can still carry one
  // as \u0000, which PostgreSQL's text and jsonb refuse and no article means.
  const withNul = Object.keys(value).find(
    (k) => typeof value[k] === 'string' && (value[k] as string).includes('\u0000'),
  );
  if (withNul !== undefined) {
    return {
      docs: [],
      issues: [
        {
          code: 'ARTICLE_BAD_FORMAT',
          message: `${where}: field "${withNul}" contains a NUL character (\\u0000), which no article text has: remove it from the source`,
          pathSuffix,
        },
      ],
    };
  }
  const body = value.text ?? value.body;
  if (typeof body !== 'string') {
    const message =
      body === undefined
        ? `${where}: missing field "text" (or "body")`
        : `${where}: field "${value.text !== undefined ? 'text' : 'body'}" must be a string`;
    return { docs: [], issues: [{ code: 'ARTICLE_BAD_FORMAT', message, pathSuffix }] };
  }
  const text = body.replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    return { docs: [], issues: [{ code: 'ARTICLE_EMPTY', message: `${where}: the text is empty`, pathSuffix }] };
  }
  const { meta, problems } = metaFromFields(value, where);
  const id = value.id;
  const key = (typeof id === 'string' && id.trim() !== '') || typeof id === 'number' ? String(id).trim() : fallbackKey;
  return {
    docs: [{ key, pathSuffix, text, meta }],
    issues: problems.map((message) => ({ code: 'ARTICLE_BAD_FORMAT' as const, message, pathSuffix })),
  };
}

function parseJson(text: string, file: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      docs: [],
      issues: [
        { code: 'ARTICLE_BAD_FORMAT', message: `${file}: not valid JSON (${clip((error as Error).message, 200)})` },
      ],
    };
  }
  const items = Array.isArray(value) ? value : [value];
  const result: ParseResult = { docs: [], issues: [] };
  items.forEach((item, i) => {
    const r = parseObject(item, `${file} item ${i + 1}`, String(i + 1), `#${i + 1}`);
    result.docs.push(...r.docs);
    result.issues.push(...r.issues);
  });
  return result;
}

function parseJsonl(text: string, file: string): ParseResult {
  const result: ParseResult = { docs: [], issues: [] };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      result.issues.push({
        code: 'ARTICLE_BAD_FORMAT',
        message: `${where}: not valid JSON (${clip((error as Error).message, 200)}); the other lines are still read`,
        pathSuffix: `#${i + 1}`,
      });
      return;
    }
    const r = parseObject(value, where, String(i + 1), `#${i + 1}`);
    result.docs.push(...r.docs);
    result.issues.push(...r.issues);
  });
  return result;
}

/** gray-matter would `eval` a `---js` front matter: an article must never run code. */
function refuseScript(): never {
  throw new Error('JavaScript front matter is not allowed; use YAML');
}

function parseMarkdown(text: string, file: string): ParseResult {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Options (any) also keep gray-matter from caching every file it parses.
    parsed = matter(text, { engines: { javascript: refuseScript, js: refuseScript } });
  } catch (error) {
    return {
      docs: [],
      issues: [
        {
          code: 'ARTICLE_BAD_FORMAT',
          message: `${file}: malformed YAML front matter (${clip((error as Error).message, 200)})`,
        },
      ],
    };
  }
  const body = parsed.content.replace(/^(?:[ \t]*\n)+/, '');
  const { meta: fromFields, problems } = metaFromFields(parsed.data as Record<string, unknown>, `${file} front matter`);
  const meta = { ...plainTextMeta(body), ...fromFields };
  return {
    docs: [{ text: body, meta }],
    issues: problems.map((message) => ({ code: 'ARTICLE_BAD_FORMAT' as const, message })),
  };
}

/**
 * Parses a decoded file into articles. `file` names the file in messages.
 * Plain text and Markdown describe themselves (see `plainTextMeta`); HTML goes
 * through Readability; JSON is one object or an array, JSONL one object a line,
 * each with `text` or `body` and optional `id`, `title`, `date`, `url`, `source`, `author`,
 * `collection`, `language`.
 * HTML is extracted in a worker thread and given up after `htmlTimeoutMs` (default 15 s).
 */
export async function parseArticleFile(
  format: ArticleFormat,
  text: string,
  file: string,
  options: { htmlTimeoutMs?: number } = {},
): Promise<ParseResult> {
  switch (format) {
    case 'text':
      return { docs: [{ text, meta: plainTextMeta(text) }], issues: [] };
    case 'markdown':
      return parseMarkdown(text, file);
    case 'html': {
      // In a worker thread with a time limit: a hostile page must not freeze the caller (the bot's event loop).
      const { text: extracted, meta } = await extractHtmlInWorker(
        text,
        options.htmlTimeoutMs ?? DEFAULT_HTML_TIMEOUT_MS,
      );
      return { docs: [{ text: extracted, meta }], issues: [] };
    }
    case 'json':
      return parseJson(text, file);
    case 'jsonl':
      return parseJsonl(text, file);
  }
}
