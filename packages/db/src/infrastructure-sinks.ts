import {
  type BatchWriterStats,
  createBatchWriter,
  type Logger,
  type MetricsBatchOptions,
} from '@mentora/monitoring';
import type {
  CacheStatisticsInsert,
  InfrastructureWriters,
  RateLimitViolationRow,
} from './infrastructure.js';

/**
 * What a rate limiter reports for one identity, endpoint and window (the shape of `@mentora/ratelimit`'s
 * `RateLimitViolation`, declared here so this package does not depend on the rate limiter).
 */
export interface ViolationReport {
  identity: string;
  identityType: string;
  endpoint: string;
  plan: string | null;
  limit: number;
  window: string;
  windowStart: Date;
  /** Denials since this process's previous report for the same window. */
  delta: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** The rate_limit_violations row of one report: the identity is stored as `<type>:<identity>`. */
export function violationRow(v: ViolationReport): RateLimitViolationRow {
  return {
    identifier: `${v.identityType}:${v.identity}`,
    endpoint: v.endpoint,
    plan: v.plan,
    limit_value: v.limit,
    window_label: v.window,
    window_start: v.windowStart.toISOString(),
    violation_count: Math.max(1, v.delta),
    first_seen_at: v.firstSeen.toISOString(),
    last_seen_at: v.lastSeen.toISOString(),
  };
}

export interface InfrastructureSinksOptions {
  /** From `createInfrastructureWriters(clients)`, or your own. */
  writers: Pick<InfrastructureWriters, 'cacheStatistics' | 'rateLimitViolations'>;
  logger?: Logger;
  /** Batching of both sinks (defaults: 500 rows per write, every 5 s, at most 10 000 rows held). */
  batch?: MetricsBatchOptions;
}

export interface InfrastructureSinks {
  /** `createCache({ statsSink })`: buffers the rows, never blocks the cache's flush. */
  cacheStatistics(rows: CacheStatisticsInsert[]): void;
  /** `createRateLimiter({ violationSink })`: buffers each report, so the limiter never waits on the database. */
  readonly rateLimitViolations: {
    record(violation: ViolationReport): void;
    recordMany(violations: ViolationReport[]): void;
  };
  /** Writes everything buffered now. Never rejects. */
  flush(): Promise<void>;
  /** Writes everything buffered (within `closeTimeoutMs`), then refuses new rows. Close it after the cache and the limiter. */
  close(): Promise<void>;
  stats(): { cacheStatistics: BatchWriterStats; rateLimitViolations: BatchWriterStats };
}

/**
 * The cache-statistics and rate-limit-violation sinks, on the batching writer: rows are buffered and
 * written in multi-row calls on an interval, when a batch fills and on close. Close the cache and the
 * rate limiter first (they hand over their last rows when they close), then these sinks.
 */
export function createInfrastructureSinks(options: InfrastructureSinksOptions): InfrastructureSinks {
  const common = { ...options.batch, ...(options.logger ? { logger: options.logger } : {}) };
  const stats = createBatchWriter<CacheStatisticsInsert>({
    ...common,
    name: 'cache_statistics',
    write: (rows, signal) => options.writers.cacheStatistics(rows, signal),
  });
  const violations = createBatchWriter<RateLimitViolationRow>({
    ...common,
    name: 'rate_limit_violations',
    write: (rows, signal) => options.writers.rateLimitViolations(rows, signal),
  });
  return {
    cacheStatistics(rows) {
      for (const row of rows) stats.push(row);
    },
    rateLimitViolations: {
      record(violation) {
        violations.push(violationRow(violation));
      },
      recordMany(reports) {
        for (const violation of reports) violations.push(violationRow(violation));
      },
    },
    async flush() {
      await Promise.all([stats.flush(), violations.flush()]);
    },
    async close() {
      await Promise.all([stats.close(), violations.close()]);
    },
    stats: () => ({ cacheStatistics: stats.stats(), rateLimitViolations: violations.stats() }),
  };
}
