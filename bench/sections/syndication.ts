/**
 * Near-duplicate detection (syndicated copies), measured: precision and recall of the
 * MinHash grouping at several thresholds on the BBC corpus's known duplicate pairs
 * (`DUPLICATES.tsv`) and on generated variants (changed headline, 30 % trimmed, re-ordered
 * paragraphs, a few words changed, a paragraph added, all of these at once) against hard
 * negatives (each original's most similar other BBC article). CPU only, no model.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { nearDuplicateGroups, readArticles } from '@newsrag/core';
import {
  type ArticleSignature,
  articleSignature,
  type DecodedSignature,
  decodeSignature,
  NEAR_DUPLICATE_JACCARD,
  paragraphs,
  SIGNATURE_SCHEME,
  type SignedArticle,
  signatureSimilarity,
  withoutHeadline,
} from '@newsrag/core/internals';
import { num, table } from '../lib/markdown.js';
import { asText, type PlainArticle, VARIANT_KINDS, type VariantKind, variant } from '../lib/syndication-variants.js';
import type { Section } from './section.js';

const THRESHOLDS = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8];
/** Every this-many-th eligible BBC article is an original for the generated variants. */
const SAMPLE_EVERY = 8;

interface Pair {
  i: number;
  j: number;
  s: number;
}

