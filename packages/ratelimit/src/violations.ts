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

/**
 * A sink that can also take many rows in one call (a multi-row insert or RPC). When it has
 * `recordMany`, final reports waiting for a free slot (a flood at shutdown) go out in batches instead of
 * one call each.
 */
export interface BatchViolationSink extends ViolationSink {
  recordMany?(violations: RateLimitViolation[]): void | Promise<void>;
}

/** Rows per `recordMany` call. */
const MANY_CHUNK = 500;

export interface ViolationRecorderOptions {
  sink: ViolationSink;
  logger: RateLimitLogger;
  maxEntries: number;
  flushIntervalMs: number;
  /**
   * Sink calls allowed in flight at once. Beyond it, interim reports are deferred (the next report
   * carries their delta) and final reports wait in a queue (bounded by `maxEntries`) for a free slot.
   */
  maxPending: number;
  /** Longest time close() spends delivering what is left (queued final reports, calls in flight). */
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
  /** Retired aggregates whose final report waits for a free sink slot, oldest first. */
  #finals: ViolationAggregate[] = [];
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

  /**
   * Retires every aggregate and delivers every final report — in multi-row calls when the sink has
   * `recordMany`, otherwise with at most `maxPending` calls in flight — within `closeTimeoutMs`. What
   * is still undelivered at the deadline is counted as dropped and logged; a hung sink cannot hang
   * shutdown.
   */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    for (const agg of this.#entries.values()) this.#retire(agg);
    if (this.#pending.size === 0 && this.#finals.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#options.closeTimeoutMs);
    });
    const outcome = await Promise.race([this.#drain().then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const undelivered = this.#finals.length;
      for (let i = 0; i < undelivered; i++) this.#options.onDropped();
      this.#finals = [];
      this.#options.logger.error('rate-limit violation sink calls still pending at close; not waiting', {
        pending: this.#pending.size,
        undelivered,
        timeoutMs: this.#options.closeTimeoutMs,
      });
    }
  }

  /** Sends queued final reports while slots are free, until the queue is empty and every call settled. */
  async #drain(): Promise<void> {
    this.#pump();
    while (this.#pending.size > 0 || this.#finals.length > 0) {
      if (this.#pending.size > 0) await Promise.race(this.#pending);
      this.#pump();
    }
  }

  /** Hands queued final reports to the sink while it has free slots. */
  #pump(): void {
    const many = (this.#options.sink as BatchViolationSink).recordMany;
    while (this.#finals.length > 0 && this.#pending.size < this.#options.maxPending) {
      if (typeof many === 'function' && this.#finals.length > 1) {
        const chunk = this.#finals.splice(0, MANY_CHUNK).filter((agg) => agg.count > agg.reported);
        if (chunk.length === 0) continue;
        const rows = chunk.map((agg) => this.#row(agg));
        for (let i = 0; i < rows.length; i++) this.#options.onReported();
        this.#call(() => many.call(this.#options.sink, rows), rows);
      } else {
        const agg = this.#finals.shift() as ViolationAggregate;
        this.#send(agg);
      }
    }
  }

  #retire(agg: ViolationAggregate): void {
    this.#entries.delete(agg.mapKey);
    if (!agg.closed && agg.count > agg.reported) this.#report(agg, true);
    agg.closed = true;
  }

  #report(agg: ViolationAggregate, final = false): void {
    if (this.#pending.size < this.#options.maxPending && this.#finals.length === 0) {
      this.#send(agg);
      return;
    }
    // A slow sink under a flood of denials from many identities: don't pile up calls (and rows, and
    // connections). An interim report is deferred — `reported` stays, so the next call carries the
    // delta; a final one waits for a free slot. The queue holds at most one entry per tracked
    // aggregate's worth (maxEntries); beyond it the oldest final report is dropped and counted.
    if (!final) return;
    if (this.#finals.length >= this.#options.maxEntries) {
      this.#finals.shift();
      this.#options.onDropped();
    }
    this.#finals.push(agg);
  }

  /** The row of an aggregate now, and marks its count as reported. */
  #row(agg: ViolationAggregate): RateLimitViolation {
    const delta = agg.count - agg.reported;
    agg.reported = agg.count;
    const { algorithm: _algorithm, ...scope } = agg.scope;
    return {
      ...scope,
      windowStart: new Date(agg.windowStart),
      count: agg.count,
      delta,
      firstSeen: new Date(agg.firstSeen),
      lastSeen: new Date(agg.lastSeen),
    };
  }

  #send(agg: ViolationAggregate): void {
    // Bumps after the report was queued are included: the delta is taken when the row is sent.
    if (agg.count <= agg.reported) return;
    const row = this.#row(agg);
    this.#options.onReported();
    this.#call(() => this.#options.sink.record(row), [row]);
  }

  /** Calls the sink; a returned promise occupies a slot until it settles, and frees the next queued report. */
  #call(invoke: () => void | Promise<void>, rows: RateLimitViolation[]): void {
    let outcome: void | Promise<void>;
    try {
      outcome = invoke();
    } catch (error) {
      this.#sinkFailed(error, rows);
      return;
    }
    if (outcome !== undefined && typeof (outcome as Promise<void>).then === 'function') {
      const tracked: Promise<void> = Promise.resolve(outcome).then(
        () => {
          this.#pending.delete(tracked);
          this.#pump();
        },
        (error: unknown) => {
          this.#pending.delete(tracked);
          this.#sinkFailed(error, rows);
          this.#pump();
        },
      );
      this.#pending.add(tracked);
    }
  }

  #sinkFailed(error: unknown, rows: RateLimitViolation[]): void {
    this.#options.onSinkError();
    const first = rows[0];
    // Never rethrown: a failing audit table must not fail or slow the request being limited.
    this.#options.logger.error('rate-limit violation sink failed', {
      error: errorInfo(error),
      rows: rows.length,
      endpoint: first?.endpoint,
      plan: first?.plan,
      count: first?.count,
    });
  }
}
