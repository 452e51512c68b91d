import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, sha256File } from './hashing.js';
import { MANIFEST_FILE, readManifest, type StandinManifest } from './manifest.js';

/** Everything a build's output depends on, hashed into the manifest's `inputHash`. */
export interface HashInputs {
  /** Folders of the builder's sources (`scripts/`, `src/onnx/`); every non-test `.ts` under them counts. */
  sourceDirs: readonly string[];
  /** Folder of the tokenizer/config files copied into the output. */
  tokenizerDir: string;
  tokenizerFiles: readonly string[];
  wordVectorsVersion: string;
  /** Build options (variant, SIF a, seed, …), serialised as canonical JSON. */
  options: Record<string, string | number | boolean>;
}

/** sha256 over the builder's sources, the tokenizer files, the word-vector package version and the options. */
export async function computeInputHash(inputs: HashInputs): Promise<string> {
  const parts: string[] = [];
  for (const dir of inputs.sourceDirs) {
    const sources = (await listSources(dir)).sort();
    for (const rel of sources) parts.push(`src:${rel}:${sha256(await readFile(join(dir, rel)))}`);
  }
  for (const name of [...inputs.tokenizerFiles].sort())
    parts.push(`tok:${name}:${sha256(await readFile(join(inputs.tokenizerDir, name)))}`);
  parts.push(`wink:${inputs.wordVectorsVersion}`);
  const keys = Object.keys(inputs.options).sort();
  parts.push(`options:${JSON.stringify(keys.map((k) => [k, inputs.options[k]]))}`);
  return sha256(parts.join('\n'));
}

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/**
 * The folder's manifest if it records `inputHash`, every file in `requiredFiles` exists and
 * every file the manifest lists still has its recorded sha256; otherwise `null` (rebuild).
 */
export async function findCachedBuild(
  outDir: string,
  inputHash: string,
  requiredFiles: readonly string[],
): Promise<StandinManifest | null> {
  const manifest = await readManifest(join(outDir, MANIFEST_FILE));
  if (manifest === null || manifest.inputHash !== inputHash) return null;
  for (const file of requiredFiles) {
    try {
      await access(join(outDir, file));
    } catch {
      return null;
    }
  }
  for (const [file, record] of Object.entries(manifest.files)) {
    try {
      if ((await sha256File(join(outDir, file))) !== record.sha256) return null;
    } catch {
      return null;
    }
  }
  return manifest;
}
