import { MentoraError } from '@mentora/errors';
import { globToRegExp } from './glob.js';
import { stamp } from './layout.js';
import type { CacheLocks, CachePayload, CacheStore, InvalidationBus, InvalidationHandler } from './types.js';

export interface MemoryStoreOptions {
  /** Upper bound on live entries; the least recently used go first. Default 100,000. */
  maxEntries?: number;
  /** Clock, for tests of expiry. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  /** A payload (bytes), or what Redis would keep as a number or a token (versions, counters, leases). */
  value: CachePayload | string;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
}

/** What Redis would answer for a stored value: bytes, whatever was written. */
function bytes(value: CachePayload | string): CachePayload {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

function text(value: CachePayload | string): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString();
}

/**
 * An in-process store with Redis's semantics (the same contract suite runs against both). It is not
 * shared across processes: use it for development, single-process apps and tests. It has locks and an
 * in-process bus: caches that share one memory store see each other's invalidation messages, like caches
 * sharing one Redis.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const map = new Map<string, Entry>();
  const handlers = new Set<InvalidationHandler>();

  const live = (key: string): Entry | undefined => {
    const e = map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return e;
  };

  const write = (key: string, value: CachePayload | string, ttlMs: number): void => {
    map.delete(key); // re-insert at the young end
    map.set(key, { value, expiresAt: ttlMs > 0 ? now() + ttlMs : Number.POSITIVE_INFINITY });
    while (map.size > maxEntries) {
      const oldest = map.keys().next().value as string;
      map.delete(oldest);
    }
  };

  const incr = (key: string): { n: number; entry: Entry } => {
    const e = live(key);
    const current = e === undefined ? 0 : typeof e.value === 'string' ? Number(e.value) : Number.NaN;
    if (!Number.isSafeInteger(current)) {
      // Redis answers INCR on a non-integer with an error reply; the same answer here.
      throw new MentoraError(`Value at ${key} is not an integer`, { code: 'CACHE_NOT_AN_INTEGER' });
    }
    const n = current + 1;
    if (e === undefined) {
      const entry = { value: String(n), expiresAt: Number.POSITIVE_INFINITY };
      map.set(key, entry);
      return { n, entry };
    }
    e.value = String(n);
    return { n, entry: e };
  };

  const locks: CacheLocks = {
    async acquire(key, token, ttlMs) {
      if (live(key) !== undefined) return false;
      write(key, token, ttlMs);
      return true;
    },
    async release(key, token) {
      if (live(key)?.value === token) map.delete(key);
    },
  };

  const bus: InvalidationBus = {
    async publish(message) {
      // Delivered asynchronously, as Redis pub/sub is, so callers never depend on synchronous delivery.
      for (const h of handlers) queueMicrotask(() => h(message));
    },
    async subscribe(handler) {
      handlers.add(handler);
      return async () => {
        handlers.delete(handler);
      };
    },
  };

  const store: CacheStore = {
    locks,
    bus,
    kind: 'memory',
    async ready() {},
    async get(key) {
      const e = live(key);
      if (e === undefined) return null;
      map.delete(key);
      map.set(key, e);
      return bytes(e.value);
    },
    async getVersioned(key, versionKey) {
      const e = live(key);
      const v = live(versionKey);
      return [e === undefined ? null : bytes(e.value), v === undefined ? null : text(v.value)];
    },
    async set(key, value, ttlMs) {
      // A copy: the codec's output may be a view into a larger buffer that is reused.
      write(key, value.slice(), ttlMs);
    },
    async setVersioned(key, versionKey, value, ttlMs, expectedVersion) {
      const v = live(versionKey);
      const version = v === undefined ? '0' : text(v.value);
      if (expectedVersion !== null && expectedVersion !== version) return false;
      write(key, stamp(version, value), ttlMs);
      return true;
    },
    async bumpVersion(versionKey) {
      return String(incr(versionKey).n);
    },
    async delete(key) {
      const existed = live(key) !== undefined;
      map.delete(key);
      return existed;
    },
    async increment(key, windowMs) {
      const { n, entry } = incr(key);
      // Same rule as the Redis script: the window starts at the first increment and is never extended.
      if (n === 1 || entry.expiresAt === Number.POSITIVE_INFINITY) entry.expiresAt = now() + windowMs;
      return n;
    },
    async deletePattern(pattern) {
      const re = globToRegExp(pattern);
      let count = 0;
      for (const key of [...map.keys()]) {
        if (re.test(key) && live(key) !== undefined) {
          map.delete(key);
          count++;
        }
      }
      return count;
    },
    async pttl(key) {
      const e = live(key);
      if (e === undefined) return -2;
      return e.expiresAt === Number.POSITIVE_INFINITY ? -1 : Math.max(0, e.expiresAt - now());
    },
    async ping() {},
    async close() {
      map.clear();
      handlers.clear();
    },
  };
  return store;
}
