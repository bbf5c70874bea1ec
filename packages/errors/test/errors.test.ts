import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AIAPIError,
  ConfigError,
  ConflictError,
  causeChain,
  DatabaseError,
  FeatureGateError,
  ForbiddenError,
  hasErrorKind,
  isMentoraError,
  isRetryable,
  MENTORA_ERROR_BRAND,
  MentoraError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  toMentoraError,
  UnauthorizedError,
  ValidationError,
} from '../src/index.js';

describe('MentoraError', () => {
  it('carries code, status, retryable, expose, context and a native cause', () => {
    const root = new Error('socket hang up');
    const err = new MentoraError<{ jobId: string }>('boom', {
      code: 'JOB_FAILED',
      status: 502,
      retryable: true,
      context: { jobId: 'j1' },
      cause: root,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('MentoraError');
    expect(err.code).toBe('JOB_FAILED');
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(true);
    expect(err.expose).toBe(false);
    expect(err.context.jobId).toBe('j1');
    expect(err.cause).toBe(root);
    expect(Object.hasOwn(err, 'cause')).toBe(true);
    expectTypeOf(err.context).toEqualTypeOf<{ jobId: string }>();
  });

  it('defaults: 500, INTERNAL_ERROR, not retryable, not exposed, no own cause', () => {
    const err = new MentoraError('x');
    expect([err.status, err.code, err.retryable, err.expose]).toEqual([500, 'INTERNAL_ERROR', false, false]);
    expect(Object.hasOwn(err, 'cause')).toBe(false);
    expect(err.context).toEqual({});
  });

  it('exposes 4xx messages by default and rejects out-of-range statuses', () => {
    expect(new MentoraError('x', { status: 418 }).expose).toBe(true);
    expect(new MentoraError('x', { status: 200 }).status).toBe(500);
    expect(new MentoraError('x', { status: 1.5 }).status).toBe(500);
  });

  it('brands instances with the kind chain (non-enumerable)', () => {
    const err = new FeatureGateError('quiz_generation', 'pro', 'basic');
    expect((err as unknown as Record<symbol, unknown>)[MENTORA_ERROR_BRAND]).toEqual([
      'FeatureGateError',
      'ForbiddenError',
      'MentoraError',
    ]);
    expect(Object.keys(err)).not.toContain(MENTORA_ERROR_BRAND);
    expect(err.kinds).toEqual(['FeatureGateError', 'ForbiddenError', 'MentoraError']);
    expect(MENTORA_ERROR_BRAND).toBe(Symbol.for('mentora.error'));
  });

  it('subclasses discriminate with instanceof', () => {
    const gate = new FeatureGateError('ai_chat', 'pro', 'basic');
    expect(gate instanceof FeatureGateError).toBe(true);
    expect(gate instanceof ForbiddenError).toBe(true);
    expect(gate instanceof MentoraError).toBe(true);
    expect(gate instanceof Error).toBe(true);
    expect(gate instanceof RateLimitError).toBe(false);
    expect(new ForbiddenError() instanceof FeatureGateError).toBe(false);
    expect(new MentoraError('x') instanceof NotFoundError).toBe(false);
    expect((null as unknown as object) instanceof MentoraError).toBe(false);
    expect(new Error('x') instanceof MentoraError).toBe(false);
  });

  it('a branded foreign object passes instanceof by its kind chain', () => {
    const foreign = Object.assign(new Error('from another build'), { code: 'NOT_FOUND', status: 404 });
    Object.defineProperty(foreign, Symbol.for('mentora.error'), { value: ['NotFoundError', 'MentoraError'] });
    expect(foreign instanceof NotFoundError).toBe(true);
    expect(foreign instanceof MentoraError).toBe(true);
    expect(foreign instanceof ConflictError).toBe(false);
    expect(isMentoraError(foreign)).toBe(true);
  });

  it('user subclasses: own kind joins the chain; without own kind, only the prototype check applies', () => {
    class PaymentError extends ConflictError {
      static override readonly kind = 'PaymentError';
      static override readonly defaultCode = 'PAYMENT_FAILED';
    }
    class Anonymous extends ConflictError {}
    const p = new PaymentError('card declined');
    expect(p.name).toBe('PaymentError');
    expect(p.code).toBe('PAYMENT_FAILED');
    expect(p.status).toBe(409);
    expect(p.kinds).toEqual(['PaymentError', 'ConflictError', 'MentoraError']);
    expect(p instanceof ConflictError).toBe(true);
    const a = new Anonymous();
    expect(a.name).toBe('Anonymous');
    expect(new ConflictError() instanceof Anonymous).toBe(false);
    expect(a instanceof Anonymous).toBe(true);
  });

  it('narrows types through instanceof', () => {
    const e: unknown = new RateLimitError(10, '1 m', 30);
    if (e instanceof RateLimitError) {
      expectTypeOf(e.retryAfter).toEqualTypeOf<number>();
      expect(e.retryAfter).toBe(30);
    } else {
      throw new Error('not narrowed');
    }
  });
});

describe('toJSON (what JSON.stringify and JSON loggers print)', () => {
  it('carries name, message, code, status, retryable, expose, context and the cause chain, no stack', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const err = new DatabaseError('query failed', { table: 'videos', at: new Date(0) }, { cause: root });
    const top = new RateLimitError(10, '1 m', 5, { cause: err });
    const json = JSON.parse(JSON.stringify({ err: top })).err;
    expect(json).toEqual({
      name: 'RateLimitError',
      message: top.message,
      code: 'RATE_LIMITED',
      status: 429,
      retryable: true,
      expose: true,
      context: { limit: 10, window: '1 m', retryAfter: 5 },
      cause: {
        name: 'DatabaseError',
        message: 'query failed',
        code: 'DATABASE_ERROR',
        status: 500,
        retryable: false,
        expose: false,
        context: { table: 'videos', at: '1970-01-01T00:00:00.000Z' },
        cause: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' },
      },
    });
    expect(JSON.stringify(top)).not.toContain('stack');
    expect(JSON.stringify(top)).not.toContain('    at ');
  });

  it('never throws: cyclic causes and contexts, bigint and non-error causes', () => {
    const a = new MentoraError('a') as MentoraError & { cause?: unknown };
    const ctx: Record<string, unknown> = { n: 10n };
    ctx.self = ctx;
    const b = new MentoraError('b', { cause: a, context: ctx });
    Object.defineProperty(a, 'cause', { value: b, configurable: true });
    const text = JSON.stringify(b);
    expect(text).toContain('[Circular]');
    expect(JSON.parse(text).context.n).toBe('10');
    expect(JSON.parse(JSON.stringify(new MentoraError('x', { cause: { reason: 'timeout' } }))).cause).toEqual(
      {
        reason: 'timeout',
      },
    );
  });
});

describe('the seeds’ classes', () => {
  it('DatabaseError(message, context)', () => {
    const e = new DatabaseError('Failed to fetch user', { userId: 'u1' }, { retryable: true, cause: 'x' });
    expect(e.context).toEqual({ userId: 'u1' });
    expect([e.status, e.code, e.retryable, e.expose]).toEqual([500, 'DATABASE_ERROR', true, false]);
    expect(new DatabaseError().retryable).toBe(false);
  });

  it('RateLimitError(limit, window, retryAfter)', () => {
    const e = new RateLimitError(10, '1 m', 12.2);
    expect([e.status, e.code, e.retryable, e.limit, e.window, e.retryAfter]).toEqual([
      429,
      'RATE_LIMITED',
      true,
      10,
      '1 m',
      13,
    ]);
    expect(e.message).toContain('10 requests per 1 m');
    const d = new RateLimitError(5, '1 h', new Date(Date.now() + 60_000));
    expect(d.retryAfter).toBeGreaterThanOrEqual(59);
    expect(d.retryAfter).toBeLessThanOrEqual(60);
    expect(new RateLimitError(5, '1 h', new Date(0)).retryAfter).toBe(0);
  });

  it('FeatureGateError(feature, requiredPlan, currentPlan)', () => {
    const e = new FeatureGateError('ai_chat', 'pro', 'basic');
    expect([e.status, e.code, e.feature, e.requiredPlan, e.currentPlan]).toEqual([
      403,
      'FEATURE_NOT_AVAILABLE',
      'ai_chat',
      'pro',
      'basic',
    ]);
    expect(e.message).toBe('The feature "ai_chat" requires the pro plan (current plan: basic)');
  });

  it('AIAPIError(provider, message, status) maps upstream statuses', () => {
    const timeout = new AIAPIError('Claude', 'API timeout', 504);
    expect([timeout.status, timeout.retryable, timeout.provider, timeout.upstreamStatus]).toEqual([
      504,
      true,
      'Claude',
      504,
    ]);
    expect(timeout.message).toBe('Claude: API timeout');
    expect(new AIAPIError('OpenAI', 'overloaded', 429).status).toBe(503);
    const bad = new AIAPIError('OpenAI', 'bad request', 400);
    expect([bad.status, bad.retryable]).toEqual([502, false]);
    expect(new AIAPIError('OpenAI', 'ECONNRESET').retryable).toBe(true);
  });

  it('the rest of the hierarchy has the right statuses and codes', () => {
    const cases: Array<[MentoraError, number, string, boolean]> = [
      [new ValidationError(), 400, 'VALIDATION_FAILED', false],
      [new UnauthorizedError(), 401, 'UNAUTHORIZED', false],
      [new ForbiddenError(), 403, 'FORBIDDEN', false],
      [new NotFoundError('Video not found', { resource: 'video', id: 'v1' }), 404, 'NOT_FOUND', false],
      [new ConflictError(), 409, 'CONFLICT', false],
      [new ConfigError(), 500, 'CONFIG_INVALID', false],
      [new ServiceUnavailableError(), 503, 'SERVICE_UNAVAILABLE', true],
    ];
    for (const [e, status, code, retryable] of cases) {
      expect([e.status, e.code, e.retryable]).toEqual([status, code, retryable]);
      expect(e.expose).toBe(status < 500);
    }
    expect(new NotFoundError('x', { resource: 'video', id: 'v1' }).context).toEqual({
      resource: 'video',
      id: 'v1',
    });
  });

  it('ValidationError normalises paths to JSON pointers', () => {
    const e = ValidationError.fromIssues([
      { message: 'Required', path: ['user', 'email'] },
      { message: 'Too small', path: [{ key: 'items' }, { key: 0 }], code: 'too_small' },
      { message: 'Bad', path: 'a.b/c' },
      { message: 'Root' },
    ]);
    expect(e.message).toBe('Invalid input: 4 problems');
    expect(e.issues).toEqual([
      { pointer: '#/user/email', detail: 'Required' },
      { pointer: '#/items/0', detail: 'Too small', code: 'too_small' },
      { pointer: '#/a/b~1c', detail: 'Bad' },
      { pointer: '#', detail: 'Root' },
    ]);
    expect(ValidationError.fromIssues([{ message: 'Required' }]).message).toBe('Invalid input: Required');
  });

  it('ConfigError lists issues', () => {
    const e = new ConfigError('2 problems', { issues: [{ variable: 'A', message: 'missing' }] });
    expect(e.issues).toEqual([{ variable: 'A', message: 'missing' }]);
  });
});

describe('helpers', () => {
  it('isRetryable', () => {
    expect(isRetryable(new ServiceUnavailableError())).toBe(true);
    expect(isRetryable(new ValidationError())).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(isRetryable('x')).toBe(false);
  });

  it('toMentoraError wraps unknowns and passes Mentora errors through', () => {
    const nf = new NotFoundError();
    expect(toMentoraError(nf)).toBe(nf);
    const raw = Object.assign(new Error('x'), { code: 'ETIMEDOUT' });
    const wrapped = toMentoraError(raw);
    expect(wrapped.status).toBe(500);
    expect(wrapped.cause).toBe(raw);
    expect(wrapped.retryable).toBe(true);
  });

  it('hasErrorKind and causeChain', () => {
    const a = new Error('a');
    const b = new DatabaseError('b', {}, { cause: a });
    const c = new MentoraError('c', { cause: b });
    expect(causeChain(c)).toEqual([c, b, a]);
    expect(hasErrorKind(b, 'DatabaseError')).toBe(true);
    expect(hasErrorKind(a, 'DatabaseError')).toBe(false);
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect(causeChain(loop)).toEqual([loop]);
  });
});
