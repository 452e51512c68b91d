import type { ArticleRecord } from '@newsrag/core';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { COLORS } from './answer-embed.js';
import { fitEmbeds, truncate } from './limits.js';
import { articleLabel, articleLocation, plain } from './text.js';

/** Articles per page of `/sources`. */
export const SOURCES_PER_PAGE = 10;

/** Custom id of a `/sources` page button. */
export const sourcesPageId = (page: number) => `src:${page}`;

/** Newest first; undated articles last, then by title. Pure. */
export function sortArticles(articles: readonly ArticleRecord[]): ArticleRecord[] {
  return [...articles].sort((a, b) => {
    const da = a.meta.date ?? '';
    const db = b.meta.date ?? '';
    if (da !== db) return da < db ? 1 : -1;
    return (a.meta.title ?? a.id).localeCompare(b.meta.title ?? b.id);
  });
}

/**
 * One page of the indexed articles (title and date), with Prev/Next buttons when
 * there is more than one page. `page` is clamped to the valid range. Pure.
 */
export function renderSourcesPage(
  articles: readonly ArticleRecord[],
  page: number,
): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const sorted = sortArticles(articles);
  const pages = Math.max(1, Math.ceil(sorted.length / SOURCES_PER_PAGE));
  const current = Math.min(pages - 1, Math.max(0, Math.trunc(page)));
  const slice = sorted.slice(current * SOURCES_PER_PAGE, (current + 1) * SOURCES_PER_PAGE);
  const lines = slice.map(
    (a, i) =>
      `${current * SOURCES_PER_PAGE + i + 1}. ${plain(articleLabel({ title: a.meta.title, date: a.meta.date, id: a.id }), 300)}`,
  );
  const embed: APIEmbed = {
    title: `Indexed articles (${sorted.length})`,
    description: lines.length > 0 ? lines.join('\n') : 'No articles are indexed yet. An admin can run /reindex.',
    color: COLORS.info,
    footer: { text: `Page ${current + 1} of ${pages}` },
  };
  const components: APIActionRowComponent<APIButtonComponent>[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Prev',
                custom_id: sourcesPageId(current - 1),
                disabled: current === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Next',
                custom_id: sourcesPageId(current + 1),
                disabled: current === pages - 1,
              },
            ],
          },
        ]
      : [];
  return { embeds: fitEmbeds([embed]), components };
}

/** Discord's limits on autocomplete: 25 choices, names and values of 1–100 characters. */
export const CHOICES = 25;
export const CHOICE_LENGTH = 100;

/**
 * Autocomplete choices for `/sources article:`: articles whose title or id contains what was
 * typed (case-insensitive), those starting with it first, then newest first; at most 25, each
 * named `Title (date)` cut to 100 characters, valued by article id (ids over 100 characters
 * cannot be a value and are left out). Pure.
 */
export function articleChoices(
  articles: readonly ArticleRecord[],
  typed: string,
): Array<{ name: string; value: string }> {
  const needle = typed.trim().toLowerCase();
  const scored = sortArticles(articles)
    .filter((a) => a.id.length <= CHOICE_LENGTH)
    .map((a) => {
      const title = (a.meta.title ?? '').toLowerCase();
      const id = a.id.toLowerCase();
      const rank =
        needle === '' || title.startsWith(needle) ? 0 : title.includes(needle) || id.includes(needle) ? 1 : 2;
      return { a, rank };
    })
    .filter((s) => s.rank < 2);
  const ordered = [...scored.filter((s) => s.rank === 0), ...scored.filter((s) => s.rank === 1)];
  return ordered.slice(0, CHOICES).map(({ a }) => ({
    // Choice names are shown as plain text by Discord's picker: no escaping, only the length limit.
    name:
      truncate(
        articleLabel({ title: a.meta.title, date: a.meta.date, id: a.id }).replace(/\s+/g, ' '),
        CHOICE_LENGTH,
      ) || a.id,
    value: a.id,
  }));
}

/** One indexed article: title, date, source, where it is, its size. Pure. */
export function renderArticle(a: ArticleRecord): { embeds: APIEmbed[] } {
  const fields = [
    ...(a.meta.source ? [{ name: 'Source', value: plain(a.meta.source, 200), inline: true }] : []),
    ...(a.meta.author ? [{ name: 'Author', value: plain(a.meta.author, 200), inline: true }] : []),
    { name: 'Where', value: articleLocation({ url: a.meta.url, id: a.id }) },
    { name: 'Indexed', value: `${a.length} characters in ${a.chunkCount} passages`, inline: true },
  ];
  return {
    embeds: fitEmbeds([
      {
        title: plain(articleLabel({ title: a.meta.title, date: a.meta.date, id: a.id }), 256),
        color: COLORS.info,
        fields,
      },
    ]),
  };
}
