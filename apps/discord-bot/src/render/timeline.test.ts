import type { Timeline } from '@newsrag/core';
import { describe, expect, it } from 'vitest';
import { renderTimeline } from './timeline.js';

const t: Timeline = {
  topic: 'Putin and Kim',
  events: [
    {
      date: '2000',
      precision: 'year',
      text: 'His first visit since 2000.',
      citations: [{ articleId: 'b', start: 0, end: 27 }],
    },
    {
      date: '2024-06-19',
      precision: 'day',
      text: 'Putin *arrived* early Wednesday.',
      citations: [
        { articleId: 'a', start: 5, end: 37 },
        { articleId: 'b', start: 40, end: 70 },
      ],
    },
  ],
  undated: [
    { expressions: ['Sunday'], text: 'Kim left on Sunday.', citations: [{ articleId: 'c', start: 0, end: 19 }] },
  ],
};

describe('renderTimeline', () => {
  it('lists events oldest first with people-readable dates, the articles reporting each, undated apart', () => {
    const [embed] = renderTimeline(t).embeds;
    expect(embed?.title).toBe('Timeline: Putin and Kim');
    expect(embed?.description?.split('\n')).toEqual([
      '**2000** — His first visit since 2000. (`b`)',
      '**19 June 2024** — Putin \\*arrived\\* early Wednesday. (`a`, `b`)',
    ]);
    expect(embed?.fields?.[0]?.value).toBe('• Kim left on Sunday. (`c`)');
  });
  it('says so when there is no dated event', () => {
    const [embed] = renderTimeline({ topic: 'x', events: [], undated: [] }).embeds;
    expect(embed?.description).toMatch(/No dated events/);
    expect(embed?.fields).toEqual([]);
  });
});
