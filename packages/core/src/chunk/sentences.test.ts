import { readFileSync } from 'node:fs';
import { SEED_ARTICLES } from '@newsrag/test-support';
import { describe, expect, it } from 'vitest';
import { isHardWrapped, splitParagraphs, splitSentences } from './sentences.js';

const SEEDS = SEED_ARTICLES;
const seed = (name: string) => readFileSync(`${SEEDS}/${name}.txt`, 'utf8');
const sentences = (text: string, from?: number, to?: number) =>
  splitSentences(text, from, to).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('keeps abbreviations inside their sentence', () => {
    expect(
      sentences(
        'U.S. officials said it. Mr. Smith and Dr. Jones met in Jan. 2024 at No. 10 Downing Street. They left.',
      ),
    ).toEqual([
      'U.S. officials said it.',
      'Mr. Smith and Dr. Jones met in Jan. 2024 at No. 10 Downing Street.',
      'They left.',
    ]);
    expect(sentences('It happened on Jan. 5 at 3 p.m. in Washington. Prof. Brown and Gen. Lee agreed.')).toEqual([
      'It happened on Jan. 5 at 3 p.m. in Washington.',
      'Prof. Brown and Gen. Lee agreed.',
    ]);
  });

  it('still ends a sentence at "No." when no number follows', () => {
    expect(sentences('The deal was signed at No. 10 Downing Street. No. It was not.')).toEqual([
      'The deal was signed at No. 10 Downing Street.',
      'No.',
      'It was not.',
    ]);
  });

  it('handles quotes: a quoted clause before "said", and a sentence ending inside quotes', () => {
    expect(sentences('“It provides for mutual assistance,” said Putin. Kim agreed.')).toEqual([
      '“It provides for mutual assistance,” said Putin.',
      'Kim agreed.',
    ]);
    expect(sentences('The Kremlin said “no agreement was signed.” Kim left on Sunday.')).toEqual([
      'The Kremlin said “no agreement was signed.”',
      'Kim left on Sunday.',
    ]);
    expect(sentences('He said: "We will win." "We will not," she replied.')).toEqual([
      'He said: "We will win."',
      '"We will not," she replied.',
    ]);
  });

  it('does not break numbers, percentages, money or initials', () => {
    expect(
      sentences('Inflation hit 3.5% in the U.S. and the U.K. last year. Profits reached $1.2bn, or 5 million more.'),
    ).toEqual(['Inflation hit 3.5% in the U.S. and the U.K. last year.', 'Profits reached $1.2bn, or 5 million more.']);
    expect(sentences('Author J. K. Rowling and George W. Bush met. They talked.')).toEqual([
      'Author J. K. Rowling and George W. Bush met.',
      'They talked.',
    ]);
  });

  it('joins a lower-case continuation after an ellipsis, splits after a final one', () => {
    expect(sentences('Prices rose... and then fell. Then they rose again… Nobody knew why.')).toEqual([
      'Prices rose... and then fell.',
      'Then they rose again…',
      'Nobody knew why.',
    ]);
  });

  it('never crosses a paragraph break: blank lines, and single newlines in line-per-paragraph text', () => {
    const text = 'Take a look below:\n\nPutin waved goodbye\nKim waved back. Both smiled.\n  \n  Last one.  ';
    expect(sentences(text)).toEqual([
      'Take a look below:',
      'Putin waved goodbye',
      'Kim waved back.',
      'Both smiled.',
      'Last one.',
    ]);
  });

  it('treats single newlines of hard-wrapped prose as spaces', () => {
    const text = [
      'The meeting between the two leaders was held at the Vostochny space',
      'base in eastern Russia, about eight thousand kilometres from Moscow. The',
      'two men toured the launch pads and discussed satellites for an hour',
      'before lunch, officials said.',
      '',
      'Putin spoke about prospects for military cooperation between the two',
      'countries, despite international sanctions.',
    ].join('\n');
    expect(isHardWrapped(text)).toBe(true);
    expect(sentences(text)).toEqual([
      'The meeting between the two leaders was held at the Vostochny space\nbase in eastern Russia, about eight thousand kilometres from Moscow.',
      'The\ntwo men toured the launch pads and discussed satellites for an hour\nbefore lunch, officials said.',
      'Putin spoke about prospects for military cooperation between the two\ncountries, despite international sanctions.',
    ]);
  });

  it('returns trimmed offsets into the text, limited to [from, to)', () => {
    const text = '  First one.   Second one.  \n\n Third one. ';
    const spans = splitSentences(text);
    expect(spans).toEqual([
      { start: 2, end: 12 },
      { start: 15, end: 26 },
      { start: 31, end: 41 },
    ]);
    expect(sentences(text, 13, 40)).toEqual(['Second one.', 'Third one']);
    expect(splitSentences(text, 28, 31)).toEqual([]);
    expect(splitSentences('')).toEqual([]);
  });

  it('splits the seed articles into their sentences', () => {
    const a = seed('000_0b4336e44a9e5dd7');
    const s0 = sentences(a);
    expect(s0).toHaveLength(20);
    expect(s0[0]).toBe("Russian President's visit was his first to North Korea in 24 years.");
    expect(s0).toContain('"Putin and Kim Jong Un emotional goodbye," an X user wrote while sharing the clip.');
    expect(s0).toContain('Take a look below:');
    expect(s0).toContain(
      'In return, the North Korean leader gave the Russian President a pair of Pungsan dogs, a local breed.',
    );

    const b = seed('001_f936b67f468a0892');
    const s1 = sentences(b);
    expect(s1).toHaveLength(31);
    expect(s1).toContain('The Russian president said the “breakthrough document” raised relations “to a new level” .');
    expect(s1).toContain('The 71-year-old looked weary listening to translations during the talks.');

    const c = seed('002_f0f8caaea104d497');
    const s2 = sentences(c);
    expect(s2).toHaveLength(14);
    expect(s2).toContain('The North Korean leader wished “Russia prosperity and its people well-being.”');
    expect(s2).toContain('He added that he was “very happy” to meet Kim.');

    for (const text of [a, b, c]) {
      for (const span of splitSentences(text)) {
        const s = text.slice(span.start, span.end);
        expect(s).toBe(s.trim());
        expect(s).not.toMatch(/\n\s*\n/);
      }
    }
  });
});

describe('splitParagraphs', () => {
  it('gives trimmed paragraph spans', () => {
    const text = 'One.\n\nTwo a. Two b.\nThree.\n';
    expect(splitParagraphs(text).map((p) => text.slice(p.start, p.end))).toEqual(['One.', 'Two a. Two b.', 'Three.']);
  });
});
