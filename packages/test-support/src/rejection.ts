import { EmbedError } from '@newsrag/embed';
import { expect } from 'vitest';

/** The `EmbedError` a promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<EmbedError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EmbedError);
    return error as EmbedError;
  }
  throw new Error('expected the promise to reject');
}