const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`);
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');

function decodeAll(sigs: readonly ArticleSignature[]): DecodedSignature[] {
  return sigs.map((s) => {
    const d = decodeSignature(s);
    if (!d) throw new Error(`signature of scheme ${s.scheme} does not decode`);
    return d;
  });
}

/** Pairs within each group, as keys over `index`. */
function groupedPairs(groups: readonly { articles: string[] }[], index: ReadonlyMap<string, number>): Set<string> {
  const out = new Set<string>();
  for (const g of groups) {
    const ids = g.articles.map((id) => index.get(id) as number);
    for (let x = 0; x < ids.length; x++)
      for (let y = x + 1; y < ids.length; y++) out.add(key(ids[x] as number, ids[y] as number));
  }
  return out;
}

export const syndicationSection: Section = {
  id: 'syndication',
  title: '9. Near-duplicate detection (syndicated copies)',
  async run(ctx) {
    const bbcDir = ctx.inputs.bbcDir;
    const { articles } = await readArticles([bbcDir]);
    const t0 = performance.now();
    const sigs = articles.map((a) => articleSignature(a.text, a.meta.title));
    const signMs = performance.now() - t0;
    const decoded = decodeAll(sigs);
    const index = new Map(articles.map((a, i) => [a.id, i]));

    // Known pairs.
    const tsv = await readFile(path.join(bbcDir, 'DUPLICATES.tsv'), 'utf8');
    const positives = new Map<string, string>();
    for (const line of tsv.trim().split('\n').slice(1)) {
      const [kind, a, b] = line.split('\t') as [string, string, string];
      const i = index.get(a.replace(/\.txt$/, ''));
      const j = index.get(b.replace(/\.txt$/, ''));
      if (i === undefined || j === undefined) throw new Error(`DUPLICATES.tsv names ${a} / ${b}, not read`);
      positives.set(key(i, j), kind);
    }
    const kinds = [...new Set(positives.values())];

    // Every pair's estimated Jaccard (the brute-force reference; grouping itself uses LSH).
    ctx.log(`syndication: ${articles.length} signatures in ${(signMs / 1000).toFixed(1)} s; all pairs…`);
    const t1 = performance.now();
    const scored: Pair[] = [];
    for (let i = 0; i < decoded.length; i++)
      for (let j = i + 1; j < decoded.length; j++) {
        const s = signatureSimilarity(decoded[i] as DecodedSignature, decoded[j] as DecodedSignature);
        if (s >= 0.2) scored.push({ i, j, s });
      }
    const allPairsMs = performance.now() - t1;
    const simOf = new Map(scored.map((p) => [key(p.i, p.j), p.s]));

    const signed: SignedArticle[] = articles.map((a, i) => ({
      id: a.id,
      meta: a.meta,
      signature: sigs[i] as ArticleSignature,
    }));
    const bbcRows: string[][] = [];
    const bbcData: unknown[] = [];
    for (const t of THRESHOLDS) {
      let tp = 0;
      let fp = 0;
      for (const p of scored) if (p.s >= t) positives.has(key(p.i, p.j)) ? tp++ : fp++;
      const perKind = kinds.map((k) => {
        const all = [...positives].filter(([, kind]) => kind === k);
        return all.filter(([pk]) => (simOf.get(pk) ?? 0) >= t).length / all.length;
      });
      const tg = performance.now();
      const groups = nearDuplicateGroups(signed, { threshold: t });
      const groupMs = performance.now() - tg;
      const gp = groupedPairs(groups, index);
      let gtp = 0;
      for (const k of gp) if (positives.has(k)) gtp++;
      const row = {
        threshold: t,
        pairwise: { tp, fp, precision: tp / (tp + fp), recall: tp / positives.size },
        perKindRecall: Object.fromEntries(kinds.map((k, x) => [k, perKind[x]])),
        grouped: {
          pairs: gp.size,
          tp: gtp,
          precision: gtp / gp.size,
          recall: gtp / positives.size,
          groups: groups.length,
          ms: groupMs,
        },
      };
      bbcData.push(row);
      bbcRows.push([
        `${t === NEAR_DUPLICATE_JACCARD ? '**' : ''}${t}${t === NEAR_DUPLICATE_JACCARD ? '**' : ''}`,
        pct(row.pairwise.precision),
        pct(row.pairwise.recall),
        ...perKind.map(pct),
        pct(row.grouped.precision),
        pct(row.grouped.recall),
        String(groups.length),
        num(groupMs, 0),
      ]);
    }
    const chosen = NEAR_DUPLICATE_JACCARD;
    const falsePositives = scored
      .filter((p) => p.s >= chosen && !positives.has(key(p.i, p.j)))
      .map(
        (p) =>
          `${articles[p.i]?.id} / ${articles[p.j]?.id} (${p.s.toFixed(2)}): "${articles[p.i]?.meta.title}" / "${articles[p.j]?.meta.title}"`,
      );
    const nearestBelow = scored
      .filter((p) => p.s < chosen && !positives.has(key(p.i, p.j)))
      .sort((a, b) => b.s - a.s)
      .slice(0, 5)
      .map(
        (p) =>
          `${articles[p.i]?.id} / ${articles[p.j]?.id} (${p.s.toFixed(2)}): "${articles[p.i]?.meta.title}" / "${articles[p.j]?.meta.title}"`,
      );
    const missed = [...positives]
      .filter(([k]) => (simOf.get(k) ?? 0) < chosen)
      .map(([k, kind]) => {
        const [i, j] = k.split(',').map(Number) as [number, number];
        return `${articles[i]?.id} / ${articles[j]?.id} (${kind}, ${(simOf.get(k) ?? 0).toFixed(2)})`;
      });

    // Generated variants of distinct stories, against each one's nearest other BBC article.
    const inPair = new Set<number>();
    for (const k of positives.keys()) for (const x of k.split(',')) inPair.add(Number(x));
    const plain = (i: number): PlainArticle => {
      const a = articles[i];
      if (!a) throw new Error(`no article ${i}`);
      const title = a.meta.title ?? '';
      return { id: a.id, title, paragraphs: paragraphs(withoutHeadline(a.text, title)) };
    };
    const eligible = articles.map((_, i) => i).filter((i) => !inPair.has(i) && plain(i).paragraphs.length >= 3);
    const originals = eligible.filter((_, x) => x % SAMPLE_EVERY === 0);
    const pos: { kind: VariantKind; s: number }[] = [];
    const neg: number[] = [];
    const groupInput: SignedArticle[] = [];
    const origin = new Map<string, string>();
    const addSigned = (id: string, signature: ArticleSignature, from: string) => {
      if (origin.has(id)) return;
      groupInput.push({ id, meta: {}, signature });
      origin.set(id, from);
    };
    originals.forEach((i, x) => {
      const a = plain(i);
      const d = decoded[i] as DecodedSignature;
      let nearest = -1;
      let best = -1;
      for (let j = 0; j < decoded.length; j++) {
        if (j === i) continue;
        const s = simOf.get(key(i, j)) ?? signatureSimilarity(d, decoded[j] as DecodedSignature);
        if (s > best) {
          best = s;
          nearest = j;
        }
      }
      const other = plain(originals[(x + 1) % originals.length] as number);
      const nd = decoded[nearest] as DecodedSignature;
      neg.push(best);
      addSigned(a.id, sigs[i] as ArticleSignature, a.id);
      addSigned(articles[nearest]?.id as string, sigs[nearest] as ArticleSignature, articles[nearest]?.id as string);
      for (const kind of VARIANT_KINDS) {
        const v = variant(a, kind, other, i * 31 + kind.length);
        const sig = articleSignature(asText(v), v.title);
        const vd = decodeSignature(sig) as DecodedSignature;
        pos.push({ kind, s: signatureSimilarity(d, vd) });
        neg.push(signatureSimilarity(vd, nd));
        addSigned(v.id, sig, a.id);
      }
    });
    const variantRows: string[][] = [];
    const variantData: unknown[] = [];
    for (const t of THRESHOLDS) {
      const tp = pos.filter((p) => p.s >= t).length;
      const fp = neg.filter((s) => s >= t).length;
      const perKind = VARIANT_KINDS.map((k) => {
        const all = pos.filter((p) => p.kind === k);
        return all.filter((p) => p.s >= t).length / all.length;
      });
      const groups = nearDuplicateGroups(groupInput, { threshold: t });
      let pairs = 0;
      let wrong = 0;
      for (const g of groups)
        for (let x = 0; x < g.articles.length; x++)
          for (let y = x + 1; y < g.articles.length; y++) {
            pairs++;
            if (origin.get(g.articles[x] as string) !== origin.get(g.articles[y] as string)) wrong++;
          }
      const expectedPairs = (originals.length * ((VARIANT_KINDS.length + 1) * VARIANT_KINDS.length)) / 2;
      const row = {
        threshold: t,
        recall: tp / pos.length,
        precision: tp / (tp + fp),
        perKindRecall: Object.fromEntries(VARIANT_KINDS.map((k, x) => [k, perKind[x]])),
        grouped: { pairs, wrong, precision: (pairs - wrong) / pairs, recall: (pairs - wrong) / expectedPairs },
      };
      variantData.push(row);
      variantRows.push([
        `${t === chosen ? '**' : ''}${t}${t === chosen ? '**' : ''}`,
        pct(row.precision),
        pct(row.recall),
        ...perKind.map(pct),
        pct(row.grouped.precision),
        pct(row.grouped.recall),
      ]);
    }
    const negSorted = [...neg].sort((a, b) => b - a);

    const md = [
      `Signature scheme \`${SIGNATURE_SCHEME}\`; chosen threshold **${chosen}** (estimated Jaccard). ` +
        `${articles.length} BBC signatures in ${num(signMs / 1000, 2)} s (${num(articles.length / (signMs / 1000), 0)} articles/s); ` +
        `all ${((articles.length * (articles.length - 1)) / 2).toLocaleString('en')} pairs compared in ${num(allPairsMs / 1000, 1)} s (reference only; grouping uses LSH, time in the last column).`,
      '',
      `**BBC known pairs** (${positives.size} in DUPLICATES.tsv). Pairwise: every pair with estimated Jaccard ≥ threshold is predicted; ` +
        'grouped: the pairs inside the groups `nearDuplicateGroups` returns (LSH candidates, then union).',
      '',
      table(
        [
          'threshold',
          'pairwise P',
          'pairwise R',
          ...kinds.map((k) => `R ${k}`),
          'grouped P',
          'grouped R',
          'groups',
          'group ms',
        ],
        bbcRows,
      ),
      '',
      `At ${chosen}: ${falsePositives.length} false pairs — ${falsePositives.join('; ') || 'none'}. Missed: ${missed.join('; ') || 'none'}. ` +
        `Most similar unlisted pairs below it: ${nearestBelow.join('; ')}.`,
      '',
      `**Generated variants** of ${originals.length} distinct BBC stories (every ${SAMPLE_EVERY}th with ≥ 3 paragraphs and no known duplicate), ` +
        `${pos.length} positive pairs (original, variant); hard negatives: each original and each variant against the original's most similar other BBC article ` +
        `(${neg.length} pairs; highest similarities ${negSorted
          .slice(0, 5)
          .map((s) => s.toFixed(2))
          .join(', ')}).`,
      '',
      table(['threshold', 'P', 'R', ...VARIANT_KINDS.map((k) => `R ${k}`), 'grouped P', 'grouped R'], variantRows),
    ].join('\n');
    return {
      markdown: md,
      floors: [],
      data: {
        scheme: SIGNATURE_SCHEME,
        chosen,
        signMs,
        allPairsMs,
        bbc: bbcData,
        falsePositives,
        missed,
        nearestBelow,
        variants: variantData,
        originals: originals.length,
      },
    };
  },
};
