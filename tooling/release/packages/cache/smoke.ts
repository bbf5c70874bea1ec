// Smoke for @mentora/cache, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { CacheTTL, createCache, createMemoryStore } from '@mentora/cache';
import { CacheKeys } from '@mentora/cache/mentora';

const store = createMemoryStore();
const cache = createCache({ store, namespace: 'smoke' });
await cache.set(CacheKeys.video('v1'), { title: 'One' }, CacheTTL.SHORT);
assert.deepEqual(await cache.get(CacheKeys.video('v1')), { title: 'One' });
assert.equal(await cache.get('missing'), null);

// Concurrent callers of one key share one compute.
let computes = 0;
const compute = async () => {
  computes += 1;
  return { at: computes };
};
const results = await Promise.all([1, 2, 3].map(() => cache.getOrCompute('shared', compute, CacheTTL.SHORT)));
assert.equal(computes, 1);
assert.deepEqual(results, [{ at: 1 }, { at: 1 }, { at: 1 }]);

await cache.close();
await store.close();
console.log('cache smoke ok');
