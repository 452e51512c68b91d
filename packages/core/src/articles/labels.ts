/**
 * The rules for the two labels an article may carry besides its folder: a collection name and
 * a language. One place, because the bot's settings accept collection names by the same rule an
 * article's metadata is checked with: a channel limited to a name no article could carry would
 * silently find nothing. Pure.
 */

/**
 * A collection name: 1-100 characters with no `/`, `\`, white space, `<`, `>`, `@`, `#` or
 * backtick. 100 is Discord's limit on an autocomplete choice; the excluded characters are
 * path separators (a name is also a folder name) and what Discord would read as a mention,
 * a channel link or code.
 */
export const COLLECTION_NAME_PATTERN = /^[^/\\\s<>@#`]{1,100}$/;

/** What a collection name must look like, for error messages. */
export const COLLECTION_NAME_RULE = '1-100 characters without / \\ spaces < > @ # or backticks';

/** Whether `name` is a valid collection name (see {@link COLLECTION_NAME_PATTERN}). */
export function isCollectionName(name: string): boolean {
  return COLLECTION_NAME_PATTERN.test(name);
}

/** A BCP 47 tag: a primary language subtag of 2-3 letters, then optional subtags (`en-GB`, `zh-Hant-TW`). */
const LANGUAGE_TAG = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i;

/** What a language must look like, for error messages. */
export const LANGUAGE_RULE = 'a language tag such as en, fr or pt-BR';

/**
 * The primary language of a BCP 47-ish tag, lower-cased (`en-GB` → `en`, `FR` → `fr`), or
 * undefined when `value` is not one. Only the primary subtag is kept: a channel limited to
 * `en` should find British and American articles alike.
 */
export function normalizeLanguage(value: string): string | undefined {
  const m = LANGUAGE_TAG.exec(value.trim());
  return m?.[1]?.toLowerCase();
}
