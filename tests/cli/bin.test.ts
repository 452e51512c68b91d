/**
 * The `newsrag` bin is a committed shim (packages/core/bin/newsrag.js), so npm can link it at
 * install time, before dist/ is built; it runs the built CLI, or says how to build it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, REPO_ROOT } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SHIM = path.join(REPO_ROOT, 'packages', 'core', 'bin', 'newsrag.js');

async function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the newsrag bin shim', () => {
  it('is what @newsrag/core declares as its bin, and what npm install linked', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages', 'core', 'package.json'), 'utf8'));
    expect(path.join(REPO_ROOT, 'packages', 'core', pkg.bin.newsrag)).toBe(SHIM);
    const link = path.join(REPO_ROOT, 'node_modules', '.bin', 'newsrag');
    expect(existsSync(link), `${link} is missing: run \`npm install\``).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(SHIM));
  });

  it('runs the built CLI: --help', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first (npm test does).`).toBe(true);
    const r = await node([SHIM, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: newsrag /);
    expect(r.stdout).toContain('ask');
  });

  it('says in one line how to build it when dist/ is missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsrag-bin-'));
    try {
      await mkdir(path.join(dir, 'bin'));
      await copyFile(SHIM, path.join(dir, 'bin', 'newsrag.js'));
      const r = await node([path.join(dir, 'bin', 'newsrag.js'), '--help']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^newsrag: .*run `npm run build`.*\n$/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
