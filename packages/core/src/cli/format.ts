import { helpfulDates, humanDate } from '../dates/human.js';
import type { Answer, IndexStats, IndexSummary, Passage, PublishedCopy } from '../types.js';

/** The `ask --json` shape, documented in the README; stable for scripts. */
export function answerJson(a: Answer) {
  return {
    question: a.question,
    answer: a.answer,
    abstained: a.abstained,
    confidence: round(a.confidence, 4),
    notFound: a.notFound,
    passages: a.passages.map((p) => ({
      rank: p.rank,
      articleId: p.articleId,
      title: p.title ?? null,
      date: p.date ?? null,
      source: p.source ?? null,
      url: p.url ?? null,
      text: p.text,
      start: p.start,
      end: p.end,
      score: round(p.score, 6),
      retrievers: p.retrievers,
      alsoPublishedBy: (p.alsoPublishedBy ?? []).map(copyJson),
    })),
    citations: a.citations,
    when: a.when ?? null,
    corroborations: a.corroborations,
    timings: a.timings,
    id: a.id,
  };
}

function copyJson(c: PublishedCopy) {
  return {
    articleId: c.articleId,
    title: c.title ?? null,
    source: c.source ?? null,
    url: c.url ?? null,
    date: c.date ?? null,
  };
}

/** `also published by Herald (2025-03-04), gazette/pier`: each copy by its source, else title, else id. */
export function alsoPublishedByText(copies: readonly PublishedCopy[]): string {
  const name = (c: PublishedCopy) => `${c.source ?? c.title ?? c.articleId}${c.date ? ` (${c.date})` : ''}`;
  return `also published by ${copies.map(name).join(', ')}`;
}

export function formatAnswer(a: Answer): string {
  const lines: string[] = [];
  if (a.abstained || a.answer === null) {
    lines.push(
      a.notFound.length > 0
        ? `No confident answer: no indexed article mentions ${a.notFound.map((n) => `"${n}"`).join(', ')}.`
        : 'No confident answer in the indexed articles.',
    );
    if (a.passages.length > 0) {
      lines.push('', 'Closest passages:');
      for (const p of a.passages.slice(0, 3)) {
        lines.push(`  - ${label(p)}: ${excerpt(p.text)}`);
        if (p.alsoPublishedBy && p.alsoPublishedBy.length > 0)
          lines.push(`    ${alsoPublishedByText(p.alsoPublishedBy)}`);
      }
    }
  } else {
    if (a.when) lines.push(`When: ${humanDate(a.when)}`, '');
    // The quotes as in `a.answer`, each with the dates it speaks of resolved where that helps.
    lines.push(
      a.citations
        .map((c) => {
          const dates = helpfulDates(c.dates);
          return `${c.quote} [${c.marker}]${dates.length > 0 ? ` (${dates.join(', ')})` : ''}`;
        })
        .join(' '),
      '',
    );
    for (const c of a.citations) {
      const when = c.date ? ` (${c.date})` : '';
      const where = c.url ?? c.source ?? '';
      const name = c.title ? `${c.title}${when} — ${c.articleId}` : `${c.articleId}${when}`;
      lines.push(`[${c.marker}] ${name}, chars ${c.start}–${c.end}${where ? ` — ${where}` : ''}`);
      if (c.alsoPublishedBy && c.alsoPublishedBy.length > 0)
        lines.push(`    ${alsoPublishedByText(c.alsoPublishedBy)}`);
    }
    for (const g of a.corroborations) {
      lines.push(`    ${g.markers.map((m) => `[${m}]`).join(' ')} reported by ${g.count} articles`);
    }
  }
  lines.push('', `(${Math.round(a.timings.totalMs)} ms)`);
  return lines.join('\n');
}

export function formatSummary(s: IndexSummary): string {
  const out = [
    `Indexed: ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged; ` +
      `${s.chunksEmbedded} chunks embedded in ${s.seconds.toFixed(1)} s.`,
  ];
  for (const issue of s.issues) {
    // Messages name their file already; the prefix says whether the article is in the index.
    const message = issue.message.startsWith(issue.path) ? issue.message : `${issue.path}: ${issue.message}`;
    out.push(`  ${issue.indexed ? 'warning' : 'skipped'} ${message}`);
  }
  for (const folder of s.unreadableFolders) {
    out.push(`error: ${folder} could not be read; nothing indexed under it was pruned or updated from it`);
  }
  return out.join('\n');
}

export function formatStats(s: IndexStats): string {
  const lines = [
    `Index:      ${s.location} (${s.engine ?? 'folder'} engine, generation ${s.generation}, updated ${s.updatedAt})`,
    `Model:      ${s.model} (${s.fingerprintId}, ${s.dimensions} dimensions)`,
    `Articles:   ${s.articles}`,
    `Chunks:     ${s.chunks}`,
    `On disk:    ${(s.bytesOnDisk / 1024 / 1024).toFixed(2)} MiB`,
  ];
  if (s.check) {
    lines.push(`Check:      ${s.check.ok ? 'ok' : 'FAILED'}`);
    for (const p of s.check.problems) lines.push(`  - ${p}`);
  }
  return lines.join('\n');
}

function label(p: Passage): string {
  return `${p.title ?? p.articleId}${p.date ? ` (${p.date})` : ''}`;
}

function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
