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

/** What {@link collectFiles} found. */
export interface CollectResult {
  jobs: FileJob[];
  ignored: number;
  /**
   * Folders (absolute paths as walked) whose content is unknown this time: a root that
   * is missing or unreadable, a subfolder that was listed but could not be read, a
   * broken link. Nothing indexed under them may be pruned: an unmounted volume is not
   * a deletion.
   */
  unreadableFolders: string[];
}

/** Options of {@link collectFiles}. */
export interface CollectOptions {
  /** Follow symbolic links that lead outside the folder being walked (default false). */
  followExternalSymlinks?: boolean;
}

/** Whether `target` is `root` or inside it (both real paths). */
function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Finds the article files under `paths` (folders walked recursively, files taken as
 * they are), in a stable order: paths as given, folder entries sorted by name. Dot
 * files and folders and corpus documentation are skipped; symbolic links are followed
 * while they stay inside the folder walked (outside only with `followExternalSymlinks`,
 * so a link cannot bring any readable file of the host into answers), and each real
 * folder and file is visited once, so link loops end. Problems become issues; `ignored`
 * counts files that are not articles.
 */
export async function collectFiles(
  paths: string[],
  rootOption: string | undefined,
  issues: IngestIssue[],
  options: CollectOptions = {},
): Promise<CollectResult> {
  const jobs: FileJob[] = [];
  const unreadableFolders: string[] = [];
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

  /** `realRoot`: the real path of the folder argument, which links must stay inside. */
  const walk = async (dir: string, root: string, realRoot: string): Promise<void> => {
    let real: string;
    let entries: Dirent[];
    try {
      real = await realpath(dir);
      // Symbolic links can make a folder its own descendant: visit each real folder once.
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // Listed by its parent (or given) but not readable: its files are not known to be gone.
      unreadableFolders.push(dir);
      issues.push({
        code: 'ARTICLE_UNREADABLE',
        path: dir,
        message: `${dir}: folder cannot be read (${errorReason(error, dir)}); nothing indexed under it is pruned`,
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
        let target: Awaited<ReturnType<typeof stat>>;
        let targetReal: string;
        try {
          target = await stat(full);
          targetReal = await realpath(full);
        } catch (error) {
          // It may point at a folder on a volume that is not mounted now: keep what was indexed through it.
          unreadableFolders.push(full);
          issues.push({
            code: 'ARTICLE_UNREADABLE',
            path: full,
            message: `${full}: broken symbolic link (${errorReason(error)}); nothing indexed under it is pruned`,
          });
          continue;
        }
        if (!options.followExternalSymlinks && !isInside(realRoot, targetReal)) {
          issues.push({
            code: 'ARTICLE_UNREADABLE',
            path: full,
            message: `${full}: symbolic link leads outside ${realRoot}; not followed (allow with followExternalSymlinks / --follow-external-symlinks)`,
          });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) await walk(full, root, realRoot);
      else if (isFile) await addFile(full, root, false);
    }
  };

  for (const given of paths) {
    const absolute = path.resolve(given);
    let info: Awaited<ReturnType<typeof stat>>;
    let realRoot: string;
    try {
      info = await stat(absolute);
      realRoot = await realpath(absolute);
    } catch (error) {
      // A missing root (an unmounted volume, a typo) is never read as "every article was deleted".
      unreadableFolders.push(absolute);
      issues.push({
        code: 'ARTICLE_UNREADABLE',
        path: absolute,
        message: `${absolute}: ${errorReason(error)}; nothing indexed under it is pruned`,
      });
      continue;
    }
    if (info.isDirectory()) {
      await walk(absolute, rootOption === undefined ? absolute : path.resolve(rootOption), realRoot);
    } else {
      await addFile(absolute, rootOption === undefined ? path.dirname(absolute) : path.resolve(rootOption), true);
    }
  }
  return { jobs, ignored, unreadableFolders };
}
