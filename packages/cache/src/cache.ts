import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, ServiceUnavailableError } from '@mentora/errors';
import { createDefaultLogger, createLogThrottle, type Logger, type LogThrottle } from '@mentora/monitoring';
import { type CacheCodec, createJsonCodec } from './codec.js';
import { globToRegExp } from './glob.js';
import { escapeGlob, tagOfKey } from './keys.js';
import { L1Cache } from './l1.js';
import {
  type CacheStatisticsRow,
  type CacheStats,
  type CacheStatsSink,
  Counters,
  StatsFlusher,
  snapshot,
} from './stats.js';
import { CacheTTL, ttlSecondsToMs } from './ttl.js';
import type { CacheStore } from './types.js';

export interface L1Options {
  /** Default 10,000. */
  maxEntries?: number;
  /** How long a value may be served from process memory. Default 5,000 ms. */
  ttlMs?: number;
}

export interface LeaseOptions {
  /** How long a lease (the cross-process compute lock) lives if its holder dies. Default 10,000 ms. */
  ttlMs?: number;
  /** How long a process waits for another one's compute before computing anyway. Default 5,000 ms. */
  waitMs?: number;
  /** Longest pause between two looks at the key while waiting. Default 50 ms. */
  maxPollMs?: number;
}

/** An invalidation that reached this cache from another instance, or a reset after lost messages. */
export type InvalidationEvent =
  | { kind: 'key'; namespace: string; key: string }
  | { kind: 'pattern'; namespace: string; pattern: string }
  | { kind: 'tags'; tags: string[] }
  | { kind: 'reset' };

export interface CreateCacheOptions {
  store: CacheStore;
  /** Prefix of every key of this cache, and the unit of statistics (letters, digits, `_ . : -`). */
  namespace: string;
  /** Default `createDefaultLogger('@mentora/cache')`: warnings and errors on stderr. */
  logger?: Logger;
  /** In-process tier, kept coherent across instances through the store's invalidation messages. */
  l1?: L1Options;
  /** Publish every `set` so other instances drop their L1 copy. Default: true when `l1` is set. */
  broadcastSets?: boolean;
  /** Receives a `cache_statistics` row per period with activity. */
  statsSink?: CacheStatsSink;
  /** Default 60,000 ms. */
  statsFlushIntervalMs?: number;
  /** Default: JSON with Date/Map/Set/BigInt support and a 1 MiB limit (see `maxValueBytes`). */
  codec?: CacheCodec;
  /** Size limit of the default codec. Default 1 MiB. */
  maxValueBytes?: number;
  /** TTL used when a call passes none. Default `CacheTTL.MEDIUM`. */
  defaultTtlSeconds?: number;
  /** Defaults of the cross-process lease used by `getOrCompute(..., { lease: true })`. */
  lease?: LeaseOptions;
  /**
   * How long `getOrCompute` waits for a compute before its callers get `CACHE_COMPUTE_TIMEOUT` and the key
   * is free for a fresh compute (a compute that never settles would otherwise hold the key, and every
   * later caller, for the life of the process). `Infinity` waits forever. Default 60,000 ms.
   */
  computeTimeoutMs?: number;
  /** Called after a remote invalidation (or a reset) has been applied to this cache's L1. */
  onInvalidation?: (event: InvalidationEvent) => void;
}

export interface GetOrComputeOptions {
  /** Also hold a Redis lease so only one process computes (others wait, bounded, then compute anyway). */
  lease?: boolean;
}

export interface HealthCheckResult {
  healthy: boolean;
  /** Round-trip time of the probe in ms. */
  latency: number;
  error?: string;
}

