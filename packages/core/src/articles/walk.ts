import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IngestIssue } from '../types.js';
import { type ArticleFormat, formatOf } from './formats.js';
import { errorReason } from './fs-errors.js';

/**
 * Documentation that sits beside a corpus (`README.md`, `SOURCE.md`, …) is not an
 * article. Only skipped while walking a folder; a file named explicitly is always read.
 */
const CORPUS_DOC_FILE = /^(README|LICEN[CS]E|SOURCE|CHANGELOG|NOTICE|COPYING|AUTHORS|CONTRIBUTING)\.[a-z]+$/i;

/** An article file to read, with the root its id is relative to. */
export interface FileJob {
  file: string;
  root: string;
  format: ArticleFormat;
  extension: string;
}

/**
 * Finds the article files under `paths` (folders walked recursively, files taken as
 * they are), in a stable order: paths as given, folder entries sorted by name. Dot
 * files and folders and corpus documentation are skipped; symbolic links are followed
 * but each real folder and file is visited once, so link loops end. Problems become
 * issues; `ignored` counts files that are not articles.
 */
export async function collectFiles(
  paths: string[],
  rootOption: string | undefined,
  issues: IngestIssue[],
): Promise<{ jobs: FileJob[]; ignored: number }> {
  const jobs: FileJob[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  let ignored = 0;

  const addFile = async (file: string, root: string, explicit: boolean) => {
    const found = formatOf(path.basename(file));
    if (found === undefined || (!explicit && CORPUS_DOC_FILE.test(path.basename(file)))) {
      if (explicit && !path.basename(file).toLowerCase().endsWith('.meta.json')) {
        issues.push({
          code: 'ARTICLE_BAD_FORMAT',
          path: file,
          message: `${file}: unsupported file type (use .txt, .md, .markdown, .html, .htm, .json or .jsonl)`,
        });
      } else if (!path.basename(file).toLowerCase().endsWith('.meta.json')) ignored++;
      return;
    }
    let real: string;
    try {
      real = await realpath(file);
    } catch (error) {
      issues.push({ code: 'ARTICLE_UNREADABLE', path: file, message: `${file}: ${errorReason(error, file)}` });
      return;
    }
    // The same file reached twice (a symbolic link, or named twice) is read once.
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    jobs.push({ file, root, ...found });
  };

  const walk = async (dir: string, root: string): Promise<void> => {
    let real: string;
    let entries: Dirent[];
    try {
      real = await realpath(dir);
      // Symbolic links can make a folder its own descendant: visit each real folder once.
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      issues.push({
        code: 'ARTICLE_UNREADABLE',
        path: dir,
        message: `${dir}: folder cannot be read: ${errorReason(error, dir)}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          issues.push({
            code: 'ARTICLE_UNREADABLE',
            path: full,
            message: `${full}: broken symbolic link (${errorReason(error)})`,
          });
          continue;
        }
      }
      if (isDir) await walk(full, root);
      else if (isFile) await addFile(full, root, false);
    }
  };

  for (const given of paths) {
    const absolute = path.resolve(given);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(absolute);
    } catch (error) {
      issues.push({ code: 'ARTICLE_UNREADABLE', path: absolute, message: `${absolute}: ${errorReason(error)}` });
      continue;
    }
    if (info.isDirectory()) await walk(absolute, rootOption === undefined ? absolute : path.resolve(rootOption));
    else await addFile(absolute, rootOption === undefined ? path.dirname(absolute) : path.resolve(rootOption), true);
  }
  return { jobs, ignored };
}
