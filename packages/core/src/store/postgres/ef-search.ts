/**
 * `hnsw.ef_search` from the recall a query wants. pgvector's HNSW search keeps `ef_search`
 * candidates and returns at most that many rows, so the knob users think in (recall@k against
 * exact search) has to be turned into it per query.
 *
 * bench/postgres-scale.ts measured recall@10 and recall@50 for several `ef_search` values on
 * 1M clustered synthetic 384-dimension chunks with the store's graph (m 32, ef_construction
 * 256; 50 queries): at the same `ef_search` the two k's recalls were within 0.02 of each other
 * once `ef_search ≥ 2k`, so the curve is in `ef_search` alone, with `2k` as the floor. Recall
 * stops rising past ~100 there (0.972 at 100, 200 and 400: one query of 50 finds none of its
 * neighbours at any ef_search): that is the graph's limit, which no `ef_search` lifts (raise
 * `ef_construction`). A target above the curve's last point extrapolates along its last
 * segment up to pgvector's ceiling and may cost time for nothing on data like the bench's;
 * set `ef_search` directly when the curve does not fit the data.
 */

/** The recall a query wants when neither the location nor the call says (recall@k ≥ 0.95). */
export const DEFAULT_RECALL = 0.95;
/** pgvector's ceiling for `hnsw.ef_search`. */
export const MAX_EF_SEARCH = 1000;
/** `ef_search` below `EF_PER_K × k` loses recall@k however good the graph. */
export const EF_PER_K = 2;

/** Measured (ef_search, recall@k) points, ascending in both. */
export const RECALL_CURVE: ReadonlyArray<readonly [efSearch: number, recall: number]> = [
  [40, 0.954],
  [100, 0.972],
];

/**
 * The smallest `ef_search` expected to give `recall` for a top-`k` search: the measured curve
 * interpolated linearly in log(ef_search), extrapolated past its last point along its last
 * segment, never below `2k`, never above {@link MAX_EF_SEARCH}. Pure.
 */
export function efSearchFor(recall: number, k: number): number {
  const kk = Math.max(1, Math.floor(k));
  const curve = RECALL_CURVE;
  const first = curve[0] as readonly [number, number];
  let ef = first[0];
  if (recall > first[1]) {
    let i = 1;
    while (i < curve.length - 1 && (curve[i] as readonly [number, number])[1] < recall) i++;
    const [x0, y0] = curve[i - 1] as readonly [number, number];
    const [x1, y1] = curve[i] as readonly [number, number];
    const t = (recall - y0) / (y1 - y0);
    ef = Math.exp(Math.log(x0) + t * (Math.log(x1) - Math.log(x0)));
  }
  // The epsilon keeps exp(log(x)) = x + 2e-14 from costing a whole extra ef step.
  return Math.min(MAX_EF_SEARCH, Math.max(EF_PER_K * kk, Math.ceil(ef - 1e-9)));
}
