import { describe, expect, it } from 'vitest';
import {
  AIAPIError,
  ConfigError,
  DatabaseError,
  errorToAPIResponse,
  FeatureGateError,
  getErrorStatusCode,
  MentoraError,
  NotFoundError,
  problemResponse,
  RateLimitError,
  ServiceUnavailableError,
  ValidationError,
} from '../src/index.js';

const SECRETISH = 'SELECT * FROM users WHERE password = $1 at /srv/app/lib/db.ts:42';

describe('getErrorStatusCode', () => {
  it('maps Mentora errors to their status and anything else to 500', () => {
    expect(getErrorStatusCode(new NotFoundError())).toBe(404);
    expect(getErrorStatusCode(new RateLimitError(1, '1 m', 1))).toBe(429);
    expect(getErrorStatusCode(new Error('x'))).toBe(500);
    expect(getErrorStatusCode(Object.assign(new Error('x'), { status: 404 }))).toBe(500);
    expect(getErrorStatusCode('str')).toBe(500);
    expect(getErrorStatusCode(undefined)).toBe(500);
  });
});

describe('errorToAPIResponse (RFC 9457)', () => {
  it('renders a 4xx with its message, code, type, title and instance', () => {
    const body = errorToAPIResponse(new NotFoundError('Video v1 not found'), { instance: 'req_123' });
    expect(body).toEqual({
      type: 'urn:mentora:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'Video v1 not found',
      instance: 'req_123',
      code: 'NOT_FOUND',
    });
  });

  it('joins typeBaseUri with a slash when needed', () => {
    expect(
      errorToAPIResponse(new NotFoundError(), { typeBaseUri: 'https://docs.example/problems' }).type,
    ).toBe('https://docs.example/problems/not-found');
    expect(errorToAPIResponse(new NotFoundError(), { typeBaseUri: 'https://docs.example/p/' }).type).toBe(
      'https://docs.example/p/not-found',
    );
  });

  it('omits instance when not given', () => {
    expect('instance' in errorToAPIResponse(new NotFoundError())).toBe(false);
  });

  it('429 carries retryAfter, limit and window', () => {
    const body = errorToAPIResponse(new RateLimitError(10, '1 m', 42));
    expect(body).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfter: 42,
      limit: 10,
      window: '1 m',
    });
    expect(body.title).toBe('Too many requests');
  });

  it('validation errors carry the errors list', () => {
    const body = errorToAPIResponse(
      ValidationError.fromIssues([{ message: 'must be a positive integer', path: ['age'] }]),
    );
    expect(body.errors).toEqual([{ pointer: '#/age', detail: 'must be a positive integer' }]);
    expect(body.status).toBe(400);
  });

  it('feature gates carry feature and plans', () => {
    const body = errorToAPIResponse(new FeatureGateError('quiz_generation', 'pro', 'basic'));
    expect(body).toMatchObject({
      status: 403,
      feature: 'quiz_generation',
      requiredPlan: 'pro',
      currentPlan: 'basic',
    });
  });

  it('unknown errors are a 500 with a generic detail and nothing internal', () => {
    const err = new Error(SECRETISH);
    const body = errorToAPIResponse(err, { instance: 'r1' });
    expect(body).toEqual({
      type: 'urn:mentora:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: 'r1',
      code: 'INTERNAL_ERROR',
    });
    for (const thrown of ['a string with /etc/passwd', { message: SECRETISH }, null, 42]) {
      const b = errorToAPIResponse(thrown);
      expect(b.status).toBe(500);
      expect(JSON.stringify(b)).not.toContain('passwd');
      expect(JSON.stringify(b)).not.toContain('SELECT');
    }
  });

  it('a Mentora 5xx never carries its message, context, stack or cause', () => {
    const errs = [
      new DatabaseError(SECRETISH, { sql: SECRETISH }, { cause: new Error(SECRETISH) }),
      new ConfigError(SECRETISH, { issues: [{ variable: 'X', message: SECRETISH }] }),
      new AIAPIError('Claude', SECRETISH, 500),
      new MentoraError(SECRETISH, { status: 500, context: { path: '/srv/app' } }),
      new ServiceUnavailableError(SECRETISH, { service: 'redis', retryAfter: 5 }),
    ];
    for (const e of errs) {
      const json = JSON.stringify(errorToAPIResponse(e));
      expect(json).not.toContain('SELECT');
      expect(json).not.toContain('/srv/app');
      expect(json).not.toContain('redis');
      expect(json).not.toContain('db.ts');
    }
    expect(errorToAPIResponse(errs[0]).detail).toBe('An unexpected error occurred.');
    expect(errorToAPIResponse(errs[2]).detail).toBe('An upstream service failed. Please try again later.');
    expect(errorToAPIResponse(errs[4])).toMatchObject({ status: 503, retryAfter: 5 });
  });

  it('a 5xx shows its message only with expose: true', () => {
    const e = new ServiceUnavailableError('Maintenance until 10:00 UTC', { expose: true });
    expect(errorToAPIResponse(e).detail).toBe('Maintenance until 10:00 UTC');
  });

  it('a 4xx with expose: false gets a generic detail and no extensions', () => {
    const e = ValidationError.fromIssues([{ message: 'internal rule 7' }], 'secret reason', {
      expose: false,
    });
    const body = errorToAPIResponse(e);
    expect(body.detail).toBe('The request could not be processed.');
    expect(body.errors).toBeUndefined();
  });

  it('a throwing or hostile problemExtensions cannot break rendering or override members', () => {
    class Weird extends MentoraError {
      static override readonly kind = 'Weird';
      static override readonly defaultStatus = 400;
      override problemExtensions() {
        return { status: 200, code: 'X', type: 'evil', fn: () => 1, ok: 1 };
      }
    }
    class Throws extends MentoraError {
      static override readonly kind = 'Throws';
      static override readonly defaultStatus = 400;
      override problemExtensions(): Record<string, unknown> {
        throw new Error('nope');
      }
    }
    const body = errorToAPIResponse(new Weird('w'));
    expect(body.status).toBe(400);
    expect(body.type).toBe('urn:mentora:problem:internal-error');
    expect(body.ok).toBe(1);
    expect('fn' in body).toBe(false);
    expect(errorToAPIResponse(new Throws('t')).detail).toBe('t');
  });

  it('uses the status phrase as title when a status differs from the class default', () => {
    expect(errorToAPIResponse(new MentoraError('teapot', { status: 418 })).title).toBe('Client Error');
    expect(errorToAPIResponse(new MentoraError('gone', { status: 410 })).title).toBe('Gone');
  });
});

