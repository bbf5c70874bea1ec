// @mentora/cache/mentora: Mentora's own key families, TTLs, invalidation tags and operations, built on the
// core's generic parts (scoped keys, tags). Other products keep theirs in their own code the same way.
export { CacheInvalidator } from './invalidator.js';
export { CacheKeys, CacheKeyTTL, CacheTags } from './keys.js';
