/** Cumulative counters of one cache (one namespace) since it was created. */
export interface CacheStats {
  namespace: string;
  hits: number;
  /** Hits answered by the in-process L1 tier (included in `hits`). */
  l1Hits: number;
  misses: number;
  /** Store failures (including calls short-circuited by the circuit breaker) and undecodable values. */
  errors: number;
  sets: number;
  deletes: number;
  /** How many times a `getOrCompute` compute function ran. */
  computes: number;
  /** hits / (hits + misses); 0 before any read. */
  hitRatio: number;
}

/**
 * One row of the `cache_statistics` table: the counts of one namespace over one period. `hit_ratio`
 * is not included because the table generates it from hits and misses.
 */
export interface CacheStatisticsRow {
  namespace: string;
  hits: number;
  misses: number;
  sets: number;
  deletes: number;
  errors: number;
  /** ISO 8601. */
  period_start: string;
  /** ISO 8601. */
  period_end: string;
}

/** Where periodic statistics go (e.g. an insert into `cache_statistics`). A rejection keeps the counts. */
export type CacheStatsSink = (rows: CacheStatisticsRow[]) => Promise<void> | void;

/** Plain counters: the hot path only increments fields. */
export class Counters {
  hits = 0;
  l1Hits = 0;
  misses = 0;
  errors = 0;
  sets = 0;
  deletes = 0;
  computes = 0;
}

type Flushed = Pick<Counters, 'hits' | 'misses' | 'sets' | 'deletes' | 'errors'>;

/**
 * Turns the counters into `cache_statistics` rows of what happened since the last successful flush.
 * A failed sink call rolls its delta back into the next one, so no count is lost.
 */
export class StatsFlusher {
  private flushed: Flushed = { hits: 0, misses: 0, sets: 0, deletes: 0, errors: 0 };
  private periodStart = new Date();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly namespace: string,
    private readonly counters: Counters,
    private readonly sink: CacheStatsSink,
    private readonly onError: (err: unknown, row: CacheStatisticsRow) => void,
  ) {}

  /** Serialised: concurrent calls run one after another, never double-counting. Never rejects. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.flushOnce());
    return this.chain;
  }

  private async flushOnce(): Promise<void> {
    const c = this.counters;
    const taken: Flushed = {
      hits: c.hits - this.flushed.hits,
      misses: c.misses - this.flushed.misses,
      sets: c.sets - this.flushed.sets,
      deletes: c.deletes - this.flushed.deletes,
      errors: c.errors - this.flushed.errors,
    };
    if (taken.hits + taken.misses + taken.sets + taken.deletes + taken.errors === 0) return;
    const periodEnd = new Date();
    const row: CacheStatisticsRow = {
      namespace: this.namespace,
      ...taken,
      period_start: this.periodStart.toISOString(),
      period_end: periodEnd.toISOString(),
    };
    try {
      await this.sink([row]);
    } catch (err) {
      try {
        this.onError(err, row);
      } catch {
        // A failing logger must not break the chain (the timer would surface it as an unhandled rejection).
      }
      return; // nothing advanced: the next flush reports this delta again, over the longer period
    }
    this.flushed = {
      hits: this.flushed.hits + taken.hits,
      misses: this.flushed.misses + taken.misses,
      sets: this.flushed.sets + taken.sets,
      deletes: this.flushed.deletes + taken.deletes,
      errors: this.flushed.errors + taken.errors,
    };
    this.periodStart = periodEnd;
  }
}

/** Flushes a cache's statistics every `intervalMs` (a timer that never keeps the process alive). */
export class StatsReporter {
  private readonly flusher: StatsFlusher;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    namespace: string,
    counters: Counters,
    sink: CacheStatsSink,
    intervalMs: number,
    onError: (err: unknown, row: CacheStatisticsRow) => void,
  ) {
    this.flusher = new StatsFlusher(namespace, counters, sink, onError);
    this.timer = setInterval(() => void this.flusher.flush(), intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    return this.flusher.flush();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function snapshot(namespace: string, c: Counters): CacheStats {
  const reads = c.hits + c.misses;
  return {
    namespace,
    hits: c.hits,
    l1Hits: c.l1Hits,
    misses: c.misses,
    errors: c.errors,
    sets: c.sets,
    deletes: c.deletes,
    computes: c.computes,
    hitRatio: reads === 0 ? 0 : c.hits / reads,
  };
}
