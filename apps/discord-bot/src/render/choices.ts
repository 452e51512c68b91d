import type { LabelCount } from '@newsrag/core';
import { truncate } from './limits.js';
import { CHOICE_LENGTH, CHOICES } from './sources.js';

export type Choice = { name: string; value: string };

/** Discord shows choice names as plain text: one line, 1-100 characters. */
function choiceName(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), CHOICE_LENGTH);
}

/** `needle` first among those starting with it, then those containing it; at most 25. */
function ranked<T>(items: readonly T[], keyOf: (item: T) => string, typed: string): T[] {
  const needle = typed.trim().toLowerCase();
  const starts: T[] = [];
  const contains: T[] = [];
  for (const item of items) {
    const key = keyOf(item).toLowerCase();
    if (key.startsWith(needle)) starts.push(item);
    else if (key.includes(needle)) contains.push(item);
  }
  return [...starts, ...contains];
}

/**
 * Autocomplete choices for a comma-separated list of labels (`/settings set key:collections
 * value:`): the last item typed is completed from `labels` (those starting with it first, in
 * the given order, most articles first from core), the earlier items are kept as typed and not
 * offered again. Each choice's value is the whole list (`bbc,wire`), its name the list with the
 * completed label's article count. `all` is offered while nothing else was typed. At most 25
 * choices; a choice whose value would exceed 100 characters is left out (Discord refuses it),
 * names are cut to 100. Pure.
 */
export function listChoices(labels: readonly LabelCount[], typed: string, noun = 'article'): Choice[] {
  const parts = typed.split(',');
  const last = (parts.pop() ?? '').trim();
  const earlier = parts.map((p) => p.trim()).filter(Boolean);
  const taken = new Set(earlier);
  const prefix = earlier.length > 0 ? `${earlier.join(',')},` : '';
  const out: Choice[] = [];
  if (earlier.length === 0 && 'all'.startsWith(last.toLowerCase())) out.push({ name: 'all', value: 'all' });
  for (const label of ranked(
    labels.filter((l) => !taken.has(l.name)),
    (l) => l.name,
    last,
  )) {
    if (out.length >= CHOICES) break;
    const value = `${prefix}${label.name}`;
    if (value.length > CHOICE_LENGTH) continue;
    const count = `${label.articles} ${noun}${label.articles === 1 ? '' : 's'}`;
    out.push({ name: choiceName(`${[...earlier, label.name].join(', ')} (${count})`) || value, value });
  }
  return out;
}

/**
 * Autocomplete choices for `/feeds remove url:`: the listed feeds whose URL contains what was
 * typed (those starting with it first). A URL over 100 characters cannot be a choice value
 * and is left out (it can still be typed whole). At most 25. Pure.
 */
export function feedChoices(feeds: readonly string[], typed: string): Choice[] {
  return ranked(
    feeds.filter((f) => f.length <= CHOICE_LENGTH),
    (f) => f,
    typed,
  )
    .slice(0, CHOICES)
    .map((f) => ({ name: choiceName(f) || f, value: f }));
}

/** Choices for a yes/no setting. Pure. */
export function booleanChoices(typed: string): Choice[] {
  return ranked(['true', 'false'], (v) => v, typed).map((v) => ({ name: v, value: v }));
}
