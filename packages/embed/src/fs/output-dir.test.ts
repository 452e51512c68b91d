import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceDirAtomically, withDirLock } from './output-dir.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsrag-outdir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('replaceDirAtomically', () => {
  it('replaces an existing folder and leaves no temp folders behind', async () => {
    const out = join(root, 'model');
    await mkdir(out);
    await writeFile(join(out, 'old.txt'), 'old');
    await replaceDirAtomically(out, async (tmp) => writeFile(join(tmp, 'new.txt'), 'new'));
    expect(await readdir(out)).toEqual(['new.txt']);
    expect(await readdir(root)).toEqual(['model']);
  });

  it('keeps the old folder untouched when filling fails', async () => {
    const out = join(root, 'model');
    await mkdir(out);
    await writeFile(join(out, 'old.txt'), 'old');
    await expect(
      replaceDirAtomically(out, async (tmp) => {
        await writeFile(join(tmp, 'half.txt'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readFile(join(out, 'old.txt'), 'utf8')).toBe('old');
    expect(await readdir(root)).toEqual(['model']);
  });
});

describe('withDirLock', () => {
  it('runs holders of the same folder one at a time', async () => {
    const out = join(root, 'model');
    const events: string[] = [];
    const job = (name: string) =>
      withDirLock(out, async () => {
        events.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 300));
        events.push(`${name}:end`);
      });
    await Promise.all([job('a'), job('b')]);
    expect(events[1]).toMatch(/:end$/);
    expect(events[2]).toMatch(/:start$/);
    expect(await readdir(root)).toEqual([]);
  });
});
