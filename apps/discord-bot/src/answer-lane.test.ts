import { describe, expect, it } from 'vitest';
import { AnswerLane } from './answer-lane.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('AnswerLane', () => {
  it('runs jobs one at a time, first in first out, with concurrency 1', async () => {
    const lane = new AnswerLane(250, 1);
    const events: string[] = [];
    const job = (name: string, ticks: number) => async () => {
      events.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await tick();
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([lane.run(job('a', 3)), lane.run(job('b', 1)), lane.run(job('c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(lane.depth).toBe(0);
  });

  it('starts jobs in arrival order and never runs more than its concurrency at once', async () => {
    const lane = new AnswerLane(250, 3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      for (let t = 0; t < 1 + (i % 4); t++) await tick();
      running -= 1;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => lane.run(job(i))));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(started).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(most).toBe(3);
    expect(lane.depth).toBe(0);
  });

  it('lets I/O queued during a job run before the next job starts', async () => {
    const lane = new AnswerLane(250, 1);
    const events: string[] = [];
    const first = lane.run(async () => {
      setImmediate(() => events.push('io'));
      events.push('a');
    });
    const second = lane.run(async () => {
      events.push('b');
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['a', 'io', 'b']);
  });

  it('reports a failed job to its caller and keeps going', async () => {
    const lane = new AnswerLane(250, 1);
    const failed = lane.run(async () => {
      throw new Error('boom');
    });
    const next = lane.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('holds jobs while an acknowledgement is in flight, and starts them once it lands', async () => {
    const lane = new AnswerLane(60_000);
    const ack = deferred();
    const events: string[] = [];
    const acknowledged = lane.acknowledge(async () => {
      await ack.promise;
      events.push('acknowledged');
    });
    const job = lane.run(async () => {
      events.push('job');
    });
    for (let i = 0; i < 20; i++) await tick();
    expect(events).toEqual([]);
    ack.resolve();
    await Promise.all([acknowledged, job]);
    expect(events).toEqual(['acknowledged', 'job']);
  });

  it('does not wait for an acknowledgement longer than its bound', async () => {
    const lane = new AnswerLane(5);
    void lane.acknowledge(() => new Promise<void>(() => {})); // never lands
    await expect(lane.run(async () => 'ran')).resolves.toBe('ran');
  });
});
