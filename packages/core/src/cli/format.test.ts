import { describe, expect, it } from 'vitest';
import { formatSummary } from './format.js';

describe('the index summary printed by `newsrag index`', () => {
  it('says "skipped" only for articles left out, "warning" for ones indexed anyway, naming each file once', () => {
    const text = formatSummary({
      added: 2,
      updated: 0,
      removed: 0,
      unchanged: 0,
      chunksEmbedded: 4,
      seconds: 1.5,
      issues: [
        {
          code: 'ARTICLE_DUPLICATE',
          path: '/a/copy.txt',
          message: '/a/copy.txt: same text as article "orig" (/a/orig.txt); both are indexed',
          indexed: true,
        },
        { code: 'ARTICLE_EMPTY', path: '/a/empty.txt', message: 'the file holds no text' },
      ],
      unreadableFolders: [],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Indexed: 2 added, 0 updated, 0 removed, 0 unchanged; 4 chunks embedded in 1.5 s.');
    expect(lines[1]).toBe('  warning /a/copy.txt: same text as article "orig" (/a/orig.txt); both are indexed');
    expect(lines[2]).toBe('  skipped /a/empty.txt: the file holds no text');
  });
});
