import { createLogThrottle, type Logger, type LogThrottle } from '@mentora/monitoring';
import type { CacheCodec } from './codec.js';
import { Flights } from './flights.js';
import { L1Coherence } from './l1/coherence.js';
import type { L1Cache, L1Entry } from './l1/l1.js';
import type { InvalidationEvent } from './options.js';
import { Counters } from './stats.js';
import type { CacheStore, InvalidationBus } from './types.js';

export interface CacheContextParts {
  namespace: string;
  prefix: string;
  store: CacheStore;
  codec: CacheCodec;
  logger: Logger;
  l1: L1Cache | undefined;
  bus: InvalidationBus | undefined;
  onInvalidation: ((event: InvalidationEvent) => void) | undefined;
  defaultTtlSeconds: number;
}

/** Store failures are logged at most once per this interval. */
const FAILURE_LOG_INTERVAL_MS = 1_000;

/**
 * What the parts of one cache share: where its entries live, how values are encoded, the counters, the
 * flights in progress and the L1 coherence. Built once by `createCache`; reads, computes and writes each
 * take it instead of reaching into one another.
 */
export class CacheContext {
  readonly namespace: string;
  /** `<namespace>|`: the prefix of every key of this cache in the store. */
  readonly prefix: string;
  readonly store: CacheStore;
  readonly codec: CacheCodec;
  readonly logger: Logger;
  readonly counters = new Counters();
  readonly flights = new Flights();
  readonly coherence: L1Coherence;
  readonly defaultTtlSeconds: number;
  private readonly throttled: LogThrottle;

  constructor(parts: CacheContextParts) {
    this.namespace = parts.namespace;
    this.prefix = parts.prefix;
    this.store = parts.store;
    this.codec = parts.codec;
    this.logger = parts.logger;
    this.defaultTtlSeconds = parts.defaultTtlSeconds;
    this.throttled = createLogThrottle(parts.logger, FAILURE_LOG_INTERVAL_MS);
    this.coherence = new L1Coherence({
      tier: parts.l1,
      bus: parts.bus,
      namespace: parts.namespace,
      flights: this.flights,
      onInvalidation: parts.onInvalidation,
      failed: (op, err) => this.failed(op, err),
    });
  }

  /** The live L1 entry of `key`, counted as a hit (an L1 hit), or undefined. The memory-tier hot path. */
  fromL1(key: string): L1Entry | undefined {
    const l1 = this.coherence.l1;
    if (l1 === undefined) return undefined;
    const e = l1.get(key);
    if (e !== undefined) {
      this.counters.hits++;
      this.counters.l1Hits++;
    }
    return e;
  }

  /** Counts a store failure and logs it, throttled (an outage must not flood the logs). */
  failed(op: string, err: unknown): void {
    this.counters.errors++;
    this.throttled('warn', 'store-failure', 'Cache store call failed', {
      namespace: this.namespace,
      op,
      error: errorMessage(err),
      code: (err as { code?: unknown }).code,
    });
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
