import { type Banding, forEachCandidatePair } from './lsh.js';
import { type ArticleSignature, type DecodedSignature, decodeSignature, signatureSimilarity } from './signature.js';
import { MIN_SHINGLES, NEAR_DUPLICATE_BANDING, NEAR_DUPLICATE_JACCARD } from './threshold.js';

/** What grouping needs of an article: an {@link ArticleRecord} has it all. */
export interface SignedArticle {
  id: string;
  meta: { date?: string };
  signature?: ArticleSignature;
}

/** Articles that are copies of one story (syndicated, re-published, lightly edited). */
export interface DuplicateGroup {
  /** The copy that stands for the group: the earliest dated, then the shortest id, then the first id in code-unit order. */
  canonical: string;
  /** Every member, the canonical first, then in the same order. At least two. */
  articles: string[];
}

/** Options of {@link nearDuplicateGroups}. */
export interface GroupingOptions {
  /** Least estimated Jaccard of two articles' shingle sets for them to be copies (default {@link NEAR_DUPLICATE_JACCARD}). */
  threshold?: number;
  /** LSH banding for candidate pairs (default {@link NEAR_DUPLICATE_BANDING}). */
  banding?: Banding;
}

/**
 * Orders a group's members: dated before undated, earlier dates first (the first
 * publication is most likely the original the others copied), then shorter ids (a copy saved
 * beside its original tends to get a longer name: `story-2`, `story (copy)`), then code-unit
 * order, so the choice never depends on the order articles were indexed in.
 */
export function canonicalOrder(a: SignedArticle, b: SignedArticle): number {
  const da = a.meta.date;
  const db = b.meta.date;
  if (da !== db) {
    if (da === undefined) return 1;
    if (db === undefined) return -1;
    return da < db ? -1 : 1;
  }
  if (a.id.length !== b.id.length) return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups near-duplicate articles: candidate pairs by LSH banding over their stored MinHash
 * signatures, kept when the estimated Jaccard of their shingle sets is at least `threshold`,
 * then joined transitively (union–find; A≈B and B≈C put A, B, C in one group). Articles
 * without a current signature (an index written before signatures, not yet re-indexed) or
 * with fewer than {@link MIN_SHINGLES} shingles are never grouped. Pure and deterministic; groups come sorted by their canonical id.
 *
 * @example
 * ```ts
 * const groups = nearDuplicateGroups(kb.articles());
 * // [{ canonical: 'wire/reuters-2024-06-19', articles: ['wire/reuters-2024-06-19', 'bbc/world/17', 'cnn/asia/4'] }]
 * ```
 */
export function nearDuplicateGroups(
  articles: readonly SignedArticle[],
  options: GroupingOptions = {},
): DuplicateGroup[] {
  const threshold = options.threshold ?? NEAR_DUPLICATE_JACCARD;
  const banding = options.banding ?? NEAR_DUPLICATE_BANDING;
  const decoded: (DecodedSignature | null)[] = articles.map((a) => {
    const d = decodeSignature(a.signature);
    return d && d.shingles >= MIN_SHINGLES ? d : null;
  });
  const parent = articles.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    let x = i;
    while (parent[x] !== r) {
      const next = parent[x] as number;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  forEachCandidatePair(
    decoded.map((d) => d?.values ?? null),
    banding,
    (i, j) => {
      const ri = find(i);
      const rj = find(j);
      if (ri === rj) return;
      if (signatureSimilarity(decoded[i] as DecodedSignature, decoded[j] as DecodedSignature) >= threshold) {
        parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    },
  );
  const members = new Map<number, SignedArticle[]>();
  articles.forEach((a, i) => {
    const root = find(i);
    const list = members.get(root);
    if (list) list.push(a);
    else members.set(root, [a]);
  });
  const groups: DuplicateGroup[] = [];
  for (const list of members.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort(canonicalOrder);
    groups.push({ canonical: (sorted[0] as SignedArticle).id, articles: sorted.map((a) => a.id) });
  }
  return groups.sort((x, y) => (x.canonical < y.canonical ? -1 : x.canonical > y.canonical ? 1 : 0));
}

/** Near-duplicate groups with a lookup by article id. */
export interface Syndication {
  groups: DuplicateGroup[];
  /** The group an article belongs to, or undefined when it has no copy. */
  groupOf(articleId: string): DuplicateGroup | undefined;
}

/** {@link nearDuplicateGroups} plus an index by member id. */
export function syndication(articles: readonly SignedArticle[], options: GroupingOptions = {}): Syndication {
  const groups = nearDuplicateGroups(articles, options);
  const byId = new Map<string, DuplicateGroup>();
  for (const g of groups) for (const id of g.articles) byId.set(id, g);
  return { groups, groupOf: (id) => byId.get(id) };
}