export interface Cache {
  readonly namespace: string;
  /** The value, or null on a miss (and when the store is down: reads fail open). */
  get<T = unknown>(key: string): Promise<T | null>;
  /**
   * Stores a value. Resolves false when the store failed (logged and counted); throws InvalidArgumentError
   * for values the codec refuses (too large, not serializable) and invalid TTLs.
   */
  set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean>;
  /** Removes a key. Throws ServiceUnavailableError when the store failed: the caller must know. */
  delete(key: string): Promise<boolean>;
  /**
   * Cache-aside with one compute per key at a time in this process (and across processes with
   * `lease`). A failing compute is not cached; its error reaches every waiting caller. Store failures
   * fail open to compute.
   */
  getOrCompute<T>(
    key: string,
    compute: () => T | Promise<T>,
    ttlSeconds?: number,
    options?: GetOrComputeOptions,
  ): Promise<T>;
  /** Counter in a fixed window that starts at the first increment; later increments never extend it. */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** Seconds left for a key: null when missing, Infinity when it never expires. */
  ttl(key: string): Promise<number | null>;
  /** Deletes keys of this namespace matching a Redis glob, with SCAN (never KEYS). An admin tool. */
  deletePattern(pattern: string): Promise<number>;
  /** Drops every key scoped to the tag (its hash tag), in every namespace, in O(1). */
  invalidateTag(tag: string): Promise<void>;
  invalidateTags(tags: readonly string[]): Promise<void>;
  healthCheck(): Promise<HealthCheckResult>;
  stats(): CacheStats;
  /** Sends the counts since the last flush to the stats sink now. */
  flushStats(): Promise<void>;
  /** Resolves once the store is connected and, with L1, invalidation messages are subscribed. */
  ready(): Promise<void>;
  /** Stops the timers, unsubscribes and flushes statistics. Does not close the store (you own it). */
  close(): Promise<void>;
}

const NAMESPACE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
/** Between namespace and key in a stored key: a character NAMESPACE_RE never allows. */
const NAMESPACE_SEPARATOR = '|';
const MISS: unique symbol = Symbol('miss');
/** Version keys and leases live outside every namespace (a namespace cannot contain `~`). */
const VERSION_PREFIX = '~tagv:';
const LOCK_PREFIX = '~lock:';
const ERROR_LOG_INTERVAL_MS = 1000;

interface WireMessage {
  /** Origin: the publishing cache instance. */
  o: string;
  k: 'key' | 'pattern' | 'tags';
  n?: string;
  v: string | string[];
}

function versionKeyOf(tag: string): string {
  return `${VERSION_PREFIX}{${tag}}`;
}

/** The payload of a versioned entry when it was written under `version`, else null (stale or absent). */
function unstamp(raw: string | null, version: string): string | null {
  if (raw === null) return null;
  const n = version.length;
  return raw.length > n && raw.charCodeAt(n) === 58 /* ':' */ && raw.startsWith(version)
    ? raw.slice(n + 1)
    : null;
}

