/**
 * Bounded quotes of untrusted values for messages. A bad value may be huge (a 20 MiB
 * line) or expand when serialised (YAML aliases make a 461-byte front matter a 112 MB
 * JSON string), so nothing here ever serialises more than the budget.
 */

/** Characters of a bad value a message quotes at most. */
export const EXCERPT_CHARS = 80;

/** `text` cut to `max` characters with a marker saying how much was left out. Pure. */
export function clip(text: string, max: number = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * A JSON-like quote of `value` of at most about `max` characters, built by walking the
 * value with a budget: shared or deeply repeated sub-values are never expanded beyond it,
 * and cycles end. Pure.
 */
export function excerpt(value: unknown, max: number = EXCERPT_CHARS): string {
  let out = '';
  let full = false;
  const emit = (s: string) => {
    if (full) return;
    if (out.length + s.length > max) {
      out += s.slice(0, Math.max(0, max - out.length));
      full = true;
    } else out += s;
  };
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number) => {
    if (full) return;
    if (typeof v === 'string') emit(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    else if (v instanceof Date) emit(Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString());
    else if (v === null || typeof v !== 'object') emit(String(v));
    else if (seen.has(v) || depth > 20) emit('…');
    else {
      seen.add(v);
      const isArray = Array.isArray(v);
      emit(isArray ? '[' : '{');
      let first = true;
      const entries: Iterable<[string, unknown]> = isArray
        ? ((v as unknown[]).entries() as unknown as Iterable<[string, unknown]>)
        : Object.entries(v as Record<string, unknown>);
      for (const [k, item] of entries) {
        if (full) break;
        if (!first) emit(',');
        first = false;
        if (!isArray) emit(`${JSON.stringify(k.length > max ? k.slice(0, max) : k)}:`);
        walk(item, depth + 1);
      }
      emit(isArray ? ']' : '}');
      seen.delete(v);
    }
  };
  walk(value, 0);
  return full ? `${out}…` : out;
}
