/** Deterministic synthetic articles for the store conformance suite and its child processes. */

import type { ArticleUpsert, IndexUpdate } from '@newsrag/core';
import { prng } from '@newsrag/test-support';
import { syntheticArticle, syntheticUpdate } from '@newsrag/test-support/synthetic-index';

export const DIMENSIONS = 16;
const SOURCES = ['bbc', 'reuters'];

/** A word found only in article `id`'s first chunk. */
export function rareWord(id: string): string {
  return `zq${id.replace(/[^a-z0-9]/gi, '')}x`;
}

/** Article `id` (its content depends on `id` and `version` only). */
export function article(id: string, version = 0, chunks = 3 + (id.length % 3)): ArticleUpsert {
  let seed = version * 7919;
  for (const ch of id) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  return syntheticArticle(prng(seed), id, {
    chunks: chunks + version,
    dimensions: DIMENSIONS,
    title: `Title of ${id} v${version}`,
    source: SOURCES[id.length % 2],
    date: `2024-01-${String(1 + (seed % 28)).padStart(2, '0')}`,
    inject: version === 0 ? rareWord(id) : `${rareWord(id)}v${version}`,
    version,
  });
}

/** An update adding or replacing the articles `ids` (version 0) and removing `removals`. */
export function articleUpdate(
  ids: readonly string[],
  removals: string[] = [],
  fingerprintId = 'synthetic-fp',
): IndexUpdate {
  return syntheticUpdate(
    DIMENSIONS,
    ids.map((id) => article(id)),
    removals,
    fingerprintId,
    fingerprintId === 'synthetic-fp' ? 'test/synthetic' : `test/${fingerprintId}`,
  );
}
