import type { ArticleRecord } from '@newsrag/core';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { COLORS } from './answer-embed.js';
import { fitEmbeds } from './limits.js';
import { articleLabel, plain } from './text.js';

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
