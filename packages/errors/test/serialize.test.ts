import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DatabaseError,
  deserializeError,
  errorClassOfKind,
  errorToAPIResponse,
  FeatureGateError,
  ForbiddenError,
  getErrorStatusCode,
  isMentoraError,
  isRetryable,
  MentoraError,
  RateLimitError,
  registerErrorClass,
  type SerializedError,
  serializeError,
  ValidationError,
} from '../src/index.js';

/** What a job queue does: JSON across a process boundary. */
const roundTrip = (e: unknown) => deserializeError(JSON.parse(JSON.stringify(serializeError(e))));

describe('serializeError / deserializeError', () => {
  it('round-trips class, code, status, retryable, expose, context, message, stack and the cause chain', () => {
    const root = new TypeError('fetch failed');
    const mid = new DatabaseError(
      'query failed',
      { table: 'videos', at: new Date(0) },
      { cause: root, retryable: true },
    );
    const top = new RateLimitError(10, '1 m', 30, { cause: mid, context: { userId: 'u1' } });

    const back = roundTrip(top) as RateLimitError;
    expect(back).toBeInstanceOf(RateLimitError);
    expect(back).toBeInstanceOf(MentoraError);
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('RateLimitError');
    expect(back.message).toBe(top.message);
    expect(back.stack).toBe(top.stack);
    expect([back.code, back.status, back.retryable, back.expose]).toEqual(['RATE_LIMITED', 429, true, true]);
    expect(back.context).toEqual({ userId: 'u1', limit: 10, window: '1 m', retryAfter: 30 });
    expect(back.retryAfter).toBe(30);

    const backMid = back.cause as DatabaseError;
    expect(backMid).toBeInstanceOf(DatabaseError);
    expect(backMid.retryable).toBe(true);
    expect(backMid.context).toEqual({ table: 'videos', at: '1970-01-01T00:00:00.000Z' });
    expect(backMid.stack).toBe(mid.stack);

    const backRoot = backMid.cause as TypeError;
    expect(backRoot).toBeInstanceOf(TypeError);
    expect(backRoot.message).toBe('fetch failed');
    expect(backRoot.stack).toBe(root.stack);
    expect(isMentoraError(backRoot)).toBe(false);
  });

  it('keeps subclass relations (FeatureGateError is a ForbiddenError) and getters', () => {
    const back = roundTrip(new FeatureGateError('ai_chat', 'pro', 'basic')) as FeatureGateError;
    expect(back).toBeInstanceOf(FeatureGateError);
    expect(back).toBeInstanceOf(ForbiddenError);
    expect(back.requiredPlan).toBe('pro');
    const v = roundTrip(ValidationError.fromIssues([{ message: 'bad', path: ['a'] }])) as ValidationError;
    expect(v.issues).toEqual([{ pointer: '#/a', detail: 'bad' }]);
  });

  it('unknown class names become MentoraError with the name, code and status kept', () => {
    const rec: SerializedError = {
      name: 'StripeWebhookError',
      message: 'signature mismatch',
      kinds: ['StripeWebhookError', 'MentoraError'],
      code: 'WEBHOOK_INVALID',
      status: 400,
      retryable: false,
      expose: true,
      context: { provider: 'stripe' },
    };
    const back = deserializeError(rec) as MentoraError;
    expect(back).toBeInstanceOf(MentoraError);
    expect(back.constructor).toBe(MentoraError);
    expect(back.name).toBe('StripeWebhookError');
    expect([back.code, back.status, back.expose]).toEqual(['WEBHOOK_INVALID', 400, true]);
    expect(back.context).toEqual({ provider: 'stripe' });
  });

  it('an unregistered subclass comes back as its nearest registered ancestor', () => {
    class PaymentError extends ConflictError {
      static override readonly kind = 'PaymentError';
    }
    const back = roundTrip(new PaymentError('declined')) as ConflictError;
    expect(back).toBeInstanceOf(ConflictError);
    expect(back.name).toBe('PaymentError');
    expect(back).toBeInstanceOf(PaymentError); // brand chain kept
  });

  it('registered subclasses come back as themselves', () => {
    class QuotaError extends MentoraError {
      static override readonly kind = 'QuotaError';
      static override readonly defaultCode = 'QUOTA';
      static override readonly defaultStatus = 402;
    }
    registerErrorClass(QuotaError);
    const back = roundTrip(new QuotaError('over quota'));
    expect(back.constructor).toBe(QuotaError);
    expect((back as QuotaError).status).toBe(402);
    expect(() => registerErrorClass(class extends MentoraError {})).toThrow(/static `kind`/);
  });

  it('errors that were not Mentora errors stay foreign: same name, code, status, never trusted more', () => {
    const pg = Object.assign(new Error('duplicate key'), { name: 'PostgrestError', code: '23505' });
    const back = roundTrip(pg) as Error & { code?: string };
    expect(back).toBeInstanceOf(Error);
    expect(isMentoraError(back)).toBe(false);
    expect(back.name).toBe('PostgrestError');
    expect(back.code).toBe('23505');
    const sys = roundTrip(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    expect(sys.constructor).toBe(Error);
    expect((sys as Error & { code: string }).code).toBe('ECONNRESET');
    expect(roundTrip(new RangeError('r'))).toBeInstanceOf(RangeError);
  });

  it('a foreign error renders and retries the same after a round trip as before it', () => {
    const INTERNAL = 'upstream said: bad key sk_live_0123 at /srv/app/lib/pay.ts:42';
    const timeout = new DOMException('The operation timed out.', 'TimeoutError');
    const foreign = [
      // An HTTP client error with a 4xx status: before the trip it is an unknown error (500, generic).
      Object.assign(new Error(INTERNAL), { name: 'HTTPError', status: 400 }),
      Object.assign(new Error(INTERNAL), { name: 'HttpError', statusCode: 404 }),
      // Another library's "ValidationError" is not ours: it must not become a 400 showing its message.
      Object.assign(new Error(INTERNAL), { name: 'ValidationError' }),
      Object.assign(new Error(INTERNAL), { name: 'FetchError', code: 'ECONNRESET' }),
      timeout,
      Object.assign(new Error(INTERNAL), { name: 'PostgrestError', code: '23505' }),
    ];
    for (const original of foreign) {
      const back = roundTrip(original);
      expect(getErrorStatusCode(back)).toBe(getErrorStatusCode(original));
      expect(errorToAPIResponse(back, { instance: 'r1' })).toEqual(
        errorToAPIResponse(original, { instance: 'r1' }),
      );
      expect(JSON.stringify(errorToAPIResponse(back))).not.toContain('sk_live');
      expect(isRetryable(back)).toBe(isRetryable(original));
      // Also when it travels as the cause of a Mentora error.
      const wrapped = roundTrip(new DatabaseError('query failed', {}, { cause: original }));
      expect(getErrorStatusCode(wrapped.cause)).toBe(500);
      expect(errorToAPIResponse(wrapped.cause).detail).toBe('An unexpected error occurred.');
    }
    expect(isRetryable(roundTrip(timeout))).toBe(true);
  });

  it('handles non-error causes, non-error throws, cycles, bigint and AggregateError', () => {
    const withValue = roundTrip(new MentoraError('x', { cause: { reason: 'timeout', ms: 10n } }));
    expect(withValue.cause).toEqual({ reason: 'timeout', ms: '10' });

    const thrownString = roundTrip('plain string');
    expect(thrownString.message).toBe('plain string');

    const a = new MentoraError('a') as MentoraError & { cause?: unknown };
    const b = new MentoraError('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b, configurable: true });
    const ctx: Record<string, unknown> = {};
    ctx.self = ctx;
    const c = new MentoraError('c', { cause: b, context: ctx });
    const s = serializeError(c);
    expect(JSON.stringify(s)).toContain('Circular');
    expect(() => roundTrip(c)).not.toThrow();

    const agg = new AggregateError([new Error('one'), new DatabaseError('two')], 'many');
    const backAgg = roundTrip(agg) as AggregateError;
    expect(backAgg).toBeInstanceOf(AggregateError);
    expect(backAgg.errors[1]).toBeInstanceOf(DatabaseError);
  });

  it('can drop stacks and survives malformed input', () => {
    expect(serializeError(new Error('x'), { stack: false }).stack).toBeUndefined();
    const bad = deserializeError({ nope: true });
    expect(bad).toBeInstanceOf(MentoraError);
    const noStack = deserializeError({ name: 'NotFoundError', message: 'gone', kinds: ['NotFoundError'] });
    expect(noStack.stack).toBe('NotFoundError: gone');
    expect((noStack as MentoraError).status).toBe(404);
  });
});

describe('errorClassOfKind', () => {
  it('finds built-ins and registered subclasses by name, and nothing for other names', () => {
    expect(errorClassOfKind('RateLimitError')).toBe(RateLimitError);
    expect(errorClassOfKind('RateLimitError')?.defaultCode).toBe('RATE_LIMITED');
    class QuotaError extends RateLimitError {
      static override readonly kind = 'QuotaError';
    }
    registerErrorClass(QuotaError);
    expect(errorClassOfKind('QuotaError')).toBe(QuotaError);
    expect(errorClassOfKind('TypeError')).toBeUndefined();
  });
});
