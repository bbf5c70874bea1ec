/**
 * Receives one invalidation message (a string published by some cache), or `null` when messages may
 * have been lost (the subscriber connection dropped): the receiver must then forget everything it holds.
 */
export type InvalidationHandler = (message: string | null) => void;

/**
 * What a cache needs from its storage. Values are opaque strings (the codec's output); keys are full
 * keys. `ttlMs` 0 means no expiry. Every multi-key method receives keys that share a Redis hash tag,
 * so a Cluster runs it in one slot. Availability failures reject with `ServiceUnavailableError`.
 */
export interface CacheStore {
  /** 'memory', 'redis' or 'redis-cluster'. */
  readonly kind: string;
  /** Resolves once the store can serve (connected); bounded. */
  ready(): Promise<void>;
  get(key: string): Promise<string | null>;
  /** The value of `key` and of `versionKey` in one round trip. */
  getVersioned(key: string, versionKey: string): Promise<[value: string | null, version: string | null]>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Atomically reads the version at `versionKey` (absent = "0") and stores `${version}:${value}`.
   * When `expectedVersion` is given and differs, stores nothing and resolves false.
   */
  setVersioned(
    key: string,
    versionKey: string,
    value: string,
    ttlMs: number,
    expectedVersion: string | null,
  ): Promise<boolean>;
  /** Increments the version at `versionKey` (never expires); resolves the new version. */
  bumpVersion(versionKey: string): Promise<string>;
  /** Resolves whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** INCR; the first increment sets the window's expiry, later ones never extend it. */
  increment(key: string, windowMs: number): Promise<number>;
  /** Deletes every key matching a Redis glob (SCAN + batched UNLINK, never KEYS); resolves the count. */
  deletePattern(pattern: string): Promise<number>;
  /** Remaining time to live in ms: -2 missing, -1 no expiry (Redis PTTL semantics). */
  pttl(key: string): Promise<number>;
  /** SET NX PX: resolves whether this token now holds the lock. */
  acquireLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the lock only if this token still holds it. */
  releaseLock(key: string, token: string): Promise<void>;
  ping(): Promise<void>;
  publishInvalidation(message: string): Promise<void>;
  /** Subscribes to invalidation messages; resolves, once subscribed, to an unsubscribe function. */
  subscribeInvalidations(handler: InvalidationHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
