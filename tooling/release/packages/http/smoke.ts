// Smoke for @mentora/http, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { createStaticFeatureFlags } from '@mentora/config';
import { ValidationError } from '@mentora/errors';
import { createWithInfrastructure, readJson } from '@mentora/http';
import { createLogger } from '@mentora/monitoring';
import { createMemoryStore, createRateLimiter } from '@mentora/ratelimit';

const logger = createLogger({ service: 'smoke', level: 'warn' });
const flags = createStaticFeatureFlags();
const store = createMemoryStore();
const rateLimiter = createRateLimiter({ store, flags, logger });
const withInfrastructure = createWithInfrastructure({ logger, flags, rateLimiter });

const GET = withInfrastructure((_request, ctx) => ({ plan: ctx.plan, requestId: ctx.requestId }), {
  rateLimit: { enabled: true, endpoint: 'api' },
});
const ok = await GET(new Request('http://localhost/api/ping'));
assert.equal(ok.status, 200);
const requestId = ok.headers.get('x-request-id');
assert.ok(requestId);
assert.deepEqual(await ok.json(), { plan: 'basic', requestId });
assert.ok(ok.headers.get('x-ratelimit-limit'));
assert.ok(ok.headers.get('x-ratelimit-remaining'));
assert.match(ok.headers.get('ratelimit') ?? '', /^"api";r=\d+;t=\d+$/);
assert.ok(ok.headers.get('ratelimit-policy'));

const POST = withInfrastructure(() => {
  throw new ValidationError('title is required', { issues: [{ path: 'title', message: 'required' }] });
});
const bad = await POST(new Request('http://localhost/api/videos', { method: 'POST' }));
assert.equal(bad.status, 400);
assert.equal(bad.headers.get('content-type'), 'application/problem+json');
const problem = (await bad.json()) as { status: number; code: string; errors: unknown[]; instance: string };
assert.equal(problem.status, 400);
assert.equal(problem.code, 'VALIDATION_FAILED');
assert.deepEqual(problem.errors, [{ pointer: '#/title', detail: 'required' }]);
assert.equal(problem.instance, bad.headers.get('x-request-id'));

const JSON_ROUTE = withInfrastructure(async (request) => readJson(request, undefined, { maxBytes: 16 }));
const tooLarge = await JSON_ROUTE(
  new Request('http://localhost/api/x', {
    method: 'POST',
    body: JSON.stringify({ text: 'x'.repeat(100) }),
    headers: { 'content-type': 'application/json' },
  }),
);
assert.equal(tooLarge.status, 413);

await rateLimiter.close();
await store.close();
await logger.close();
console.log('http smoke ok');
