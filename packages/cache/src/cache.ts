import { InvalidArgumentError } from '@mentora/errors';
import { createDefaultLogger } from '@mentora/monitoring';
import { createCborCodec } from './codec.js';
import { Compute } from './compute/compute.js';
import { CacheContext, errorMessage } from './context.js';
import { L1Cache } from './l1/l1.js';
import { namespacePrefix } from './layout.js';
import {
  type CreateCacheOptions,
  type GetOrComputeOptions,
  type HealthCheckResult,
  positive,
} from './options.js';
import { Reads } from './reads.js';
import { type CacheStats, StatsReporter, snapshot } from './stats.js';
import { CacheTTL, ttlSecondsToMs } from './ttl.js';
import { Writes } from './writes.js';

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
  /** Drops every key scoped to these tags (their hash tags), in every namespace, in O(1) per tag. */
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

/**
 * The facade: validates the options, builds the parts (reads, computes, writes, L1 coherence, statistics)
 * around one shared context, and hands each call to the part that owns it.
 */
class CacheImpl implements Cache {
  readonly namespace: string;
  private readonly cx: CacheContext;
  private readonly reads: Reads;
  private readonly computes: Compute;
  private readonly writes: Writes;
  private readonly reporter: StatsReporter | undefined;
  private closed = false;

  constructor(options: CreateCacheOptions) {
    const prefix = namespacePrefix(options.namespace);
    const defaultTtlSeconds = options.defaultTtlSeconds ?? CacheTTL.MEDIUM;
    ttlSecondsToMs(defaultTtlSeconds, 'defaultTtlSeconds');
    const logger = options.logger ?? createDefaultLogger('@mentora/cache');
    const l1 =
      options.l1 === undefined
        ? undefined
        : new L1Cache(
            positive(options.l1.maxEntries, 10_000, 'l1.maxEntries'),
            positive(options.l1.maxBytes, 64 * 1024 * 1024, 'l1.maxBytes'),
            positive(options.l1.ttlMs, 5_000, 'l1.ttlMs'),
          );
    const bus = options.bus ?? options.store.bus;
    if (l1 !== undefined && bus === undefined) {
      throw new InvalidArgumentError(
        'l1 needs an invalidation bus (the store has none): pass `bus`, or leave L1 off',
        { code: 'CACHE_INVALID_OPTION', argument: 'bus' },
      );
    }
    this.namespace = options.namespace;
    this.cx = new CacheContext({
      namespace: options.namespace,
      prefix,
      store: options.store,
      codec:
        options.codec ??
        createCborCodec(options.maxValueBytes === undefined ? {} : { maxBytes: options.maxValueBytes }),
      logger,
      l1,
      bus,
      onInvalidation: options.onInvalidation,
      defaultTtlSeconds,
    });
    this.reads = new Reads(this.cx);
    this.computes = new Compute(this.cx, this.reads, {
      timeoutMs: positive(options.computeTimeoutMs, 60_000, 'computeTimeoutMs'),
      lease: {
        ttlMs: positive(options.lease?.ttlMs, 10_000, 'lease.ttlMs'),
        waitMs: positive(options.lease?.waitMs, 5_000, 'lease.waitMs'),
        maxPollMs: positive(options.lease?.maxPollMs, 50, 'lease.maxPollMs'),
      },
    });
    this.writes = new Writes(this.cx, options.broadcastSets ?? l1 !== undefined);
    this.reporter =
      options.statsSink === undefined
        ? undefined
        : new StatsReporter(
            this.namespace,
            this.cx.counters,
            options.statsSink,
            positive(options.statsFlushIntervalMs, 60_000, 'statsFlushIntervalMs'),
            (err, row) =>
              logger.error('Cache statistics sink failed; the counts are kept for the next flush', {
                namespace: this.namespace,
                error: errorMessage(err),
                row,
              }),
          );
  }

  get<T = unknown>(key: string): Promise<T | null> {
    return this.reads.get<T>(key);
  }

  getOrCompute<T>(
    key: string,
    compute: () => T | Promise<T>,
    ttlSeconds?: number,
    options?: GetOrComputeOptions,
  ): Promise<T> {
    return this.computes.getOrCompute(key, compute, ttlSeconds, options);
  }

  ttl(key: string): Promise<number | null> {
    return this.reads.ttl(key);
  }

  set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    return this.writes.set(key, value, ttlSeconds);
  }

  delete(key: string): Promise<boolean> {
    return this.writes.delete(key);
  }

  increment(key: string, windowSeconds: number): Promise<number> {
    return this.writes.increment(key, windowSeconds);
  }

  deletePattern(pattern: string): Promise<number> {
    return this.writes.deletePattern(pattern);
  }

  invalidateTags(tags: readonly string[]): Promise<void> {
    return this.writes.invalidateTags(tags);
  }

  async healthCheck(): Promise<HealthCheckResult> {
    const start = performance.now();
    try {
      await this.cx.store.ping();
      return { healthy: true, latency: round2(performance.now() - start) };
    } catch (err) {
      return { healthy: false, latency: round2(performance.now() - start), error: errorMessage(err) };
    }
  }

  stats(): CacheStats {
    return snapshot(this.namespace, this.cx.counters);
  }

  flushStats(): Promise<void> {
    return this.reporter?.flush() ?? Promise.resolve();
  }

  async ready(): Promise<void> {
    await this.cx.store.ready();
    await this.cx.coherence.ready();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reporter?.stop();
    await this.cx.coherence.close();
    await this.flushStats();
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Creates a cache over a store. One cache is one namespace; many caches may share one store. */
export function createCache(options: CreateCacheOptions): Cache {
  return new CacheImpl(options);
}
