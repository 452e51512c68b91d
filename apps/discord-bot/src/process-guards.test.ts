import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log.js';
import { FATAL_CLEANUP_MS, FATAL_EXIT_CODE, installProcessGuards } from './process-guards.js';

const quiet = createLogger({ sink: () => {} });
let remove: (() => void) | undefined;
afterEach(() => {
  remove?.();
  vi.useRealTimers();
});

describe('installProcessGuards', () => {
  it('closes what the cleanup closes before it exits with code 70 after an uncaught exception', async () => {
    const order: string[] = [];
    let exited: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => {
      exited = resolve;
    });
    remove = installProcessGuards(
      quiet,
      (code) => {
        order.push(`exit ${code}`);
        exited(code);
      },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('cleaned up');
      },
    );
    process.emit('uncaughtException', new Error('boom'));
    process.emit('uncaughtException', new Error('again')); // a second throw does not exit twice
    expect(await exit).toBe(FATAL_EXIT_CODE);
    expect(order).toEqual(['cleaned up', `exit ${FATAL_EXIT_CODE}`]);
  });

  it('exits anyway when the cleanup hangs past its deadline', async () => {
    vi.useFakeTimers();
    const codes: number[] = [];
    remove = installProcessGuards(
      quiet,
      (code) => codes.push(code),
      () => new Promise(() => {}),
    );
    process.emit('uncaughtException', new Error('boom'));
    await vi.advanceTimersByTimeAsync(FATAL_CLEANUP_MS - 1);
    expect(codes).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(codes).toEqual([FATAL_EXIT_CODE]);
  });
});
