import { describe, expect, it } from 'vitest';
import { evidenceAnalyzer, indexAnalyzer } from './analyzers.js';

describe('terms', () => {
  it('joins inflections of one word and keeps numbers whole', () => {
    expect(evidenceAnalyzer.stem('gifts')).toBe(evidenceAnalyzer.stem('gifted'));
    expect(evidenceAnalyzer.stem('feeding')).toBe(evidenceAnalyzer.stem('feed'));
    expect(evidenceAnalyzer.stem('shared')).toBe(evidenceAnalyzer.stem('share'));
    expect(evidenceAnalyzer.stem('countries')).toBe(evidenceAnalyzer.stem('country'));
    expect(evidenceAnalyzer.stem('Putin’s'.toLowerCase().replace('’', "'"))).toBe('putin');
    expect(evidenceAnalyzer.tokenize('793,000 barrels; 77.6%').map((t) => t.stem)).toEqual([
      '793000',
      'barrel',
      '77.6',
    ]);
  });
  it('drops question scaffolding and punctuation', () => {
    expect(evidenceAnalyzer.contentStems('How many hours did Putin and Kim spend together?')).toEqual([
      'hour',
      'putin',
      'kim',
      'spend',
      'together',
    ]);
    expect(evidenceAnalyzer.lexicalQuery('What is the population of Vietnam?')).toBe('population Vietnam');
    expect(evidenceAnalyzer.contentStems('🤔❓!!')).toEqual([]);
  });
  it('keeps offsets into the original text', () => {
    const text = 'Kim’s “fiery friendship”';
    for (const t of evidenceAnalyzer.tokenize(text))
      expect(text.slice(t.start, t.end).toLowerCase().replace('’', "'")).toBe(t.word);
  });
});

// The index analyzer's output is stored in every BM25 index: these pin it (values from the
// code before it moved here), and tests/store's BM25 parity tests pin it across engines.
describe('indexAnalyzer', () => {
  it('keeps names whole and stems plurals only', () => {
    expect(indexAnalyzer.terms("Putin's companies and boxes: press, virus, analysis.")).toEqual([
      'putin',
      'company',
      'box',
      'press',
      'virus',
      'analysis',
    ]);
    expect(indexAnalyzer.terms('Café naïve São Paulo, 77.6% of 2 a I')).toEqual([
      'cafe',
      'naive',
      'sao',
      'paulo',
      '77',
      '6',
      '2',
    ]);
  });
  it('drops stop words and single letters, keeps single digits, strips punctuation', () => {
    expect(indexAnalyzer.normalizeTerm('the')).toBeNull();
    expect(indexAnalyzer.normalizeTerm('x')).toBeNull();
    expect(indexAnalyzer.normalizeTerm('7')).toBe('7');
    expect(indexAnalyzer.normalizeTerm('«Churches»')).toBe('church');
  });
  it('counts a field by its distinct raw tokens', () => {
    expect(indexAnalyzer.fieldLength("Putin's companies and boxes: press, virus, analysis.")).toBe(9);
    expect(indexAnalyzer.fieldLength('U.S. U.S. votes')).toBe(3);
  });
});

describe('evidenceAnalyzer and indexAnalyzer differ on purpose', () => {
  it('the evidence analyzer stems harder and keeps numbers whole', () => {
    expect(evidenceAnalyzer.stem('feeding')).toBe('feed');
    expect(indexAnalyzer.terms('feeding')).toEqual(['feeding']);
    expect(evidenceAnalyzer.tokenize('77.6').map((t) => t.stem)).toEqual(['77.6']);
    expect(evidenceAnalyzer.isStopWord('many')).toBe(true);
    expect(indexAnalyzer.normalizeTerm('many')).toBe('many');
  });
});
