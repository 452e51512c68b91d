/**
 * Installs the peer libraries on demand into `bench/.peers/` (gitignored), from the
 * committed `bench/peers/package.json` + `package-lock.json`, with the ordinary npm
 * client against the npm registry, so they never enter the project's own install.
 * `bench/peers/node_modules` is then linked to `bench/.peers/node_modules` so the
 * peer adapters here resolve (and typecheck) against them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { benchDir } from '../lib/paths.js';

const run = promisify(execFile);

/** Where the peers are installed. */
export const peersPrefix = path.join(benchDir, '.peers');
const templateDir = path.join(benchDir, 'peers');

async function sameFile(a: string, b: string): Promise<boolean> {
  if (!existsSync(a) || !existsSync(b)) return false;
  return (await readFile(a, 'utf8')) === (await readFile(b, 'utf8'));
}

/**
 * Makes sure the pinned peers are installed; installs them (a minute or so, ~140 MB)
 * when missing or when the committed template changed. Returns what it did.
 */
export async function ensurePeers(log: (line: string) => void = () => {}): Promise<'present' | 'installed'> {
  const pkg = path.join(peersPrefix, 'package.json');
  const installedMarker = path.join(peersPrefix, 'node_modules', '.package-lock.json');
  const current =
    existsSync(installedMarker) &&
    (await sameFile(path.join(templateDir, 'package.json'), pkg)) &&
    (await sameFile(path.join(templateDir, 'package-lock.json'), path.join(peersPrefix, 'package-lock.json')));
  let outcome: 'present' | 'installed' = 'present';
  if (!current) {
    log(`installing peer libraries into ${peersPrefix} (npm install, pinned by bench/peers/package-lock.json)…`);
    await mkdir(peersPrefix, { recursive: true });
    await copyFile(path.join(templateDir, 'package.json'), pkg);
    await copyFile(path.join(templateDir, 'package-lock.json'), path.join(peersPrefix, 'package-lock.json'));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await run(npm, ['install', '--prefix', peersPrefix, '--no-audit', '--no-fund'], {
      cwd: peersPrefix,
      maxBuffer: 16 * 2 ** 20,
      timeout: 15 * 60_000,
    });
    outcome = 'installed';
  }
  const link = path.join(templateDir, 'node_modules');
  const target = path.join(peersPrefix, 'node_modules');
  const stat = await lstat(link).catch(() => null);
  if (!stat?.isSymbolicLink()) {
    await rm(link, { recursive: true, force: true });
    await symlink(path.relative(templateDir, target), link, 'dir');
  }
  return outcome;
}

/** Installed versions of the given peer packages. */
export async function peerVersions(names: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const file = path.join(peersPrefix, 'node_modules', name, 'package.json');
    out[name] = (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  }
  return out;
}
