import { citedMeta } from '../articles/meta-fields.js';
import type { IndexReader } from '../store/contract.js';
import type { Syndication } from '../syndication/groups.js';
import type { Passage, PublishedCopy } from '../types.js';

/**
 * One copy per story: walks `candidates` best first and keeps the passages of the first
 * (best-ranked) member of each near-duplicate group it meets, dropping the other members'
 * passages; each kept passage of a group lists the other members in `alsoPublishedBy`
 * (canonical first). Articles without copies pass through unchanged. Pure.
 *
 * The best-ranked copy rather than the canonical one: it is the one whose wording matched
 * the question, and the others are named beside it anyway.
 */
export function collapseCopies(
  candidates: readonly Passage[],
  groups: Syndication,
  reader: Pick<IndexReader, 'article'>,
): Passage[] {
  if (groups.groups.length === 0) return [...candidates];
  const shown = new Map<string, string>();
  const copiesOf = new Map<string, PublishedCopy[]>();
  const out: Passage[] = [];
  for (const p of candidates) {
    const group = groups.groupOf(p.articleId);
    if (!group) {
      out.push(p);
      continue;
    }
    const first = shown.get(group.canonical);
    if (first === undefined) shown.set(group.canonical, p.articleId);
    else if (first !== p.articleId) continue;
    let copies = copiesOf.get(p.articleId);
    if (!copies) {
      copies = group.articles
        .filter((id) => id !== p.articleId)
        .map((id) => ({ articleId: id, ...citedMeta(reader.article(id)?.meta ?? {}) }));
      copiesOf.set(p.articleId, copies);
    }
    out.push({ ...p, alsoPublishedBy: copies });
  }
  return out;
}

/**
 * The key of the report a passage belongs to: the smallest id among its article and the
 * copies it carries, the same for every member of a group. Corroboration counts reports.
 */
export function reportKey(p: Pick<Passage, 'articleId' | 'alsoPublishedBy'>): string {
  let key = p.articleId;
  for (const c of p.alsoPublishedBy ?? []) if (c.articleId < key) key = c.articleId;
  return key;
}
