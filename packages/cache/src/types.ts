/** What a store keeps for one entry: the codec's output, bytes (a Buffer in Node). */
export type CachePayload = Uint8Array;

/**
 * Receives one invalidation message (a string published by some cache), or `null` when messages may
 * have been lost (the subscriber connection dropped): the receiver must then forget everything it holds.
 */
export type InvalidationHandler = (message: string | null) => void;

/**
 * How caches tell each other what they invalidated, so each can drop its in-process (L1) copies. Required
 * only by a cache with `l1`. Delivery is asynchronous and at most once; `null` to a handler means "you may
 * have missed some".
 */
export interface InvalidationBus {
  publish(message: string): Promise<void>;
  /** Resolves, once subscribed, to an unsubscribe function. */
  subscribe(handler: InvalidationHandler): Promise<() => Promise<void>>;
}

/** Cross-process compute leases (`getOrCompute(…, { lease: true })`): SET NX PX and compare-and-delete. */
export interface CacheLocks {
  /** Resolves whether this token now holds the lock. */
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the lock only if this token still holds it. */
  release(key: string, token: string): Promise<void>;
}

/**
 * What a cache needs from its storage: keys and opaque payloads. Keys are full keys; `ttlMs` 0 means no
 * expiry; every multi-key method receives keys that share a Redis hash tag, so a Cluster runs it in one
 * slot. Availability failures reject with `ServiceUnavailableError`. Pub/sub and locks are not part of it:
 * a store may offer them (`bus`, `locks`), and a cache can take a bus from elsewhere.
 */
export interface CacheStore {
  /** 'memory', 'redis' or 'redis-cluster'. */
  readonly kind: string;
  /** Resolves once the store can serve (connected); bounded. */
  ready(): Promise<void>;
  get(key: string): Promise<CachePayload | null>;
  /** The payload of `key` and the version at `versionKey`, in one round trip. */
  getVersioned(
    key: string,
    versionKey: string,
  ): Promise<[value: CachePayload | null, version: string | null]>;
  set(key: string, value: CachePayload, ttlMs: number): Promise<void>;
  /**
   * Atomically reads the version at `versionKey` (absent = "0") and stores `${version}:${value}`.
   * When `expectedVersion` is given and differs, stores nothing and resolves false.
   */
  setVersioned(
    key: string,
    versionKey: string,
    value: CachePayload,
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
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Leases, when the store can hold them. */
  readonly locks?: CacheLocks;
  /** The store's own invalidation bus, which `createCache` uses when it is given none. */
  readonly bus?: InvalidationBus;
}
