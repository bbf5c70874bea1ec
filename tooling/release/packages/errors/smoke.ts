// Smoke for @mentora/errors, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { NotFoundError, problemResponse, RateLimitError, ValidationError } from '@mentora/errors';

// A problem+json response as a route handler sends it.
const response = problemResponse(new RateLimitError(10, '1 m', 30), {
  instance: 'req_1',
  headers: { 'x-request-id': 'req_1' },
});
assert.equal(response.status, 429);
assert.equal(response.headers.get('content-type'), 'application/problem+json');
assert.equal(response.headers.get('retry-after'), '30');
assert.equal(response.headers.get('x-request-id'), 'req_1');
const body = (await response.json()) as Record<string, unknown>;
assert.equal(body.code, 'RATE_LIMITED');
assert.equal(body.instance, 'req_1');
assert.equal(body.retryAfter, 30);

// A 5xx never shows its message.
const hidden = (await problemResponse(new Error('password=hunter2 at /srv/app.js')).json()) as {
  detail: string;
};
assert.ok(!hidden.detail.includes('hunter2'));

// instanceof across the two builds: an error made by the CJS build is an instance of the ESM class.
const cjs = createRequire(import.meta.url)('@mentora/errors') as typeof import('@mentora/errors');
assert.ok(new cjs.NotFoundError('x') instanceof NotFoundError);
assert.ok(!(new cjs.NotFoundError('x') instanceof ValidationError));
console.log('errors smoke ok');
