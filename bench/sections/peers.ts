/**
 * 5. Peers: LangChain.js and LlamaIndex.TS's usual pipelines on the same articles,
 * questions, scoring and embedder (`standin`), side by side with newsrag's hybrid
 * mode: quality, index time and query latency, with the ratio newsrag/peer.
 */
import { runChild } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { holds } from '../lib/floors.js';
import { num, pctCell, ratio, spreadCell, table } from '../lib/markdown.js';
import { type Spread, scaleSpread, spread } from '../lib/stats.js';
import { ensurePeers } from '../peers/install.js';
import type { PeerParams, PeerResult } from '../workers/peer.js';
import type { IndexingRow } from './indexing.js';
import { newsragQuality, QUESTION_SETS } from './quality.js';
import type { Section } from './section.js';

function scaleOptional(s: Spread | undefined, factor: number): Spread | undefined {
  return s ? scaleSpread(s, factor) : undefined;
}

async function runPeer(ctx: BenchContext, peer: PeerParams['peer']): Promise<PeerResult> {
  const c = await ctx.corpora();
  const setsOf = (corpus: 'seeds' | 'mixed') =>
    QUESTION_SETS.filter((s) => s.corpus === corpus).map((s) => ({ name: s.name, file: ctx.inputs[s.file] }));
  ctx.log(`peers: ${peer} on the seeds and on BBC + seeds`);
  const r = await runChild<PeerParams, PeerResult>(
    'peer',
    {
      peer,
      model: ctx.plan.qualityModel,
      corpora: [
        { name: 'seeds', dir: c.seedsDir, buildRuns: 3, sets: setsOf('seeds') },
        { name: 'mixed', dir: c.mixedDir, buildRuns: ctx.plan.peerBuildRuns, sets: setsOf('mixed') },
      ],
      timing: { corpus: 'mixed', queriesFile: await ctx.queriesFile(), queries: ctx.plan.peerQueries, warmup: 20 },
    },
    { env: await ctx.modelEnv(ctx.plan.qualityModel) },
  );
  return r.result;
}

