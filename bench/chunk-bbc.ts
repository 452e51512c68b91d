/**
 * Benchmark: read and chunk a corpus (default: the BBC corpus) and print timings
 * and chunk statistics. Usage, from the repository root:
 *
 *   npm run bench:chunk -w @newsrag/core --  [corpus folder] [--root <ids root>] [--max-tokens 256]
 */

import { readArticles } from '@newsrag/core';
import { chunkArticle } from '@newsrag/core/internals';
import { BBC_CORPUS } from '@newsrag/test-support';
import { loadTestTokenizer } from '@newsrag/test-support/test-tokenizer';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const folder = process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : BBC_CORPUS;
const root = flag('--root', `${folder}/..`);
const maxTokens = Number(flag('--max-tokens', '256'));

const tokenizer = await loadTestTokenizer();
const t0 = performance.now();
const { articles, issues, ignored } = await readArticles([folder], { root });
const t1 = performance.now();
let chunks = 0;
let maxChunkTokens = 0;
let maxChunkChars = 0;
let sumTokens = 0;
let sumChars = 0;
for (const article of articles) {
  for (const chunk of chunkArticle(article, { countTokens: tokenizer.countTokens, maxTokens })) {
    chunks++;
    sumTokens += chunk.tokens;
    sumChars += chunk.text.length;
    maxChunkTokens = Math.max(maxChunkTokens, chunk.tokens);
    maxChunkChars = Math.max(maxChunkChars, chunk.text.length);
  }
}
const t2 = performance.now();
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
const issueCounts: Record<string, number> = {};
for (const issue of issues) issueCounts[issue.code] = (issueCounts[issue.code] ?? 0) + 1;
console.log(
  JSON.stringify(
    {
      folder,
      maxTokens,
      articles: articles.length,
      ignoredFiles: ignored,
      issues: issueCounts,
      readSeconds: +((t1 - t0) / 1000).toFixed(2),
      chunkSeconds: +((t2 - t1) / 1000).toFixed(2),
      chunks,
      meanChunkTokens: +(sumTokens / chunks).toFixed(1),
      meanChunkChars: +(sumChars / chunks).toFixed(0),
      maxChunkTokens,
      maxChunkChars,
      rssMiB: mb(process.memoryUsage().rss),
    },
    null,
    2,
  ),
);
