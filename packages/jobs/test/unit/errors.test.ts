import {
  AIAPIError,
  ConflictError,
  DatabaseError,
  InvalidArgumentError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '@mentora/errors';
import { NonRetriableError, RetryAfterError } from 'inngest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_AFTER_SECONDS, errorCodeOf, toInngestError } from '../../src/index.js';

describe('toInngestError', () => {
  it('stops retries for input that stays wrong, keeping the original as cause', () => {
    for (const original of [
      new ValidationError('bad'),
      new NotFoundError('gone'),
      new InvalidArgumentError('bug'),
    ]) {
      const mapped = toInngestError(original) as NonRetriableError;
      expect(mapped).toBeInstanceOf(NonRetriableError);
      expect(mapped.cause).toBe(original);
    }
  });

  it('retries rate limits after their retry-after', () => {
    const rl = toInngestError(new RateLimitError(5, '1m', 42)) as RetryAfterError;
    expect(rl).toBeInstanceOf(RetryAfterError);
    expect(rl.retryAfter).toBe('42'); // seconds, as the retry-after header carries it
    const ai = toInngestError(
      new AIAPIError('openai', 'slow down', 429, { context: { retryAfter: 7 } }),
    ) as RetryAfterError;
    expect(ai.retryAfter).toBe('7');
    const aiDefault = toInngestError(new AIAPIError('openai', 'slow down', 429)) as RetryAfterError;
    expect(aiDefault.retryAfter).toBe(String(DEFAULT_RETRY_AFTER_SECONDS));
  });

  it('leaves retryable and unknown errors to the normal backoff', () => {
    for (const e of [
      new AIAPIError('openai', 'down', 503),
      new ConflictError(),
      new DatabaseError(),
      new Error('x'),
    ]) {
      expect(toInngestError(e)).toBe(e);
    }
  });

  it('finds the Mentora code through a serialized cause chain', () => {
    expect(
      errorCodeOf({ name: 'NonRetriableError', cause: { name: 'NotFoundError', code: 'NOT_FOUND' } }),
    ).toBe('NOT_FOUND');
    expect(errorCodeOf(new Error('plain'))).toBe('Error');
  });
});
