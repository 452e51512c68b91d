import type { APIEmbed, APIEmbedField } from 'discord.js';

/**
 * Discord's message limits, in characters (documented at
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * Lengths are counted in UTF-16 code units, which is never fewer than Discord's count,
 * so staying within them here stays within them there.
 */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  fields: 25,
  embeds: 10,
  embedsTotal: 6000,
} as const;

export const ELLIPSIS = '…';

/**
 * A cut at a sentence end is preferred unless it would keep less than this share of
 * the room; then the cut falls at the last word boundary instead (never mid-word).
 */
const MIN_SENTENCE_SHARE = 0.5;

/** Ends of sentences: punctuation (plus closing quotes/brackets) before whitespace, or a line break. */
const SENTENCE_END = /[.!?…]["'”’)\]]*(?=\s)|\n/g;

/** Does not split a UTF-16 surrogate pair at `index`. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return index > 0 && code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

/**
 * Shortens `text` to at most `max` characters: at the last sentence end that fits,
 * else at the last word boundary, followed by an ellipsis. Text that fits is returned
 * unchanged. Only a single word longer than `max` is ever cut inside (there is no
 * other way to fit it). Pure.
 */
export function truncate(text: string, max: number): string {
  if (max < 0 || !Number.isFinite(max)) throw new RangeError(`truncate: max must be a finite number ≥ 0, got ${max}`);
  if (text.length <= max) return text;
  if (max === 0) return '';
  if (max <= 2) return ELLIPSIS;
  // Room for " …" after a sentence, "…" after a word.
  const room = max - 2;
  let sentenceEnd = -1;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (end > room) break;
    sentenceEnd = end;
  }
  if (sentenceEnd >= room * MIN_SENTENCE_SHARE) {
    return `${text.slice(0, sentenceEnd).trimEnd()} ${ELLIPSIS}`;
  }
  const wordRoom = max - 1;
  // The last whitespace at or before wordRoom: the cut keeps whole words only.
  const head = text.slice(0, wordRoom + 1);
  const lastSpace = head.search(/\s\S*$/);
  if (lastSpace > 0) {
    const kept = text.slice(0, lastSpace).trimEnd();
    if (kept.length > 0) return `${kept}${ELLIPSIS}`;
  }
  return `${text.slice(0, safeIndex(text, wordRoom))}${ELLIPSIS}`;
}

const ZERO_WIDTH_SPACE = '\u200b';

/** Characters Discord counts towards an embed's 6,000 (title, description, field names and values, footer, author). */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function fitField(field: APIEmbedField): APIEmbedField {
  // Discord rejects empty names and values.
  const name = truncate(field.name, LIMITS.fieldName) || ZERO_WIDTH_SPACE;
  const value = truncate(field.value, LIMITS.fieldValue) || ZERO_WIDTH_SPACE;
  return { ...field, name, value };
}

/** Cuts every part of one embed to its own limit (not the 6,000 total). Pure. */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.embedTitle);
  if (out.description !== undefined) out.description = truncate(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footerText) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.authorName) };
  if (out.fields) out.fields = out.fields.slice(0, LIMITS.fields).map(fitField);
  return out;
}

/**
 * Makes a message's embeds valid: at most 10, each within its limits, and at most
 * 6,000 characters together. Over the total, the last fields are dropped first
 * (the least relevant sources), then descriptions and the remaining fields are cut. Pure.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map(fitEmbed);
  const total = () => out.reduce((n, e) => n + embedLength(e), 0);
  // Drop trailing fields (keeping each embed's first) while over the total.
  for (let i = out.length - 1; i >= 0 && total() > LIMITS.embedsTotal; i--) {
    const e = out[i];
    while (e?.fields && e.fields.length > 1 && total() > LIMITS.embedsTotal) e.fields = e.fields.slice(0, -1);
  }
  // Then shorten the longest text part, a sentence at a time, until it fits.
  for (let guard = 0; total() > LIMITS.embedsTotal && guard < 1000; guard++) {
    const over = total() - LIMITS.embedsTotal;
    let best: { length: number; set: (s: string) => void; get: () => string } | undefined;
    for (const e of out) {
      const parts: Array<{ get: () => string; set: (s: string) => void }> = [];
      if (e.description)
        parts.push({ get: () => e.description ?? '', set: (s) => (e.description = s || ZERO_WIDTH_SPACE) });
      for (const f of e.fields ?? []) parts.push({ get: () => f.value, set: (s) => (f.value = s || ZERO_WIDTH_SPACE) });
      if (e.footer) {
        const footer = e.footer;
        parts.push({ get: () => footer.text, set: (s) => (footer.text = s) });
      }
      if (e.title) parts.push({ get: () => e.title ?? '', set: (s) => (e.title = s) });
      for (const p of parts) if (!best || p.get().length > best.length) best = { length: p.get().length, ...p };
    }
    if (!best || best.length <= 1) break;
    best.set(truncate(best.get(), Math.max(1, best.length - over)));
  }
  // As a last resort (tiny parts everywhere), drop whole embeds.
  while (out.length > 1 && total() > LIMITS.embedsTotal) out.pop();
  return out;
}

/** A message body within Discord's limits: content cut to 2,000, embeds fitted. Pure. */
export function fitMessage<T extends { content?: string; embeds?: APIEmbed[] }>(message: T): T {
  const out = { ...message };
  if (out.content !== undefined) out.content = truncate(out.content, LIMITS.content);
  if (out.embeds !== undefined) out.embeds = fitEmbeds(out.embeds);
  return out;
}
