import { describe, expect, it } from 'vitest';
import { NewsragError } from '../../errors.js';
import { encodeChunkRow } from './copy.js';
import { EF_PER_K, efSearchFor, MAX_EF_SEARCH, RECALL_CURVE } from './ef-search.js';
import { DEFAULT_SCHEMA, isPostgresUrl, parsePostgresLocation } from './location.js';
import { orQuery } from './snapshot.js';
import { filterCondition } from './sql-filter.js';

describe('Postgres index locations', () => {
  it('takes the schema out of the URL, defaulting it, and masks the password in messages', () => {
    const l = parsePostgresLocation('postgres://u:secret@db.example:5432/news?schema=bbc_2024&sslmode=require');
    expect(l.schema).toBe('bbc_2024');
    expect(l.connectionString).toBe('postgres://u:secret@db.example:5432/news?sslmode=require');
    expect(l.display).not.toContain('secret');
    expect(parsePostgresLocation('postgresql://localhost/db').schema).toBe(DEFAULT_SCHEMA);
    expect(isPostgresUrl('postgres://x/y')).toBe(true);
    expect(isPostgresUrl('./.newsrag')).toBe(false);
  });

  it('refuses a schema that is not a plain lower-case identifier (BAD_OPTIONS)', () => {
    for (const bad of ['News', 'a"b', '1abc', 'x;drop', 'a'.repeat(64)]) {
      const error = (() => {
        try {
          parsePostgresLocation(`postgres://localhost/db?schema=${encodeURIComponent(bad)}`);
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(NewsragError);
      expect((error as NewsragError).code).toBe('BAD_OPTIONS');
    }
  });
});

describe('dense search settings', () => {
  it('reads recall and ef_search from the URL and keeps them from the connection string', () => {
    const l = parsePostgresLocation('postgres://u:pw@h/db?schema=news&recall=0.98&ef_search=250&sslmode=require');
    expect(l.dense).toEqual({ recall: 0.98, efSearch: 250 });
    expect(l.connectionString).toBe('postgres://u:pw@h/db?sslmode=require');
    expect(parsePostgresLocation('postgres://h/db').dense).toEqual({});
  });

  it('refuses a recall outside (0, 1) or an ef_search outside pgvector range, naming the field, never the password', () => {
    for (const bad of ['recall=1', 'recall=0', 'recall=high', 'ef_search=0', 'ef_search=1001', 'ef_search=2.5']) {
      const error = (() => {
        try {
          parsePostgresLocation(`postgres://u:secret@h/db?${bad}`);
        } catch (e) {
          return e;
        }
      })() as NewsragError;
      expect(error, bad).toBeInstanceOf(NewsragError);
      expect(error.code).toBe('BAD_OPTIONS');
      expect(error.message).toContain(bad.split('=')[0] as string);
      expect(error.message).not.toContain('secret');
    }
  });

  it('ef_search grows with the recall wanted and with k, within [k, 1000]', () => {
    const recalls = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999];
    for (const k of [1, 10, 50, 200]) {
      const efs = recalls.map((r) => efSearchFor(r, k));
      for (let i = 1; i < efs.length; i++) expect(efs[i]).toBeGreaterThanOrEqual(efs[i - 1] as number);
      for (const ef of efs) {
        expect(ef).toBeGreaterThanOrEqual(k);
        expect(ef).toBeLessThanOrEqual(MAX_EF_SEARCH);
      }
    }
    expect(efSearchFor(0.95, 100)).toBeGreaterThan(efSearchFor(0.95, 10));
    // A measured point is met exactly: its recall asks for its ef_search (k small enough).
    const [ef, recall] = RECALL_CURVE[RECALL_CURVE.length - 1] as readonly [number, number];
    expect(efSearchFor(recall, 10)).toBe(ef);
    // Never fewer candidates than twice the rows asked.
    expect(efSearchFor(0.5, 80)).toBe(EF_PER_K * 80);
    expect(efSearchFor(0.9999, 500)).toBe(MAX_EF_SEARCH);
  });
});

describe('Postgres SQL pieces', () => {
  it('a filter restricting nothing is no condition; every given part is one AND term with its parameters', () => {
    expect(filterCondition(undefined, 1)).toBeNull();
    expect(filterCondition({}, 1)).toBeNull();
    const c = filterCondition({ sources: ['bbc'], languages: ['EN'], dateFrom: '2024-01-01' }, 3);
    expect(c?.sql).toBe(
      'a.source = ANY($3::text[]) AND (a.language IS NULL OR a.language = ANY($4::text[])) AND a.date IS NOT NULL AND a.date >= $5',
    );
    expect(c?.params).toEqual([['bbc'], ['en'], '2024-01-01']);
  });

  it('an OR query quotes lexemes so tsquery does not analyse or split them again', () => {
    expect(orQuery(['news', "o'brien", 'a\\b'])).toBe("'news' | 'o''brien' | 'a\\\\b'");
  });

  it('a chunk row is one binary COPY tuple: 11 fields, the vector as pgvector receives it, then the tsvector', () => {
    const b = encodeChunkRow({
      articleKey: 7,
      ordinal: 1,
      start: 2,
      end: 3,
      tokens: 4,
      textLen: 5,
      titleLen: 6,
      title: 'T',
      text: 'é',
      vector: new Float32Array([0.5, -1]),
      tsv: Buffer.from([1, 2, 3]),
    });
    expect(b.readInt16BE(0)).toBe(11);
    expect(b.readInt32BE(2)).toBe(8);
    expect(b.readBigInt64BE(6)).toBe(7n);
    // Six int4 fields, then title (1 byte), text (2 bytes of UTF-8), then the vector.
    let o = 14 + 6 * 8;
    expect(b.readInt32BE(o)).toBe(1);
    o += 4 + 1;
    expect(b.readInt32BE(o)).toBe(2);
    o += 4 + 2;
    expect(b.readInt32BE(o)).toBe(4 + 8);
    expect(b.readInt16BE(o + 4)).toBe(2);
    expect(b.readFloatBE(o + 8)).toBe(0.5);
    expect(b.readFloatBE(o + 12)).toBe(-1);
    expect(b.readInt32BE(o + 16)).toBe(3);
    expect([...b.subarray(o + 20)]).toEqual([1, 2, 3]);
    expect(b.length).toBe(o + 23);
  });
});
