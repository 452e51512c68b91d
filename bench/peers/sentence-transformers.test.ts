import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRequirements, hashRequirements, parseStBench, requirementIncludes } from './sentence-transformers.js';

describe('requirementIncludes', () => {
  it('finds -r/-c includes in every spelling and ignores pins and comments', () => {
    const text = [
      '# Same pins as the reference (-r ignored in comments)',
      '-r ../../../scripts/reference/requirements.txt',
      '--requirement=more.txt',
      '-cconstraints.txt',
      '--constraint other.txt  # trailing comment',
      'torch==2.13.0',
      '',
    ].join('\n');
    expect(requirementIncludes(text)).toEqual([
      '../../../scripts/reference/requirements.txt',
      'more.txt',
      'constraints.txt',
      'other.txt',
    ]);
  });
});

describe('hashRequirements', () => {
  const a = [
    { name: 'requirements.txt', text: '-r base.txt\n' },
    { name: 'base.txt', text: 'torch==2.13.0\n' },
  ];
  it('is stable, ignores CRLF, and changes with any included file', () => {
    expect(hashRequirements(a)).toBe(hashRequirements(a.map((f) => ({ ...f }))));
    expect(hashRequirements(a.map((f) => ({ ...f, text: f.text.replace(/\n/g, '\r\n') })))).toBe(hashRequirements(a));
    expect(hashRequirements([a[0] as (typeof a)[0], { name: 'base.txt', text: 'torch==2.14.0\n' }])).not.toBe(
      hashRequirements(a),
    );
    expect(hashRequirements([a[0] as (typeof a)[0], { name: 'base2.txt', text: 'torch==2.13.0\n' }])).not.toBe(
      hashRequirements(a),
    );
  });
});

describe('collectRequirements', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('follows includes relative to each file, once each, names relative to the root', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'newsrag-req-'));
    await mkdir(path.join(dir, 'peers'), { recursive: true });
    await mkdir(path.join(dir, 'ref'), { recursive: true });
    await writeFile(
      path.join(dir, 'peers/requirements.txt'),
      '-r ../ref/requirements.txt\n-r ../ref/requirements.txt\n',
    );
    await writeFile(path.join(dir, 'ref/requirements.txt'), 'numpy==2.4.6\n-r requirements.txt\n');
    const files = await collectRequirements(path.join(dir, 'peers/requirements.txt'), dir);
    expect(files.map((f) => f.name)).toEqual(['peers/requirements.txt', 'ref/requirements.txt']);
  });
});

describe('parseStBench', () => {
  const doc = {
    peer: 'sentence-transformers',
    versions: { torch: '2.13.0+cpu' },
    threads: 2,
    texts: 3,
    tokens: 30,
    repeats: 1,
    loadavg_1m: { start: 1, end: 1 },
    results: [
      { batch: 32, texts_per_s_median: 10, texts_per_s_best: 11, tokens_per_s_median: 100, tokens_per_s_best: 110 },
    ],
  };
  it('takes the last JSON line and says what it got otherwise', () => {
    expect(parseStBench(`some warning\n${JSON.stringify(doc)}\n`)).toEqual(doc);
    expect(() => parseStBench('Traceback: boom')).toThrow(/printed no JSON: Traceback/);
    expect(() => parseStBench(JSON.stringify({ ...doc, results: [] }))).toThrow(/no results/);
  });
});
