import { readFile } from 'node:fs/promises';
import { loadBm25 } from './bm25.js';
import { readVectorsDense } from './dense/index.js';
import { corrupt } from './errors.js';
import { generationFiles } from './layout.js';
import { parseArticles, parseChunks, parseManifest } from './manifest.js';
import type { GenerationData } from './reader.js';

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

/**
 * Loads and validates one generation folder. Every inconsistency (bad JSON,
 * wrong counts, truncated files) is an INDEX_CORRUPT naming the file; a missing
 * file surfaces as the fs ENOENT error so the caller can tell "replaced meanwhile" from "broken".
 */
export async function loadGeneration(genDir: string, indexDir: string): Promise<GenerationData> {
  const files = generationFiles(genDir);
  const manifest = parseManifest(await readText(files.manifest), files.manifest, indexDir);
  const [articlesText, chunksData, vectors, bm25Data] = await Promise.all([
    readText(files.articles),
    // Bytes, not text: at 1M chunks these files pass V8's ~512 MB string limit.
    readFile(files.chunks),
    readVectorsDense(files.vectors, manifest.chunkCount, manifest.dimensions, indexDir),
    readFile(files.bm25),
  ]);
  const articles = parseArticles(articlesText, files.articles, indexDir);
  if (articles.length !== manifest.articleCount) {
    throw corrupt(
      files.articles,
      `has ${articles.length} articles, the manifest says ${manifest.articleCount}`,
      indexDir,
    );
  }
  let declared = 0;
  for (const a of articles) declared += a.chunkCount;
  if (declared !== manifest.chunkCount) {
    throw corrupt(
      files.articles,
      `its articles declare ${declared} chunks, the manifest says ${manifest.chunkCount}`,
      indexDir,
    );
  }
  const chunks = parseChunks(chunksData, manifest.chunkCount, files.chunks, indexDir);
  let bm25: GenerationData['bm25'];
  try {
    bm25 = loadBm25(bm25Data);
  } catch (error) {
    throw corrupt(files.bm25, `cannot be loaded (${(error as Error).message})`, indexDir, error);
  }
  if (bm25.documentCount !== manifest.chunkCount) {
    throw corrupt(
      files.bm25,
      `indexes ${bm25.documentCount} chunks, the manifest says ${manifest.chunkCount}`,
      indexDir,
    );
  }
  return { manifest, articles, chunks, vectors, bm25 };
}