describe('problemResponse', () => {
  it('returns a Fetch Response with problem+json and Retry-After for 429', async () => {
    const res = problemResponse(new RateLimitError(10, '1 m', 30), {
      instance: 'req_1',
      headers: { 'x-request-id': 'req_1' },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBe('req_1');
    expect(await res.json()).toMatchObject({ status: 429, instance: 'req_1', retryAfter: 30 });
  });

  it('takes extra headers as a Headers, a Map, pairs or a plain object', () => {
    const forms = [
      new Headers({ 'x-request-id': 'req_2' }),
      new Map([['x-request-id', 'req_2']]),
      [['x-request-id', 'req_2']] as [string, string][],
      { 'x-request-id': 'req_2' },
    ];
    for (const headers of forms) {
      const res = problemResponse(new NotFoundError('gone'), { headers });
      expect(res.headers.get('x-request-id')).toBe('req_2');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('sets Retry-After for 503 when known and not otherwise', async () => {
    expect(
      problemResponse(new ServiceUnavailableError('x', { retryAfter: 7 })).headers.get('retry-after'),
    ).toBe('7');
    expect(problemResponse(new ServiceUnavailableError()).headers.get('retry-after')).toBeNull();
    const res = problemResponse(new Error('internal /srv/path'));
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.text()).not.toContain('/srv/path');
  });
});
