import { describe, expect, it } from 'vitest';
import { effectiveSettings, GuildSettingsSchema, parseSettingValue } from './schema.js';

describe('the languages setting', () => {
  it('normalises tags to lower-case primary subtags; "all" is every language', () => {
    expect(parseSettingValue('languages', 'FR, en-GB')).toEqual({ ok: true, value: ['fr', 'en'] });
    expect(parseSettingValue('languages', 'all')).toEqual({ ok: true, value: null });
    const bad = parseSettingValue('languages', 'fr english');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^languages: must be language tags/);
  });

  it('is kept per server and per channel, the channel winning', () => {
    const settings = GuildSettingsSchema.parse({
      guild: { languages: ['en'] },
      channels: { '12345678901234567': { languages: ['fr'] } },
    });
    const defaults = {
      mentionChannels: null,
      privateByDefault: false,
      answerInThread: false,
      sources: 3,
      cooldownSeconds: 0,
      collections: null,
      languages: null,
    };
    expect(effectiveSettings(defaults, settings, '12345678901234567').languages).toEqual(['fr']);
    expect(effectiveSettings(defaults, settings, '76543210987654321').languages).toEqual(['en']);
  });

  it('checks collection names by the rule core reads them with', () => {
    expect(parseSettingValue('collections', 'bbc, weather-desk')).toEqual({ ok: true, value: ['bbc', 'weather-desk'] });
    expect(parseSettingValue('collections', '@everyone').ok).toBe(false);
    expect(parseSettingValue('collections', 'x'.repeat(101)).ok).toBe(false);
  });
});
