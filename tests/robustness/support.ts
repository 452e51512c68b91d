/**
 * Shared helpers of the robustness suite: temp folders, the built `newsrag` CLI as a
 * child process, a real PNG made from scratch, and a copy of the seed articles.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { CLI, SEED_ARTICLES } from '@newsrag/test-support';

/** The seed article the seed dev set is mostly about, and a question it answers. */
export const SEED_ARTICLE_ID = '000_0b4336e44a9e5dd7';
export const SEED_QUESTION = 'What dog breed did Kim give Putin?';
export const SEED_ANSWER = /Pungsan/;

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `newsrag-robust-${prefix}-`));
}

/** Copies the seed articles (without their README) into `dir`. */
export async function copySeeds(dir: string): Promise<void> {
  await cp(SEED_ARTICLES, dir, { recursive: true, filter: (src) => !src.endsWith('README.md') });
}

/** Outcome of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails loudly when the CLI has not been built (CI builds before testing). */
export function requireCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
}

/** Runs the built `newsrag` CLI in `cwd` with the stand-in model, as a user would. */
export function newsrag(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NEWSRAG_MODEL: 'standin', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A valid 16×16 RGB PNG (a gradient), built byte by byte. */
export function pngBytes(): Buffer {
  const width = 16;
  const height = 16;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: truecolour
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = x * 16;
      raw[row + 2 + x * 3] = y * 16;
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
