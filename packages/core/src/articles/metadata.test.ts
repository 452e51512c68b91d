import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from './decode.js';
import { articleHash, canonicalMeta, findDateline, isTitleLine, normalizeDate, plainTextMeta } from './metadata.js';

describe('plainTextMeta', () => {
  it('takes a date marker and a title-like first line', () => {
    expect(plainTextMeta('date 2024-06-19 Putin lands in Pyongyang\n\nBody text follows here.')).toEqual({
      date: '2024-06-19',
      title: 'Putin lands in Pyongyang',
    });
    expect(plainTextMeta('Markets rally on rate cut hopes\n\nShares rose on Monday.')).toEqual({
      title: 'Markets rally on rate cut hopes',
    });
  });

  it('needs a blank line and more text after the title line', () => {
    expect(plainTextMeta('Markets rally on rate cut hopes\nShares rose on Monday.')).toEqual({});
    expect(plainTextMeta('Markets rally on rate cut hopes\n\n')).toEqual({});
  });

  it('takes a dateline near the top, never a date inside a sentence or past the first 1,500 characters', () => {
    expect(plainTextMeta('Some words here, then a line\n\nPosted on June 21, 2024\n\nText.').date).toBe('2024-06-21');
    expect(plainTextMeta('A post by someone (@user) 21 June 2024\n\nText.').date).toBe('2024-06-21');
    expect(plainTextMeta('The talks end on 31 December 2004 in Geneva.\n\nText.').date).toBeUndefined();
    expect(plainTextMeta(`${'Filler sentence here. '.repeat(80)}\nJune 21, 2024\n`).date).toBeUndefined();
    // "1 March" and "2000 GMT" on separate lines are not "1 March 2000".
    expect(plainTextMeta('Blackburn v Burnley\n\nTuesday, 1 March\n\n2000 GMT\n\nText.').date).toBeUndefined();
    expect(plainTextMeta('Nothing dated here, Covid-19 aside\n\nText.').date).toBeUndefined();
    expect(plainTextMeta('date 2024-02-30 Not a real day\n\nText.').date).toBeUndefined();
  });
});

describe('isTitleLine', () => {
  it('accepts headlines, refuses fragments and long lines', () => {
    for (const t of [
      'US duo in first spam conviction',
      'Kewell waits as injury drags on',
      'Rivals of the £400 Apple...',
      "Russian President's visit was his first to North Korea in 24 years.",
      '£1.8m fine for Viacom',
    ]) {
      expect(isTitleLine(t), t).toBe(true);
    }
    for (const t of [
      'Take a look below:',
      'He said that,',
      'The war and the',
      '- a list item',
      'Word',
      'x '.repeat(70),
    ]) {
      expect(isTitleLine(t), t).toBe(false);
    }
  });
});

describe('findDateline / normalizeDate', () => {
  it('normalises metadata dates', () => {
    expect(normalizeDate('2024-06-19')).toBe('2024-06-19');
    expect(normalizeDate('2024-06-19T23:30:00+02:00')).toBe('2024-06-19');
    expect(normalizeDate(new Date(Date.UTC(2024, 5, 19)))).toBe('2024-06-19');
    expect(normalizeDate('June 21, 2024')).toBe('2024-06-21');
    expect(normalizeDate('21 Jun 2024')).toBe('2024-06-21');
    expect(normalizeDate('2024-13-01')).toBeUndefined();
    expect(normalizeDate('yesterday')).toBeUndefined();
    expect(normalizeDate(20240619)).toBeUndefined();
  });

  it('finds the first dateline', () => {
    expect(findDateline('Intro text.\nUpdated: 2024-06-20\nMore')).toBe('2024-06-20');
    expect(findDateline('It ends on 2024-06-20 in theory.')).toBeUndefined();
  });
});

describe('canonicalMeta / articleHash', () => {
  it('is stable under key order and empty fields, and changes with text or metadata', () => {
    expect(canonicalMeta({ source: ' BBC ', title: 'T', url: '' })).toEqual({ title: 'T', source: 'BBC' });
    const h = articleHash('text', { title: 'T', source: 'BBC' });
    expect(articleHash('text', { source: 'BBC', title: 'T', author: '' })).toBe(h);
    expect(articleHash('text.', { title: 'T', source: 'BBC' })).not.toBe(h);
    expect(articleHash('text', { title: 'T2', source: 'BBC' })).not.toBe(h);
  });
});

describe('decodeText', () => {
  it('finds the first invalid UTF-8 byte', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(firstInvalidUtf8(enc('plain ascii and £ and 東京 and 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xe2, 0x82]))).toBe(1); // truncated sequence
    expect(firstInvalidUtf8(Uint8Array.from([0xc0, 0x80]))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(decodeText(Uint8Array.from([0x41, 0xe2, 0x82]))).toEqual({
      ok: false,
      reason: 'not valid UTF-8: byte 0xe2 at offset 1 (save the file as UTF-8)',
    });
  });

  it('refuses odd-length UTF-16 and known binary formats', () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x41]))).toMatchObject({ ok: false });
    expect(decodeText(Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).toEqual({
      ok: false,
      reason: 'binary content: looks like a PDF document',
    });
    expect(decodeText(new TextEncoder().encode('a\r\nb\rc'))).toEqual({ ok: true, text: 'a\nb\nc' });
  });
});