function validateTag(tag: string): void {
  if (typeof tag !== 'string' || tag.length === 0 || tag.includes('{') || tag.includes('}')) {
    throw new InvalidArgumentError(`Invalid cache tag ${JSON.stringify(tag)}: non-empty, without braces`, {
      code: 'CACHE_INVALID_TAG',
      argument: 'tag',
      context: { tag },
    });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One in-process compute of a key, shared by every caller that asks while it runs. */
interface Flight {
  promise: Promise<unknown>;
  tag: string | undefined;
  /**
   * Set when the key was invalidated (set, delete, deletePattern, tag, or a remote message) while the
   * compute ran: its value may be from before that write, so it is not stored, and later callers no
   * longer join this flight.
   */
  superseded: boolean;
}

class CacheImpl implements Cache {
  readonly namespace: string;
  private readonly store: CacheStore;
  private readonly prefix: string;
  private readonly codec: CacheCodec;
  private readonly logger: Logger;
  /** Store failures: at most one line a second (an outage must not flood the logs). */
  private readonly throttled: LogThrottle;
  /**
   * The L1 in use: the configured tier while invalidation messages can reach it, else undefined (a failed
   * subscription, until a retry succeeds; after close()). An L1 nobody can invalidate would serve stale
   * values for its whole TTL.
   */
  private l1: L1Cache | undefined;
  private readonly l1Tier: L1Cache | undefined;
  private resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly broadcastSets: boolean;
  private readonly defaultTtlSeconds: number;
  private readonly leaseTtlMs: number;
  private readonly leaseWaitMs: number;
  private readonly leaseMaxPollMs: number;
  private readonly computeTimeoutMs: number;
  private readonly onInvalidation: ((event: InvalidationEvent) => void) | undefined;
  private readonly counters = new Counters();
  private readonly flights = new Map<string, Flight>();
  private readonly id = randomUUID();
  private readonly flusher: StatsFlusher | undefined;
  private readonly statsTimer: ReturnType<typeof setInterval> | undefined;
  /** The latest subscription attempt (retried while it fails). */
  private subscription: Promise<(() => Promise<void>) | undefined>;
  /**
   * Bumped by every invalidation seen here (local or remote). A read that started before a bump must
   * not fill L1 with what it read: that value may be the one just invalidated.
   */
  private epoch = 0;
  private closed = false;

  constructor(options: CreateCacheOptions) {
    if (typeof options.namespace !== 'string' || !NAMESPACE_RE.test(options.namespace)) {
      throw new InvalidArgumentError(
        `Invalid cache namespace ${JSON.stringify(options.namespace)}: letters, digits and _ . : - only`,
        { code: 'CACHE_INVALID_NAMESPACE', argument: 'namespace', context: { namespace: options.namespace } },
      );
    }
    this.namespace = options.namespace;
    this.store = options.store;
    // `|` cannot occur in a namespace, so no namespace's prefix is a prefix of another's: with `:`,
    // namespace `a` + key `b:x` and namespace `a:b` + key `x` were one Redis key, and `a`'s
    // deletePattern('*') (`a:*`) deleted every key of `a:b`.
    this.prefix = `${options.namespace}${NAMESPACE_SEPARATOR}`;
    this.codec =
      options.codec ??
      createJsonCodec(options.maxValueBytes === undefined ? {} : { maxBytes: options.maxValueBytes });
    this.logger = options.logger ?? createDefaultLogger('@mentora/cache');
    this.throttled = createLogThrottle(this.logger, ERROR_LOG_INTERVAL_MS);
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? CacheTTL.MEDIUM;
    ttlSecondsToMs(this.defaultTtlSeconds, 'defaultTtlSeconds');
    this.leaseTtlMs = options.lease?.ttlMs ?? 10_000;
    this.leaseWaitMs = options.lease?.waitMs ?? 5_000;
    this.leaseMaxPollMs = options.lease?.maxPollMs ?? 50;
    this.computeTimeoutMs = options.computeTimeoutMs ?? 60_000;
    if (!(this.computeTimeoutMs > 0)) {
      throw new InvalidArgumentError('computeTimeoutMs must be a positive number of ms (or Infinity)', {
        code: 'CACHE_INVALID_OPTION',
        argument: 'computeTimeoutMs',
        context: { value: options.computeTimeoutMs },
      });
    }
    this.onInvalidation = options.onInvalidation;
    if (options.l1) {
      this.l1Tier = new L1Cache(options.l1.maxEntries ?? 10_000, options.l1.ttlMs ?? 5_000);
      this.l1 = this.l1Tier;
    }
    this.broadcastSets = options.broadcastSets ?? this.l1Tier !== undefined;

    // Only an L1 needs to hear other instances' invalidations.
    this.subscription = this.l1Tier === undefined ? Promise.resolve(undefined) : this.subscribe(0);

    if (options.statsSink) {
      this.flusher = new StatsFlusher(this.namespace, this.counters, options.statsSink, (err, row) =>
        this.logger.error('Cache statistics sink failed; the counts are kept for the next flush', {
          namespace: this.namespace,
          error: errorMessage(err),
          row,
        }),
      );
      const timer = setInterval(() => void this.flushStats(), options.statsFlushIntervalMs ?? 60_000);
      timer.unref();
      this.statsTimer = timer;
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // Reads
  // ----------------------------------------------------------------------------------------------------

  get<T = unknown>(key: string): Promise<T | null> {
    const l1 = this.l1;
    if (l1 !== undefined) {
      const e = l1.get(key);
      if (e !== undefined) {
        this.counters.hits++;
        this.counters.l1Hits++;
        return Promise.resolve(e.value as T);
      }
    }
    const tag = tagOfKey(key);
    // The common case (unscoped key, no L1): one GET and one `then` with pre-bound handlers.
    if (tag === undefined && l1 === undefined) {
      return this.store
        .get(this.prefix + key)
        .then(this.onPlainRead, this.onReadFailure) as Promise<T | null>;
    }
    return this.load(key, tag) as Promise<T | null>;
  }

  private readonly onPlainRead = (payload: string | null): unknown => {
    if (payload !== null) {
      try {
        const value = this.codec.decode(payload);
        this.counters.hits++;
        return value;
      } catch (err) {
        this.failed('decode', err);
      }
    }
    this.counters.misses++;
    return null;
  };

  private readonly onReadFailure = (err: unknown): null => {
    this.failed('get', err);
    this.counters.misses++;
    return null;
  };

  private async load(key: string, tag: string | undefined): Promise<unknown> {
    const epoch = this.epoch;
    let payload: string | null;
    try {
      if (tag === undefined) {
        payload = await this.store.get(this.prefix + key);
      } else {
        const [raw, version] = await this.store.getVersioned(this.prefix + key, versionKeyOf(tag));
        payload = unstamp(raw, version ?? '0');
      }
    } catch (err) {
      this.failed('get', err);
      this.counters.misses++;
      return null;
    }
    const value = payload === null ? MISS : this.decodeHit(key, payload, tag, epoch);
    if (value === MISS) {
      this.counters.misses++;
      return null;
    }
    return value;
  }

  /** Decodes a stored payload, counting the hit and filling L1; MISS when it cannot be decoded. */
  private decodeHit(
    key: string,
    payload: string,
    tag: string | undefined,
    epoch: number,
    countHit = true,
  ): unknown {
    let value: unknown;
    try {
      value = this.codec.decode(payload);
    } catch (err) {
      this.failed('decode', err);
      return MISS;
    }
    if (countHit) this.counters.hits++;
    if (this.l1 !== undefined && epoch === this.epoch) this.l1.set(key, value, 0, tag);
    return value;
  }

  getOrCompute<T>(
    key: string,
    compute: () => T | Promise<T>,
    ttlSeconds?: number,
    options?: GetOrComputeOptions,
  ): Promise<T> {
    const l1 = this.l1;
    if (l1 !== undefined) {
      const e = l1.get(key);
      if (e !== undefined) {
        this.counters.hits++;
        this.counters.l1Hits++;
        return Promise.resolve(e.value as T);
      }
    }
    const inflight = this.flights.get(key);
    if (inflight !== undefined) return inflight.promise as Promise<T>;
    let ttlMs: number;
    try {
      ttlMs = ttlSecondsToMs(ttlSeconds ?? this.defaultTtlSeconds);
    } catch (err) {
      return Promise.reject(err);
    }
    const lease = options?.lease === true;
    const epoch = this.epoch;
    const fk = this.prefix + key;
    const tag = tagOfKey(key);
    const f: Flight = { promise: undefined as unknown as Promise<unknown>, tag, superseded: false };
    let flight: Promise<T>;
    if (tag === undefined) {
      // Unscoped: one GET and one `then`; only a miss enters the async compute path. The handlers run
      // after the `flights.set` below, and every path out of them removes the flight.
      flight = this.store.get(fk).then(
        (payload) => {
          if (payload !== null) {
            const value = this.decodeHit(key, payload, undefined, epoch);
            if (value !== MISS) {
              this.endFlight(key, f);
              return value as T;
            }
          }
          return this.afterMiss(key, fk, undefined, compute, ttlMs, lease, null, true, epoch, f);
        },
        (err: unknown) => {
          // Fail open: compute, and do not try to store (the store just failed; don't wait on it twice).
          this.failed('get', err);
          return this.afterMiss(key, fk, undefined, compute, ttlMs, lease, null, false, epoch, f);
        },
      );
    } else {
      flight = this.loadScoped(key, fk, tag, compute, ttlMs, lease, epoch, f);
    }
    f.promise = flight;
    this.flights.set(key, f);
    return flight;
  }

  /**
   * A scoped key: value and tag version in one round trip. The version seen before computing guards the
   * write: it is skipped if the tag was invalidated meanwhile, so a value computed from
   * pre-invalidation data is never stored.
   */
  private async loadScoped<T>(
    key: string,
    fk: string,
    tag: string,
    compute: () => T | Promise<T>,
    ttlMs: number,
    lease: boolean,
    epoch: number,
    f: Flight,
  ): Promise<T> {
    let version = '0';
    let storeUp = true;
    try {
      const [raw, v] = await this.store.getVersioned(fk, versionKeyOf(tag));
      version = v ?? '0';
      const payload = unstamp(raw, version);
      if (payload !== null) {
        const value = this.decodeHit(key, payload, tag, epoch);
        if (value !== MISS) {
          this.endFlight(key, f);
          return value as T;
        }
      }
    } catch (err) {
      storeUp = false;
      this.failed('get', err);
    }
    return this.afterMiss(key, fk, tag, compute, ttlMs, lease, version, storeUp, epoch, f);
  }

  private async afterMiss<T>(
    key: string,
    fk: string,
    tag: string | undefined,
    compute: () => T | Promise<T>,
    ttlMs: number,
    lease: boolean,
    version: string | null,
    storeUp: boolean,
    epoch: number,
    f: Flight,
  ): Promise<T> {
    try {
      this.counters.misses++;
      if (lease && storeUp)
        return await this.computeWithLease(key, fk, tag, compute, ttlMs, version, epoch, f);
      return await this.computeAndStore(key, fk, tag, compute, ttlMs, version, storeUp, epoch, f);
    } finally {
      this.endFlight(key, f);
    }
  }

  /** Removes a finished flight, unless an invalidation already replaced it with a newer one. */
  private endFlight(key: string, f: Flight): void {
    if (this.flights.get(key) === f) this.flights.delete(key);
  }

  /**
   * Called synchronously before an invalidating write is sent: running computes of the matching keys
   * may hold pre-write data, so they must not store it (their write, if already sent, lands first on the
   * key's connection and is overwritten), and callers from now on start a fresh compute.
   */
  private supersedeFlights(match: (key: string, f: Flight) => boolean): void {
    if (this.flights.size === 0) return;
    for (const [key, f] of this.flights) {
      if (match(key, f)) {
        f.superseded = true;
        this.flights.delete(key);
      }
    }
  }

  private supersedeFlight(key: string): void {
    const f = this.flights.get(key);
    if (f !== undefined) {
      f.superseded = true;
      this.flights.delete(key);
    }
  }

  private async computeAndStore<T>(
    key: string,
    fk: string,
    tag: string | undefined,
    compute: () => T | Promise<T>,
    ttlMs: number,
    version: string | null,
    storeUp: boolean,
    epoch: number,
    f: Flight,
  ): Promise<T> {
    this.counters.computes++;
    const value = await this.bounded(compute(), key, f);
    if (storeUp) await this.storeComputed(fk, tag, value, ttlMs, version, f);
    if (this.l1 !== undefined && epoch === this.epoch && !f.superseded) this.l1.set(key, value, ttlMs, tag);
    return value;
  }

  /**
   * Waits for a compute, at most computeTimeoutMs. On timeout the flight is superseded (its late value is
   * never stored, later callers compute afresh) and its callers get a retryable typed error.
   */
  private bounded<T>(pending: T | Promise<T>, key: string, f: Flight): T | Promise<T> {
    // Any thenable (a query builder is one), not only a Promise.
    if (typeof (pending as { then?: unknown } | null)?.then !== 'function') return pending;
    if (this.computeTimeoutMs === Number.POSITIVE_INFINITY) return pending;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        f.superseded = true;
        this.endFlight(key, f);
        this.counters.errors++;
        this.logger.warn('Cache compute timed out; the key is free for a fresh compute', {
          namespace: this.namespace,
          key,
          timeoutMs: this.computeTimeoutMs,
        });
        reject(
          new ServiceUnavailableError(
            `Cache compute for ${key} did not settle in ${this.computeTimeoutMs} ms`,
            {
              code: 'CACHE_COMPUTE_TIMEOUT',
              context: { namespace: this.namespace, key, timeoutMs: this.computeTimeoutMs },
            },
          ),
        );
      }, this.computeTimeoutMs);
      timer.unref?.();
    });
    return Promise.race([Promise.resolve(pending), timeout]).finally(() => clearTimeout(timer));
  }

  /** Stores a computed value; failures are logged and counted, never thrown (the value is good). */
  private async storeComputed(
    fk: string,
    tag: string | undefined,
    value: unknown,
    ttlMs: number,
    version: string | null,
    f: Flight,
  ): Promise<void> {
    if (f.superseded) return;
    let text: string;
    try {
      text = this.codec.encode(value);
    } catch (err) {
      this.counters.errors++;
      this.logger.warn('Computed value not cached: the codec refused it', {
        namespace: this.namespace,
        key: fk,
        error: errorMessage(err),
        context: (err as { context?: unknown }).context,
      });
      return;
    }
    if (f.superseded) return;
    this.counters.sets++;
    try {
      if (tag === undefined) await this.store.set(fk, text, ttlMs);
      else await this.store.setVersioned(fk, versionKeyOf(tag), text, ttlMs, version);
    } catch (err) {
      this.failed('set', err);
    }
  }

  private async computeWithLease<T>(
    key: string,
    fk: string,
    tag: string | undefined,
    compute: () => T | Promise<T>,
    ttlMs: number,
    version: string | null,
    epoch: number,
    f: Flight,
  ): Promise<T> {
    const lockKey = LOCK_PREFIX + fk;
    const token = randomUUID();
    let held = false;
    let storeUp = true;
    try {
      try {
        held = await this.store.acquireLock(lockKey, token, this.leaseTtlMs);
        const deadline = Date.now() + this.leaseWaitMs;
        let pause = 2;
        for (;;) {
          if (!held) {
            // Another process computes: wait (bounded), then look for its value or take the lease over.
            if (Date.now() >= deadline) {
              this.logger.debug('Lease wait ran out; computing without the lease', {
                namespace: this.namespace,
                key,
              });
              break;
            }
            await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
            pause = Math.min(pause * 2, this.leaseMaxPollMs);
          }
          // Look again even right after acquiring: a holder stores its value *before* letting go, so a
          // lease we just got may follow a compute that finished after our first read missed.
          let payload: string | null;
          if (tag === undefined) {
            payload = await this.store.get(fk);
          } else {
            const [raw, v] = await this.store.getVersioned(fk, versionKeyOf(tag));
            version = v ?? '0';
            payload = unstamp(raw, version);
          }
          if (payload !== null) {
            // Already counted as a miss: this call did wait for a compute.
            const value = this.decodeHit(key, payload, tag, epoch, false);
            if (value !== MISS) return value as T;
          }
          if (held) break;
          held = await this.store.acquireLock(lockKey, token, this.leaseTtlMs);
        }
      } catch (err) {
        storeUp = false;
        this.failed('lease', err);
      }
      return await this.computeAndStore(key, fk, tag, compute, ttlMs, version, storeUp, epoch, f);
    } finally {
      if (held) {
        try {
          await this.store.releaseLock(lockKey, token);
        } catch (err) {
          this.failed('lease', err); // it expires on its own after leaseTtlMs
        }
      }
    }
  }

  async ttl(key: string): Promise<number | null> {
    let ms: number;
    try {
      ms = await this.store.pttl(this.prefix + key);
    } catch (err) {
      this.failed('ttl', err);
      throw err;
    }
    if (ms === -2) return null;
    return ms === -1 ? Number.POSITIVE_INFINITY : ms / 1000;
  }

  // ----------------------------------------------------------------------------------------------------
  // Writes and invalidation
  // ----------------------------------------------------------------------------------------------------

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    const ttlMs = ttlSecondsToMs(ttlSeconds ?? this.defaultTtlSeconds);
    const text = this.codec.encode(value);
    this.counters.sets++;
    const fk = this.prefix + key;
    const tag = tagOfKey(key);
    this.supersedeFlight(key);
    let ok = true;
    try {
      if (tag === undefined) await this.store.set(fk, text, ttlMs);
      else await this.store.setVersioned(fk, versionKeyOf(tag), text, ttlMs, null);
    } catch (err) {
      this.failed('set', err);
      ok = false;
    }
    this.dropLocal(key);
    // Sent after the write has landed, so a receiver that re-reads sees the new value.
    if (this.broadcastSets) this.announce({ o: this.id, k: 'key', n: this.namespace, v: key });
    return ok;
  }

  async delete(key: string): Promise<boolean> {
    this.counters.deletes++;
    this.supersedeFlight(key);
    let existed: boolean;
    try {
      existed = await this.store.delete(this.prefix + key);
    } catch (err) {
      this.failed('delete', err);
      throw err;
    } finally {
      this.dropLocal(key);
    }
    this.announce({ o: this.id, k: 'key', n: this.namespace, v: key });
    return existed;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const windowMs = ttlSecondsToMs(windowSeconds, 'windowSeconds');
    if (windowMs === 0) {
      throw new InvalidArgumentError('windowSeconds must be finite', {
        code: 'CACHE_INVALID_TTL',
        argument: 'windowSeconds',
        context: { value: windowSeconds },
      });
    }
    try {
      return await this.store.increment(this.prefix + key, windowMs);
    } catch (err) {
      this.failed('increment', err);
      throw err;
    }
  }

  async deletePattern(pattern: string): Promise<number> {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw new InvalidArgumentError('deletePattern needs a non-empty glob', {
        code: 'CACHE_INVALID_PATTERN',
        argument: 'pattern',
      });
    }
    this.counters.deletes++;
    const re = globToRegExp(pattern);
    this.supersedeFlights((key) => re.test(key));
    let count: number;
    try {
      count = await this.store.deletePattern(escapeGlob(this.prefix) + pattern);
    } catch (err) {
      this.failed('deletePattern', err);
      throw err;
    } finally {
      this.epoch++;
      this.l1?.deleteMatching(re);
    }
    this.announce({ o: this.id, k: 'pattern', n: this.namespace, v: pattern });
    return count;
  }

  invalidateTag(tag: string): Promise<void> {
    return this.invalidateTags([tag]);
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    for (const tag of tags) validateTag(tag);
    if (tags.length === 0) return;
    this.counters.deletes++;
    this.supersedeFlights((_key, f) => f.tag !== undefined && tags.includes(f.tag));
    try {
      // One INCR per tag: each is a single-key command, so a Cluster routes each to its own slot.
      await Promise.all(tags.map((tag) => this.store.bumpVersion(versionKeyOf(tag))));
    } catch (err) {
      this.failed('invalidateTags', err);
      throw err;
    } finally {
      this.epoch++;
      this.l1?.deleteTags(tags);
    }
    this.announce({ o: this.id, k: 'tags', v: [...tags] });
  }

  private dropLocal(key: string): void {
    this.epoch++;
    this.l1?.delete(key);
  }

  /** Publishes an invalidation without holding the caller; a failure is logged and counted. */
  private announce(message: WireMessage): void {
    this.store
      .publishInvalidation(JSON.stringify(message))
      .catch((err: unknown) => this.failed('publish', err));
  }

  private onMessage(message: string | null): void {
    const l1 = this.l1;
    if (l1 === undefined) return;
    if (message === null) {
      // Messages may have been lost while the subscriber was away: forget everything.
      this.epoch++;
      l1.clear();
      this.supersedeFlights(() => true);
      this.onInvalidation?.({ kind: 'reset' });
      return;
    }
    let m: WireMessage;
    try {
      m = JSON.parse(message) as WireMessage;
    } catch {
      return;
    }
    if (m.o === this.id) return;
    let event: InvalidationEvent;
    if (m.k === 'tags' && Array.isArray(m.v)) {
      const tags = m.v;
      l1.deleteTags(tags);
      this.supersedeFlights((_key, f) => f.tag !== undefined && tags.includes(f.tag));
      event = { kind: 'tags', tags };
    } else if (m.n !== this.namespace || typeof m.v !== 'string') {
      return;
    } else if (m.k === 'key') {
      l1.delete(m.v);
      this.supersedeFlight(m.v);
      event = { kind: 'key', namespace: m.n, key: m.v };
    } else if (m.k === 'pattern') {
      const re = globToRegExp(m.v);
      l1.deleteMatching(re);
      this.supersedeFlights((key) => re.test(key));
      event = { kind: 'pattern', namespace: m.n, pattern: m.v };
    } else {
      return;
    }
    this.epoch++;
    this.onInvalidation?.(event);
  }

  // ----------------------------------------------------------------------------------------------------
  // Health, statistics, lifecycle
  // ----------------------------------------------------------------------------------------------------

  async healthCheck(): Promise<HealthCheckResult> {
    const start = performance.now();
    try {
      await this.store.ping();
      return { healthy: true, latency: round2(performance.now() - start) };
    } catch (err) {
      return { healthy: false, latency: round2(performance.now() - start), error: errorMessage(err) };
    }
  }

  stats(): CacheStats {
    return snapshot(this.namespace, this.counters);
  }

  flushStats(): Promise<void> {
    return this.flusher?.flush() ?? Promise.resolve();
  }

  async ready(): Promise<void> {
    await this.store.ready();
    await this.subscription;
  }

  /**
   * Subscribes to invalidation messages. While that fails (the store was down at start), L1 is off and
   * the subscription is retried with backoff: a cache created during an outage becomes coherent, and
   * gets its L1 back, once the store is reachable.
   */
  private subscribe(attempt: number): Promise<(() => Promise<void>) | undefined> {
    return this.store
      .subscribeInvalidations((message) => this.onMessage(message))
      .then(
        (unsubscribe) => {
          if (!this.closed) this.l1 = this.l1Tier;
          return unsubscribe;
        },
        (err: unknown) => {
          this.failed('subscribe', err);
          this.epoch++;
          this.l1?.clear();
          this.l1 = undefined;
          if (!this.closed) {
            const timer = setTimeout(
              () => {
                this.resubscribeTimer = undefined;
                if (!this.closed) this.subscription = this.subscribe(attempt + 1);
              },
              Math.min(500 * 2 ** attempt, 30_000),
            );
            timer.unref();
            this.resubscribeTimer = timer;
          }
          return undefined;
        },
      );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Calls after close still work (shutdown races with late requests), but straight from the store:
    // an L1 that stops hearing other instances' invalidations would serve stale values.
    this.l1?.clear();
    this.l1 = undefined;
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    if (this.resubscribeTimer !== undefined) clearTimeout(this.resubscribeTimer);
    const unsubscribe = await this.subscription;
    if (unsubscribe) {
      try {
        await unsubscribe();
      } catch (err) {
        this.failed('unsubscribe', err);
      }
    }
    await this.flushStats();
  }

  /** Counts a store failure and logs it, at most once a second (an outage must not flood the logs). */
  private failed(op: string, err: unknown): void {
    this.counters.errors++;
    this.throttled('warn', 'store-failure', 'Cache store call failed', {
      namespace: this.namespace,
      op,
      error: errorMessage(err),
      code: (err as { code?: unknown }).code,
    });
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Creates a cache over a store. One cache is one namespace; many caches may share one store. */
export function createCache(options: CreateCacheOptions): Cache {
  return new CacheImpl(options);
}

export type { CacheStatisticsRow };
