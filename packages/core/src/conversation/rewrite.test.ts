import { describe, expect, it } from 'vitest';
import { followUpSearchOptions, leansOnContext, namesOf, rewriteFollowUp } from './rewrite.js';
import type { ConversationTurn } from './types.js';

const car: ConversationTurn = { question: 'What car did Putin give Kim?', citedArticleIds: ['a', 'b'] };

describe('namesOf', () => {
  it('finds capitalised names and runs of them, not the question word', () => {
    expect(namesOf('What did North Korea send to Russia?')).toEqual(['North Korea', 'Russia']);
    expect(namesOf('Where did Kim and Putin meet?')).toEqual(['Kim', 'Putin']);
    expect(namesOf('how many dogs?')).toEqual([]);
  });
});

describe('leansOnContext', () => {
  const known = new Set(['putin', 'kim', 'car']);
  it('pronouns, "and …" and short questions lean on context', () => {
    expect(leansOnContext('What did he give in return?', known)).toBe(true);
    expect(leansOnContext('and in 2023?', known)).toBe(true);
    expect(leansOnContext('Where?', known)).toBe(true);
  });
  it('a question with a new name and no anaphor, or enough words of its own, stands alone', () => {
    expect(leansOnContext('What is the population of Vietnam?', known)).toBe(false);
    expect(leansOnContext('How many portraits of the leader were hung around the capital city?', known)).toBe(false);
  });
});

describe('rewriteFollowUp', () => {
  it('without turns, the question stands alone', () => {
    const f = rewriteFollowUp([], 'What car did Putin give Kim?');
    expect(f).toMatchObject({
      query: 'What car did Putin give Kim?',
      contextFrom: null,
      carried: [],
      preferArticleIds: [],
    });
  });

  it('resolves a pronoun follow-up against the previous question and prefers its cited articles', () => {
    const f = rewriteFollowUp([car], 'What did Kim give him in return?');
    expect(f.contextFrom).toEqual({ turn: 0, question: car.question });
    expect(f.carried).toEqual(['Putin', 'car']);
    expect(f.query).toBe('What did Kim give him in return? Putin car');
    expect(f.preferArticleIds).toEqual(['a', 'b']);
  });

  it('an elliptical "and in 2023?" carries the subject but not the earlier date range', () => {
    const turns: ConversationTurn[] = [
      {
        question: 'What did Putin promise Kim?',
        citedArticleIds: ['c'],
        timeFrame: { dateFrom: '2024-01-01', dateTo: '2024-12-31' },
      },
    ];
    const f = rewriteFollowUp(turns, 'and in 2023?');
    expect(f.query).toBe('and in 2023? Putin Kim promise');
    expect(f.timeFrame).toBeUndefined();
    const g = rewriteFollowUp(turns, 'What did he give in return?');
    expect(g.timeFrame).toEqual({ dateFrom: '2024-01-01', dateTo: '2024-12-31' });
  });

  it('takes context from the newest turn sharing a word, and says which', () => {
    const turns: ConversationTurn[] = [
      car,
      { question: 'When did Xi Jinping visit Pyongyang?', citedArticleIds: ['a'] },
      { question: 'Who signed the pact?', citedArticleIds: ['b'] },
    ];
    const f = rewriteFollowUp(turns, 'What did Xi say there?');
    expect(f.contextFrom?.turn).toBe(1);
    expect(rewriteFollowUp(turns, 'What breed were the dogs there?').contextFrom?.turn).toBe(2);
    const g = rewriteFollowUp(turns, 'When was that?');
    expect(g.contextFrom).toEqual({ turn: 2, question: 'Who signed the pact?' });
    expect(g.query).toBe('When was that? signed pact');
  });

  it('a chain keeps its subject through the rewritten queries, within the carried-word bound', () => {
    let turns: ConversationTurn[] = [car];
    for (const q of ['What did Kim give him in return?', 'When did he first give him one?', 'Is he a fan of them?']) {
      const f = rewriteFollowUp(turns, q);
      expect(f.carried.length).toBeLessThanOrEqual(5);
      turns = [...turns, { question: q, query: f.query, citedArticleIds: ['a'] }];
    }
    expect(turns.at(-1)?.query).toMatch(/Putin/);
    expect(turns.at(-1)?.query).toMatch(/Kim/);
  });

  it('a new topic in a thread starts afresh', () => {
    const f = rewriteFollowUp([car], 'What is the population of Vietnam?');
    expect(f.contextFrom).toBeNull();
    expect(f.query).toBe('What is the population of Vietnam?');
  });
});

describe('followUpSearchOptions', () => {
  it('adds the preferred articles and the carried range, but never overrides a range the caller set', () => {
    const f = rewriteFollowUp(
      [{ question: 'What did Putin promise?', citedArticleIds: ['x'], timeFrame: { dateFrom: '2024-01-01' } }],
      'What did he give?',
    );
    expect(followUpSearchOptions(f, { k: 3 })).toEqual({
      k: 3,
      preferArticles: ['x'],
      filter: { dateFrom: '2024-01-01' },
    });
    expect(followUpSearchOptions(f, { filter: { dateTo: '2023-12-31' } }).filter).toEqual({ dateTo: '2023-12-31' });
  });
});
