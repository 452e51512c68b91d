import { describe, expect, it } from 'vitest';
import { NewsragError } from './errors.js';
import { checkManifestModel, resolveEmbedder } from './model.js';

describe('the model named by an index manifest', () => {
  it('accepts hub ids and revisions', () => {
    for (const [modelId, revision] of [
      ['Xenova/bge-small-en-v1.5', 'main'],
      ['newsrag/standin', 'local'],
      ['someone/other_model-2', '3f2c1a9b'],
    ]) {
      expect(() => checkManifestModel({ modelId: modelId as string, revision: revision as string })).not.toThrow();
    }
  });

  it('refuses ids and revisions that would leave the model cache, with INDEX_CORRUPT', async () => {
    for (const [modelId, revision] of [
      ['../../etc', 'main'],
      ['owner/..', 'main'],
      ['/abs/path', 'main'],
      ['owner/name/extra', 'main'],
      ['owner/name', '../../../tmp'],
      ['owner/name', 'refs/../x'],
      ['x'.repeat(5000), 'main'],
    ]) {
      const fp = { modelId: modelId as string, revision: revision as string };
      expect(() => checkManifestModel(fp)).toThrow(NewsragError);
      try {
        checkManifestModel(fp);
      } catch (error) {
        expect((error as NewsragError).code).toBe('INDEX_CORRUPT');
        expect((error as Error).message.length).toBeLessThan(400);
      }
    }
    // resolveEmbedder (model auto) refuses before any path is built.
    await expect(
      resolveEmbedder({
        model: 'auto',
        dtype: 'fp32',
        indexFingerprint: {
          modelId: '../../etc',
          revision: 'main',
          dtype: 'fp32',
          pooling: 'mean',
          normalize: true,
          queryPrefix: '',
          documentPrefix: '',
        } as never,
      }),
    ).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
  });
});
