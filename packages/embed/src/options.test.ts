import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbedError } from './errors.js';
import { cachedModelDir, hubFileUrl } from './hub.js';
import { resolveOptions } from './options.js';
import { DEFAULT_MODEL, PRESETS } from './presets.js';

function badOptions(input: unknown): EmbedError {
  try {
    resolveOptions(input);
  } catch (error) {
    if (error instanceof EmbedError) return error;
    throw error;
  }
  throw new Error('expected resolveOptions to throw');
}

describe('resolveOptions', () => {
  it('names every bad field', () => {
    const error = badOptions({ dtype: 'fp16', batchSize: 0, modle: 'x', remoteHost: 'ftp://x' });
    expect(error.code).toBe('EMBED_BAD_OPTIONS');
    expect(error.message).toMatch(/dtype/);
    expect(error.message).toMatch(/batchSize/);
    expect(error.message).toMatch(/modle/);
    expect(error.message).toMatch(/remoteHost/);
  });

  it('applies a preset and lets explicit options override it', () => {
    const bge = resolveOptions({ model: 'bge-small-en-v1.5' }, {});
    expect(bge.modelId).toBe('Xenova/bge-small-en-v1.5');
    expect(bge.pooling).toBe('cls');
    expect(bge.queryPrefix).toBe(PRESETS['bge-small-en-v1.5']?.queryPrefix);
    expect(resolveOptions({ model: 'bge-small-en-v1.5', pooling: 'mean' }, {}).pooling).toBe('mean');
    expect(resolveOptions({ model: 'all-MiniLM-L6-v2' }, {}).pooling).toBe('mean');
  });

  it('defaults a bare hub id to mean pooling, normalised, no prefixes, and the default model to bge', () => {
    const o = resolveOptions({ model: 'someone/some-model' }, {});
    expect(o).toMatchObject({
      modelId: 'someone/some-model',
      pooling: 'mean',
      normalize: true,
      queryPrefix: '',
      documentPrefix: '',
    });
    expect(o).toMatchObject({ dtype: 'fp32', revision: 'main', batchSize: 32, allowRemote: true });
    expect(o.remoteHost).toBe('https://huggingface.co/');
    expect(resolveOptions({}, {}).model).toBe(DEFAULT_MODEL);
  });

  it('takes the cache folder from NEWSRAG_CACHE_DIR', () => {
    expect(resolveOptions({}, { NEWSRAG_CACHE_DIR: '/tmp/nr-cache' }).cacheDir).toBe(path.resolve('/tmp/nr-cache'));
    expect(resolveOptions({}, {}).cacheDir).toMatch(/\.cache[/\\]newsrag[/\\]models$/);
  });
});

describe('hub layout', () => {
  it('builds file URLs the way transformers.js does', () => {
    expect(
      hubFileUrl(
        'https://huggingface.co/',
        '{model}/resolve/{revision}/',
        'Xenova/bge-small-en-v1.5',
        'main',
        'onnx/model.onnx',
      ),
    ).toBe('https://huggingface.co/Xenova/bge-small-en-v1.5/resolve/main/onnx/model.onnx');
    expect(hubFileUrl('http://127.0.0.1:9/', '/{model}/r/{revision}', 'a/b', 'v 1', 'config.json')).toBe(
      'http://127.0.0.1:9/a/b/r/v%201/config.json',
    );
  });

  it('puts non-main revisions in their own cache folder', () => {
    expect(cachedModelDir('/c', 'a/b', 'main')).toBe(path.join('/c', 'a/b'));
    expect(cachedModelDir('/c', 'a/b', 'v2')).toBe(path.join('/c', 'a/b', 'v2'));
  });
});
