import { errorInfo } from './log.ts';
import type {
  PlanTier,
  RateLimitAlgorithm,
  RateLimitEndpoint,
  RateLimitLogger,
  RateLimitViolation,
  ViolationSink,
} from './types.ts';

/** What a violation row says about where it happened; fixed per (limiter entry, identity). */
export interface ViolationScope {
  identity: string;
  identityType: 'user' | 'ip';
  endpoint: RateLimitEndpoint;
  plan: PlanTier;
  limit: number;
  window: string;
  windowSeconds: number;
  algorithm: RateLimitAlgorithm;
}

/** Denials of one identity on one endpoint+plan inside one window, aggregated in process memory. */
export interface ViolationAggregate {
  readonly mapKey: string;
  readonly scope: ViolationScope;
  readonly windowStart: number;
  readonly windowEnd: number;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** count at the last sink call; the next call happens at `nextReport` (doubling) or at the flush. */
  reported: number;
  nextReport: number;
  /** Dropped from the dedup map (bound reached): further bumps are not reported again. */
  closed: boolean;
}

export interface ViolationRecorderOptions {
  sink: ViolationSink;
  logger: RateLimitLogger;
  maxEntries: number;
  flushIntervalMs: number;
  /** Sink calls allowed in flight at once; beyond it, reports are deferred (or dropped when final). */
  maxPending: number;
  /** Longest wait in close() for sink calls still in flight. */
  closeTimeoutMs: number;
  clock: () => number;
  onReported(): void;
  onSinkError(): void;
  onDropped(): void;
}

/**
 * Deduplicates violations per identity × endpoint × window so a flood of denials costs the sink at most
 * 1 + log2(count) calls per window plus one final call with the exact count (when the window ends, the
 * entry is evicted, or on close). The map is bounded: the oldest entry is flushed and dropped first.
 */
export class ViolationRecorder {
  readonly #options: ViolationRecorderOptions;
  readonly #entries = new Map<string, ViolationAggregate>();
  readonly #pending = new Set<Promise<void>>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(options: ViolationRecorderOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.flushEnded(options.clock()), options.flushIntervalMs);
    this.#timer.unref();
  }

  /** A denial decided by the store: find or open the window's aggregate, count it. */
  noteDenial(
    mapKey: string,
    scope: () => ViolationScope,
    now: number,
    windowStart: number,
    windowEnd: number,
  ): ViolationAggregate {
    const existing = this.#entries.get(mapKey);
    if (existing !== undefined && now < existing.windowEnd) return this.bump(existing, now);
    if (existing !== undefined) this.#retire(existing);
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.values().next().value;
      if (oldest !== undefined) this.#retire(oldest);
    }
    const agg: ViolationAggregate = {
      mapKey,
      scope: scope(),
      windowStart,
      windowEnd,
      count: 1,
      firstSeen: now,
      lastSeen: now,
      reported: 0,
      nextReport: 2,
      closed: false,
    };
    this.#entries.set(mapKey, agg);
    this.#report(agg);
    return agg;
  }

  /**
   * Another denial for a known aggregate (the in-memory fast path calls this without building keys).
   * A denial after the aggregate's window opens the next window's aggregate.
   */
  bump(agg: ViolationAggregate, now: number): ViolationAggregate {
    if (now >= agg.windowEnd) {
      const windowMs = agg.scope.windowSeconds * 1000;
      const start = agg.scope.algorithm === 'sliding-window' ? Math.floor(now / windowMs) * windowMs : now;
      return this.noteDenial(agg.mapKey, () => agg.scope, now, start, start + windowMs);
    }
    agg.count++;
    agg.lastSeen = now;
    if (!agg.closed && agg.count >= agg.nextReport) {
      agg.nextReport *= 2;
      this.#report(agg);
    }
    return agg;
  }

  /** Final counts of windows that are over. Runs on a timer and from close(). */
  flushEnded(now: number): void {
    for (const agg of this.#entries.values()) if (agg.windowEnd <= now) this.#retire(agg);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    for (const agg of this.#entries.values()) this.#retire(agg);
    if (this.#pending.size === 0) return;
    // A sink that never settles (a hung database) must not hang shutdown: wait a bounded time.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#options.closeTimeoutMs);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.#pending]), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#options.logger.error('rate-limit violation sink calls still pending at close; not waiting', {
        pending: this.#pending.size,
        timeoutMs: this.#options.closeTimeoutMs,
      });
    }
  }

  #retire(agg: ViolationAggregate): void {
    this.#entries.delete(agg.mapKey);
    if (!agg.closed && agg.count > agg.reported) this.#report(agg, true);
    agg.closed = true;
  }

  #report(agg: ViolationAggregate, final = false): void {
    if (this.#pending.size >= this.#options.maxPending) {
      // A slow sink under a flood of denials from many identities: don't pile up calls (and rows, and
      // connections). An interim report is deferred — `reported` stays, so the next call carries the
      // delta; a final one is dropped and counted.
      if (final) this.#options.onDropped();
      return;
    }
    const delta = agg.count - agg.reported;
    agg.reported = agg.count;
    const { algorithm: _algorithm, ...scope } = agg.scope;
    const row: RateLimitViolation = {
      ...scope,
      windowStart: new Date(agg.windowStart),
      count: agg.count,
      delta,
      firstSeen: new Date(agg.firstSeen),
      lastSeen: new Date(agg.lastSeen),
    };
    this.#options.onReported();
    let outcome: void | Promise<void>;
    try {
      outcome = this.#options.sink.record(row);
    } catch (error) {
      this.#sinkFailed(error, row);
      return;
    }
    if (outcome !== undefined && typeof (outcome as Promise<void>).then === 'function') {
      const tracked: Promise<void> = Promise.resolve(outcome).then(
        () => {
          this.#pending.delete(tracked);
        },
        (error: unknown) => {
          this.#pending.delete(tracked);
          this.#sinkFailed(error, row);
        },
      );
      this.#pending.add(tracked);
    }
  }

  #sinkFailed(error: unknown, row: RateLimitViolation): void {
    this.#options.onSinkError();
    // Never rethrown: a failing audit table must not fail or slow the request being limited.
    this.#options.logger.error('rate-limit violation sink failed', {
      error: errorInfo(error),
      endpoint: row.endpoint,
      plan: row.plan,
      count: row.count,
    });
  }
}
