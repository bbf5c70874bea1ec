// Smoke for @mentora/ratelimit, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { createStaticFeatureFlags } from '@mentora/config';
import { RateLimitError } from '@mentora/errors';
import { createMemoryStore, createRateLimiter, rateLimitHeaders } from '@mentora/ratelimit';

const store = createMemoryStore();
const limiter = createRateLimiter({ store, flags: createStaticFeatureFlags({ defaultPlan: 'basic' }) });

// basic: 5 video uploads per hour.
for (let i = 0; i < 5; i++)
  assert.equal((await limiter.checkRateLimit('user-1', 'videoUpload')).allowed, true);
const denied = await limiter.checkRateLimit('user-1', 'videoUpload');
assert.equal(denied.allowed, false);
assert.ok(denied.retryAfter > 0);
assert.equal(rateLimitHeaders(denied).get('retry-after'), String(denied.retryAfter));
await assert.rejects(limiter.enforceRateLimit('user-1', 'videoUpload'), RateLimitError);
// Another identity has its own budget.
assert.equal((await limiter.checkRateLimit('user-2', 'videoUpload')).allowed, true);

await limiter.close();
await store.close();
console.log('ratelimit smoke ok');
