import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Article, IngestIssue } from '../types.js';
import { decodeText } from './decode.js';
import { readBounded, readSidecar } from './files.js';
import { type ParseResult, parseArticleFile } from './formats.js';
import { errorReason } from './fs-errors.js';
import { articleHash, canonicalMeta } from './metadata.js';
import { collectFiles, type FileJob } from './walk.js';

/** Options of {@link readArticles}. */
export interface ReadOptions {
  /**
   * Corpus root that ids are relative to. Default: for a folder argument the folder
   * itself, for a file argument its parent folder. A file outside the root is named by
   * its file name alone (so seed articles can be mixed into a corpus read with its root).
   */
  root?: string;
  /** Files larger than this are reported as `ARTICLE_TOO_LARGE` and never read whole (default 20 MiB). */
  maxBytes?: number;
  /** Files read at the same time (default 16). */
  concurrency?: number;
  /** Follow symbolic links that lead outside the folder being read (default false). */
  followExternalSymlinks?: boolean;
  /** An HTML page taking longer than this to extract is reported as `ARTICLE_BAD_FORMAT` (default 15 s). */
  htmlTimeoutMs?: number;
}

/** What {@link readArticles} found. */
export interface ReadResult {
  articles: Article[];
  issues: IngestIssue[];
  /** Files skipped because they are not articles (other extensions, corpus README/LICENSE/SOURCE files). */
  ignored: number;
  /** Folders whose content is unknown this time (missing or unreadable); see `collectFiles`. */
  unreadableFolders: string[];
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** `bbc/tech/001` for `<root>/bbc/tech/001.txt`; the file name alone for a file outside the root. */
function fileId(file: string, root: string, extension: string): string {
  let relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) relative = path.basename(file);
  return relative
    .slice(0, relative.length - extension.length)
    .split(path.sep)
    .join('/');
}

interface FileOutcome {
  articles: Article[];
  issues: IngestIssue[];
}

async function readOne(job: FileJob, maxBytes: number, htmlTimeoutMs?: number): Promise<FileOutcome> {
  const { file } = job;
  const issues: IngestIssue[] = [];
  let read: Awaited<ReturnType<typeof readBounded>>;
  try {
    read = await readBounded(file, maxBytes);
  } catch (error) {
    return {
      articles: [],
      issues: [{ code: 'ARTICLE_UNREADABLE', path: file, message: `${file}: ${errorReason(error)}` }],
    };
  }
  if ('tooLarge' in read) {
    return {
      articles: [],
      issues: [
        {
          code: 'ARTICLE_TOO_LARGE',
          path: file,
          message: `${file}: ${read.tooLarge} bytes is over the limit of ${maxBytes} bytes; split it or raise maxBytes`,
        },
      ],
    };
  }
  const decoded = decodeText(read.bytes);
  if (!decoded.ok) {
    return {
      articles: [],
      issues: [{ code: 'ARTICLE_UNREADABLE', path: file, message: `${file}: ${decoded.reason}` }],
    };
  }
  if (decoded.text.trim() === '') {
    return {
      articles: [],
      issues: [{ code: 'ARTICLE_EMPTY', path: file, message: `${file}: the file is empty or only white space` }],
    };
  }
  let parsed: ParseResult;
  try {
    parsed = await parseArticleFile(
      job.format,
      decoded.text,
      file,
      htmlTimeoutMs === undefined ? {} : { htmlTimeoutMs },
    );
  } catch (error) {
    // A parser bug or an input it chokes on must not stop the other files.
    return {
      articles: [],
      issues: [
        { code: 'ARTICLE_BAD_FORMAT', path: file, message: `${file}: cannot be parsed (${errorReason(error)})` },
      ],
    };
  }
  for (const issue of parsed.issues) {
    issues.push({ code: issue.code, path: file + (issue.pathSuffix ?? ''), message: issue.message });
  }
  const sidecar = await readSidecar(file, job.extension, issues, maxBytes);
  const baseId = fileId(file, job.root, job.extension);
  const articles: Article[] = [];
  for (const doc of parsed.docs) {
    if (doc.text.trim() === '') {
      issues.push({ code: 'ARTICLE_EMPTY', path: file, message: `${file}: no text left after extracting the article` });
      continue;
    }
    const meta = canonicalMeta({ ...doc.meta, ...sidecar });
    articles.push({
      id: doc.key === undefined ? baseId : `${baseId}/${doc.key}`,
      path: file + (doc.pathSuffix ?? ''),
      hash: articleHash(doc.text, meta),
      text: doc.text,
      meta,
    });
  }
  return { articles, issues };
}

/**
 * Reads the articles in `paths` (folders, read recursively, and files).
 *
 * Formats: `.txt`, `.md`/`.markdown` (YAML front matter), `.html`/`.htm` (Readability),
 * `.json` (an object or an array of objects) and `.jsonl` (an object a line). Dot files,
 * dot folders and `*.meta.json` sidecars are skipped while walking, as are corpus
 * documentation files (`README.*`, `LICENSE.*`, `SOURCE.*`, …); other extensions are
 * counted in `ignored`. Metadata comes from the file (front matter, JSON fields, or what a
 * plain text states at its top) and from a `<name>.meta.json` sidecar, which wins.
 *
 * Never throws for a bad input: every problem becomes an {@link IngestIssue} naming the
 * file (and line), and the rest is read. Articles come back in a stable order (paths in
 * the given order, folder entries sorted by name).
 *
 * Ids are the path relative to the corpus root without extension (`bbc/tech/001`); for
 * JSON/JSONL, `<relpath>/<id field or 1-based index/line>`. Of two files with the same id
 * the second is skipped with `ARTICLE_DUPLICATE`. Two articles with identical text are both
 * kept (they are distinct documents a question may cite, and the BBC corpus has such
 * pairs), but the second gets an `ARTICLE_DUPLICATE` issue naming the first so the
 * duplication is visible.
 */
export async function readArticles(paths: string[], options: ReadOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
  const issues: IngestIssue[] = [];
  const { jobs, ignored, unreadableFolders } = await collectFiles(paths, options.root, issues, {
    followExternalSymlinks: options.followExternalSymlinks ?? false,
  });

  const outcomes: FileOutcome[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      outcomes[index] = await readOne(jobs[index] as FileJob, maxBytes, options.htmlTimeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));

  const articles: Article[] = [];
  const byId = new Map<string, string>();
  const byText = new Map<string, Article>();
  for (const outcome of outcomes) {
    issues.push(...outcome.issues);
    for (const article of outcome.articles) {
      const clash = byId.get(article.id);
      if (clash !== undefined) {
        issues.push({
          code: 'ARTICLE_DUPLICATE',
          path: article.path,
          message: `${article.path}: id "${article.id}" is already used by ${clash}; skipped (rename one of them)`,
        });
        continue;
      }
      byId.set(article.id, article.path);
      const textHash = createHash('sha256').update(article.text).digest('hex');
      const first = byText.get(textHash);
      if (first !== undefined) {
        issues.push({
          code: 'ARTICLE_DUPLICATE',
          path: article.path,
          message: `${article.path}: same text as article "${first.id}" (${first.path}); both are indexed`,
          indexed: true,
        });
      } else byText.set(textHash, article);
      articles.push(article);
    }
  }
  return { articles, issues, ignored, unreadableFolders };
}
