/**
 * Discord's documented message limits, and the check the stand-in applies to every
 * message body (create, edit, interaction response): a violation is answered 400 like Discord.
 */

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  actionRows: 5,
  componentsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

/** Checks a message body (create/edit/interaction response data) against Discord's limits. */
export function checkMessageLimits(body: unknown): string[] {
  const problems: string[] = [];
  if (body === null || typeof body !== 'object') return ['body is not a JSON object'];
  const b = body as Record<string, unknown>;
  const content = typeof b.content === 'string' ? b.content : '';
  if (content.length > DISCORD_LIMITS.content) problems.push(`content: ${content.length} > ${DISCORD_LIMITS.content}`);
  const embeds = Array.isArray(b.embeds) ? (b.embeds as Array<Record<string, unknown>>) : [];
  if (embeds.length > DISCORD_LIMITS.embeds) problems.push(`embeds: ${embeds.length} > ${DISCORD_LIMITS.embeds}`);
  let total = 0;
  embeds.forEach((e, i) => {
    const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
    const check = (what: string, n: number, max: number) => {
      if (n > max) problems.push(`embeds[${i}].${what}: ${n} > ${max}`);
    };
    const title = len(e.title);
    const description = len(e.description);
    const footer = len((e.footer as Record<string, unknown> | undefined)?.text);
    const author = len((e.author as Record<string, unknown> | undefined)?.name);
    check('title', title, DISCORD_LIMITS.embedTitle);
    check('description', description, DISCORD_LIMITS.embedDescription);
    check('footer.text', footer, DISCORD_LIMITS.footerText);
    check('author.name', author, DISCORD_LIMITS.authorName);
    total += title + description + footer + author;
    const fields = Array.isArray(e.fields) ? (e.fields as Array<Record<string, unknown>>) : [];
    check('fields', fields.length, DISCORD_LIMITS.embedFields);
    fields.forEach((f, j) => {
      const name = len(f.name);
      const value = len(f.value);
      if (name === 0 || value === 0) problems.push(`embeds[${i}].fields[${j}]: name and value must be non-empty`);
      check(`fields[${j}].name`, name, DISCORD_LIMITS.fieldName);
      check(`fields[${j}].value`, value, DISCORD_LIMITS.fieldValue);
      total += name + value;
    });
  });
  if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total: ${total} > ${DISCORD_LIMITS.embedsTotal}`);
  const rows = Array.isArray(b.components) ? (b.components as Array<Record<string, unknown>>) : [];
  if (rows.length > DISCORD_LIMITS.actionRows)
    problems.push(`components: ${rows.length} rows > ${DISCORD_LIMITS.actionRows}`);
  rows.forEach((row, i) => {
    const items = Array.isArray(row.components) ? (row.components as Array<Record<string, unknown>>) : [];
    if (items.length > DISCORD_LIMITS.componentsPerRow) problems.push(`components[${i}]: ${items.length} > 5`);
    for (const item of items) {
      if (typeof item.custom_id === 'string' && item.custom_id.length > DISCORD_LIMITS.customId)
        problems.push(`components[${i}] custom_id: ${item.custom_id.length} > ${DISCORD_LIMITS.customId}`);
      if (typeof item.label === 'string' && item.label.length > DISCORD_LIMITS.buttonLabel)
        problems.push(`components[${i}] label: ${item.label.length} > ${DISCORD_LIMITS.buttonLabel}`);
    }
  });
  const hasPayload = content.length > 0 || embeds.length > 0;
  if (hasPayload && !('allowed_mentions' in b)) problems.push('allowed_mentions missing');
  return problems;
}

/** Whether a message body has nothing to show (Discord refuses such a message). */
export function isEmptyMessage(body: unknown): boolean {
  const b = body as Record<string, unknown> | null;
  return (
    !b ||
    ((typeof b.content !== 'string' || b.content.length === 0) &&
      (!Array.isArray(b.embeds) || b.embeds.length === 0) &&
      (!Array.isArray(b.components) || b.components.length === 0))
  );
}

/** Pulls `payload_json` out of a multipart body (discord.js uses multipart only with files). */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return null;
  if (contentType?.startsWith('multipart/form-data')) {
    const match = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
    return match?.[1] ? JSON.parse(match[1]) : null;
  }
  return JSON.parse(raw);
}

/** Discord's limits on an autocomplete result (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure). */
export const CHOICE_LIMITS = { choices: 25, name: 100, value: 100 } as const;

/**
 * Checks the data of an autocomplete result (callback type 8): a `choices` array of at most
 * 25 `{ name, value }`, names 1-100 characters, string values 1-100 characters (or numbers).
 * Discord answers a violation 400 Invalid Form Body, and the user sees no suggestions.
 */
export function checkAutocompleteChoices(data: unknown): string[] {
  if (data === null || typeof data !== 'object') return ['data: an autocomplete result needs data.choices'];
  const choices = (data as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return ['data.choices: must be an array'];
  const problems: string[] = [];
  if (choices.length > CHOICE_LIMITS.choices)
    problems.push(`data.choices: ${choices.length} > ${CHOICE_LIMITS.choices}`);
  choices.forEach((c: unknown, i) => {
    const { name, value } = (c ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || name.length < 1 || name.length > CHOICE_LIMITS.name)
      problems.push(`data.choices[${i}].name: must be a string of 1-${CHOICE_LIMITS.name} characters`);
    const valueOk =
      (typeof value === 'string' && value.length >= 1 && value.length <= CHOICE_LIMITS.value) ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!valueOk)
      problems.push(`data.choices[${i}].value: must be a string of 1-${CHOICE_LIMITS.value} characters or a number`);
  });
  return problems;
}
