import { describe, expect, it } from 'vitest';
import { parseEmbedBench } from './embedding.js';

const doc = {
  model: 'standin-bge-shape',
  threads: 2,
  texts: 65,
  rows: [
    {
      dtype: 'fp32',
      batchSize: 32,
      tokens: 2016,
      ours: { textsPerSecond: 10, tokensPerSecond: 310 },
      ceiling: { textsPerSecond: 11, tokensPerSecond: 341 },
      overhead: 0.09,
    },
  ],
};

describe('parseEmbedBench', () => {
  it('finds the JSON document among npm notices', () => {
    const out = `npm warn Unknown user config "nodedir".\n${JSON.stringify(doc, null, 2)}\n`;
    expect(parseEmbedBench(out)).toEqual(doc);
  });

  it('says what it got when there is no JSON or no rows', () => {
    expect(() => parseEmbedBench('bench failed: model missing')).toThrow(/printed no JSON: bench failed/);
    expect(() => parseEmbedBench(JSON.stringify({ ...doc, rows: [] }))).toThrow(/no rows/);
  });
});
