import { InvalidArgumentError } from '@mentora/errors';
import { type CacheContext, errorMessage } from '../context.js';
import type { Flight } from '../flights.js';
import { tagOfKey } from '../keys.js';
import { versionKeyOf } from '../layout.js';
import type { GetOrComputeOptions } from '../options.js';
import { MISS, type Reads } from '../reads.js';
import { ttlSecondsToMs } from '../ttl.js';
import type { CacheLocks, CachePayload } from '../types.js';
import { acquireOrWait, type LeaseSettings } from './lease.js';
import { boundedCompute } from './timeout.js';

export interface ComputeSettings {
  /** `Infinity` to wait forever. */
  timeoutMs: number;
  lease: LeaseSettings;
}

/**
 * `getOrCompute`: one compute per key at a time in this process (callers join the flight in progress),
 * optionally one across processes (the lease), bounded in time, never storing a value computed across an
 * invalidation of its key, and never keeping in L1 what the codec refused to store.
 */
export class Compute {
  private readonly cx: CacheContext;
  private readonly reads: Reads;
  private readonly settings: ComputeSettings;
  private readonly locks: CacheLocks | undefined;

  constructor(cx: CacheContext, reads: Reads, settings: ComputeSettings) {
    this.cx = cx;
    this.reads = reads;
    this.settings = settings;
    this.locks = cx.store.locks;
  }

  getOrCompute<T>(
    key: string,
    compute: () => T | Promise<T>,
    ttlSeconds?: number,
    options?: GetOrComputeOptions,
  ): Promise<T> {
    const cx = this.cx;
    const held = cx.fromL1(key);
    if (held !== undefined) return Promise.resolve(held.value as T);
    const inflight = cx.flights.get(key);
    if (inflight?.promise !== undefined) return inflight.promise as Promise<T>;
    let ttlMs: number;
    try {
      ttlMs = ttlSecondsToMs(ttlSeconds ?? cx.defaultTtlSeconds);
    } catch (err) {
      return Promise.reject(err);
    }
    const lease = options?.lease === true;
    if (lease && this.locks === undefined) {
      return Promise.reject(
        new InvalidArgumentError(
          `getOrCompute with a lease needs a store with locks (${cx.store.kind} has none)`,
          {
            code: 'CACHE_INVALID_OPTION',
            argument: 'options.lease',
          },
        ),
      );
    }
    const f: Flight<T> = {
      key,
      storeKey: cx.prefix + key,
      tag: tagOfKey(key),
      compute,
      ttlMs,
      lease,
      epoch: cx.coherence.epoch,
      version: null,
      storeUp: true,
      superseded: false,
      current: false,
      promise: undefined,
    };
    // Registered before the read: callers arriving while it reads or computes share its outcome, its
    // error included (a failing compute writes nothing, so a caller whose own read came back after it
    // ended would otherwise compute again).
    cx.flights.start(f);
    f.promise = f.tag === undefined ? this.readPlain(f) : this.readScoped(f);
    return f.promise;
  }

  /**
   * Unscoped: one GET and one `then`; only a miss enters the async compute path. The handlers run after
   * `flights.start`, and every path out of them ends the flight.
   */
  private readPlain<T>(f: Flight<T>): Promise<T> {
    return this.cx.store.get(f.storeKey).then(
      (payload) => {
        if (payload !== null) {
          const value = this.reads.decodeHit(f.key, payload, undefined, f.epoch);
          if (value !== MISS) {
            this.cx.flights.end(f);
            return value as T;
          }
        }
        return this.afterMiss(f);
      },
      (err: unknown) => {
        // Fail open: compute, and do not try to store (the store just failed; don't wait on it twice).
        this.cx.failed('get', err);
        f.storeUp = false;
        return this.afterMiss(f);
      },
    );
  }

  /**
   * A scoped key: value and tag version in one round trip. The version seen before computing guards the
   * write: it is skipped if the tag was invalidated meanwhile, so a value computed from pre-invalidation
   * data is never stored.
   */
  private async readScoped<T>(f: Flight<T>): Promise<T> {
    try {
      const { payload, version } = await this.reads.readScoped(f.key, f.tag as string);
      f.version = version;
      if (payload !== null) {
        const value = this.reads.decodeHit(f.key, payload, f.tag, f.epoch);
        if (value !== MISS) {
          this.cx.flights.end(f);
          return value as T;
        }
      }
    } catch (err) {
      f.storeUp = false;
      f.version = '0';
      this.cx.failed('get', err);
    }
    return this.afterMiss(f);
  }

  private async afterMiss<T>(f: Flight<T>): Promise<T> {
    try {
      this.cx.counters.misses++;
      if (f.lease && f.storeUp) return await this.computeWithLease(f);
      return await this.computeAndStore(f);
    } finally {
      this.cx.flights.end(f);
    }
  }

  private async computeWithLease<T>(f: Flight<T>): Promise<T> {
    const outcome = await acquireOrWait(
      this.cx,
      this.reads,
      this.locks as CacheLocks,
      this.settings.lease,
      f,
    );
    if (outcome.kind === 'value') return outcome.value as T;
    try {
      return await this.computeAndStore(f);
    } finally {
      await outcome.release?.();
    }
  }

  private async computeAndStore<T>(f: Flight<T>): Promise<T> {
    const cx = this.cx;
    cx.counters.computes++;
    const value = await boundedCompute(cx, f, f.compute(), this.settings.timeoutMs);
    if (f.superseded) return value;
    const payload = this.encode(f, value);
    // Refused by the codec (too large, not serializable): returned to the callers, neither stored nor
    // kept in L1 (a value the store cannot hold must not live on in process memory either).
    if (payload === undefined) return value;
    if (f.storeUp) await this.write(f, payload);
    if (!f.superseded) cx.coherence.fill(f.key, value, f.ttlMs, f.tag, payload.length, f.epoch);
    return value;
  }

  private encode(f: Flight, value: unknown): CachePayload | undefined {
    try {
      return this.cx.codec.encode(value);
    } catch (err) {
      this.cx.counters.errors++;
      this.cx.logger.warn('Computed value not cached: the codec refused it', {
        namespace: this.cx.namespace,
        key: f.storeKey,
        error: errorMessage(err),
        context: (err as { context?: unknown }).context,
      });
      return undefined;
    }
  }

  /** Stores a computed value; failures are logged and counted, never thrown (the value is good). */
  private async write(f: Flight, payload: CachePayload): Promise<void> {
    const cx = this.cx;
    if (f.superseded) return;
    cx.counters.sets++;
    try {
      if (f.tag === undefined) await cx.store.set(f.storeKey, payload, f.ttlMs);
      else await cx.store.setVersioned(f.storeKey, versionKeyOf(f.tag), payload, f.ttlMs, f.version);
    } catch (err) {
      cx.failed('set', err);
    }
  }
}
