import { InvalidArgumentError } from '@mentora/errors';
import type { Logger } from '@mentora/monitoring';
import type { CacheCodec } from './codec.js';
import type { CacheStatsSink } from './stats.js';
import type { CacheStore, InvalidationBus } from './types.js';

export interface L1Options {
  /** Default 10,000. */
  maxEntries?: number;
  /**
   * Bound on what L1 holds, in bytes of the entries' encoded size (what the store keeps for them); the least
   * recently used go first. Default 64 MiB.
   */
  maxBytes?: number;
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
  /**
   * How instances tell each other what they invalidated (needed with `l1`). Default: the store's own bus
   * (`store.bus`: Redis pub/sub for the Redis store, in-process for the memory store).
   */
  bus?: InvalidationBus;
  /** Prefix of every key of this cache, and the unit of statistics (letters, digits, `_ . : -`). */
  namespace: string;
  /** Default `createDefaultLogger('@mentora/cache')`: warnings and errors on stderr. */
  logger?: Logger;
  /** In-process tier, kept coherent across instances through the bus. */
  l1?: L1Options;
  /** Publish every `set` so other instances drop their L1 copy. Default: true when `l1` is set. */
  broadcastSets?: boolean;
  /** Receives a `cache_statistics` row per period with activity. */
  statsSink?: CacheStatsSink;
  /** Default 60,000 ms. */
  statsFlushIntervalMs?: number;
  /** Default: CBOR (cbor-x) with Date/Map/Set/BigInt/undefined support and a 1 MiB limit (`maxValueBytes`). */
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
  /** Also hold a lease in the store so only one process computes (others wait, bounded, then compute anyway). */
  lease?: boolean;
}

export interface HealthCheckResult {
  healthy: boolean;
  /** Round-trip time of the probe in ms. */
  latency: number;
  error?: string;
}

/** A positive count or amount (of ms, bytes…) from options, or its default. */
export function positive(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new InvalidArgumentError(`${argument} must be a positive number, got ${String(value)}`, {
      code: 'CACHE_INVALID_OPTION',
      argument,
      context: { value },
    });
  }
  return value;
}