export const peersSection: Section = {
  id: 'peers',
  title: '5. Peers: LangChain.js and LlamaIndex.TS',
  async run(ctx) {
    const installed = await ensurePeers(ctx.log);
    const ours = await newsragQuality(ctx);
    const peers = [await runPeer(ctx, 'langchain'), await runPeer(ctx, 'llamaindex')];
    const seeds = await ctx.index('seeds', ctx.plan.qualityModel);
    const mixed = await ctx.index('mixed', ctx.plan.qualityModel);
    // The indexing section's median of several runs when it ran, else the one build made for the queries.
    const measured = async (corpus: 'seeds' | 'mixed', fallbackMs: number): Promise<Spread> => {
      const row = await ctx.memo<IndexingRow | null>(`indexing:${corpus}-${ctx.plan.qualityModel}`, async () => null);
      return row ? scaleSpread(row.indexSeconds, 1000) : spread([fallbackMs]);
    };
    const oursBuild = {
      seeds: await measured('seeds', seeds.result.indexMs),
      mixed: await measured('mixed', mixed.result.indexMs),
    };
    const hybrid = (set: string) => ours.scores.find((s) => s.set === set && s.mode === 'hybrid');

    const qualityRows: string[][] = [];
    for (const set of QUESTION_SETS) {
      const o = hybrid(set.name);
      qualityRows.push([
        set.name,
        'newsrag hybrid',
        num(o?.hitAt1, 3),
        num(o?.hitAt3, 3),
        num(o?.hitAt5, 3),
        num(o?.mrr10, 3),
        '',
      ]);
      // The same embedder and no lexical part: the like-for-like row against the peers' dense retrieval.
      const d = ours.scores.find((x) => x.set === set.name && x.mode === 'dense');
      qualityRows.push([
        set.name,
        'newsrag dense',
        num(d?.hitAt1, 3),
        num(d?.hitAt3, 3),
        num(d?.hitAt5, 3),
        num(d?.mrr10, 3),
        '',
      ]);
      for (const p of peers) {
        const s = p.scores.find((x) => x.set === set.name);
        qualityRows.push([
          set.name,
          p.name,
          num(s?.hitAt1, 3),
          num(s?.hitAt3, 3),
          num(s?.hitAt5, 3),
          num(s?.mrr10, 3),
          ratio(o?.mrr10, s?.mrr10),
        ]);
      }
    }
    const speedRows: string[][] = [
      [
        'newsrag',
        spreadCell(scaleSpread(oursBuild.seeds, 1 / 1000), 2),
        spreadCell(scaleSpread(oursBuild.mixed, 1 / 1000), 1),
        String(mixed.result.stats.chunks),
        pctCell(ours.searchLatency),
        '',
        '',
      ],
      ...peers.map((p) => {
        const b = (name: string) => p.builds.find((x) => x.corpus === name);
        return [
          p.name,
          spreadCell(scaleOptional(b('seeds')?.buildMs, 1 / 1000), 2),
          spreadCell(scaleOptional(b('mixed')?.buildMs, 1 / 1000), 1),
          String(b('mixed')?.passages ?? '–'),
          pctCell(p.latency),
          ratio(oursBuild.mixed.median, b('mixed')?.buildMs.median),
          ratio(ours.searchLatency?.p50, p.latency.p50),
        ];
      }),
    ];
    const md = [
      "Same articles (read by core's reader), same questions, same scoring (top 10, passages over 1,200 chars never count), same embedder " +
        `(\`${ctx.plan.qualityModel}\`, wrapped as each library's embeddings class).` +
        ' Peers never abstain. Ratios are newsrag / peer ' +
        '(MRR: > 1 means newsrag is better; times: < 1 means newsrag is faster).',
      '',
      ...peers.map(
        (p) =>
          `- **${p.name}** (${Object.entries(p.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}): ${p.splitter}; ` +
          `${num(p.cutShare * 100)}% of returned passages were longer than 1,200 chars and were cut to their first 1,200 (longest ${p.longestPassage}).`,
      ),
      `- Peers ${installed === 'installed' ? 'were installed for this run' : 'were already installed'} in \`bench/.peers\`.`,
      '',
      table(['question set', 'system', 'hit@1', 'hit@3', 'hit@5', 'MRR@10', 'MRR newsrag/peer'], qualityRows, [
        'l',
        'l',
      ]),
      '',
      `Speed: index = split + embed + store of the corpus (newsrag: \`kb.index()\` incl. writing to disk); query = one top-10 retrieval ` +
        `(newsrag: hybrid \`kb.search()\`), warm, p50 / p95 / p99 ms over ${ctx.plan.peerQueries} queries on BBC + seeds.`,
      '',
      table(
        [
          'system',
          'index seeds s',
          'index BBC s',
          'passages (BBC)',
          'query ms',
          'index time newsrag/peer',
          'query p50 newsrag/peer',
        ],
        speedRows,
      ),
    ].join('\n');
    const floors = peers.map((p) => {
      const per = QUESTION_SETS.map((set) => ({
        set: set.name,
        ours: hybrid(set.name)?.mrr10,
        theirs: p.scores.find((x) => x.set === set.name)?.mrr10,
      }));
      const ok = per.every((x) => x.ours !== undefined && x.theirs !== undefined && x.ours > x.theirs);
      return holds(
        `newsrag hybrid beats ${p.name} on MRR@10 on every question set`,
        ok,
        per.map((x) => `${num(x.ours, 3)} vs ${num(x.theirs, 3)}`).join('; '),
        'newsrag > peer on each set',
      );
    });
    return { markdown: md, floors, data: { peers, newsrag: { build: oursBuild, searchLatency: ours.searchLatency } } };
  },
};
