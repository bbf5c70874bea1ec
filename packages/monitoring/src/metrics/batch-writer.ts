import { InvalidArgumentError } from '@mentora/errors';
import type { Logger } from '../logger/types.js';

export interface BatchWriterOptions<T> {
  /** Used in logs and stats (`performance_metrics`, `rate_limit_violations`…). */
  name: string;
  /**
   * Writes one batch (a multi-row insert). A rejection counts the rows as failed; they are not retried.
   * `signal` aborts when the write has taken longer than `writeTimeoutMs` (its rows then count as failed).
   */
  write(rows: T[], signal: AbortSignal): Promise<void>;
  /** Rows per `write` call (default 500). A full batch is written at once, without waiting for the timer. */
  maxBatchSize?: number;
  /** Buffered rows are written at least this often (default 5000 ms). */
  flushIntervalMs?: number;
  /** Rows held at most (default 10 000); beyond it new rows are dropped and counted, never awaited. */
  maxBuffered?: number;
  /** `write` calls in flight at most (default 2). */
  concurrency?: number;
  /**
   * A write that has not settled after this long counts as failed and frees its slot (default 30 000 ms):
   * a hung database must not hold the writer's slots, `flush()` or `close()` forever.
   */
  writeTimeoutMs?: number;
  /** How long `close()` keeps writing what is buffered before it gives up and counts the rest (default 5000 ms). */
  closeTimeoutMs?: number;
  logger?: Logger;
}

export interface BatchWriterStats {
  buffered: number;
  inFlight: number;
  written: number;
  /** Rows refused because the buffer was full (or the writer closed). */
  dropped: number;
  /** Rows whose `write` rejected or timed out, and rows still buffered when `close()` gave up. */
  failed: number;
}

/** A bounded, non-blocking buffer in front of a slow sink (the database). */
export interface BatchWriter<T> {
  /** Buffers one row; never blocks and never throws. Returns false when the row was dropped. */
  push(row: T): boolean;
  /** Writes everything buffered now; resolves when those writes have settled. Never rejects. */
  flush(): Promise<void>;
  /** Stops the timer, writes everything buffered within `closeTimeoutMs`, then refuses new rows. Idempotent. */
  close(): Promise<void>;
  stats(): BatchWriterStats;
}

function positive(name: string, value: number, integer: boolean): number {
  if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
    throw new InvalidArgumentError(
      `createBatchWriter: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`,
      { argument: name },
    );
  }
  return value;
}

/**
 * The one batching writer behind every metric and statistics sink: rows are buffered in memory and
 * written in batches on an interval, when a batch fills, and on close. A slow or failing database never
 * blocks the caller and never grows memory past `maxBuffered`.
 */
export function createBatchWriter<T>(options: BatchWriterOptions<T>): BatchWriter<T> {
  if (typeof options?.write !== 'function') {
    throw new InvalidArgumentError('createBatchWriter: `write` must be a function', { argument: 'write' });
  }
  const maxBatchSize = positive('maxBatchSize', options.maxBatchSize ?? 500, true);
  const maxBuffered = positive('maxBuffered', options.maxBuffered ?? 10_000, true);
  const concurrency = positive('concurrency', options.concurrency ?? 2, true);
  const flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 5_000, false);
  const writeTimeoutMs = positive('writeTimeoutMs', options.writeTimeoutMs ?? 30_000, false);
  const closeTimeoutMs = positive('closeTimeoutMs', options.closeTimeoutMs ?? 5_000, false);
  let buffer: T[] = [];
  const inFlight = new Set<Promise<void>>();
  let inFlightRows = 0;
  const stats = { written: 0, dropped: 0, failed: 0 };
  let closed = false;
  let closing: Promise<void> | undefined;
  let lastFailureLog = 0;
  let suppressedFailures = 0;

  const logFailure = (error: unknown, rows: number) => {
    // One line per interval at most: a database outage under load must not become a log flood.
    const now = Date.now();
    if (now - lastFailureLog < 10_000) {
      suppressedFailures += 1;
      return;
    }
    lastFailureLog = now;
    const suppressed = suppressedFailures;
    suppressedFailures = 0;
    options.logger?.warn('batch write failed; rows dropped', {
      writer: options.name,
      rows,
      error,
      suppressed,
      ...stats,
    });
  };

  const writeOne = (rows: T[]): Promise<void> => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`write timed out after ${writeTimeoutMs} ms`));
      }, writeTimeoutMs);
    });
    const attempt = Promise.resolve().then(() => options.write(rows, controller.signal));
    // The losing side of the race must not surface as an unhandled rejection.
    attempt.catch(() => {});
    return Promise.race([attempt, timedOut]).finally(() => clearTimeout(timer));
  };

  const startWrite = (rows: T[]): void => {
    inFlightRows += rows.length;
    const p: Promise<void> = writeOne(rows)
      .then(
        () => {
          stats.written += rows.length;
        },
        (error: unknown) => {
          stats.failed += rows.length;
          logFailure(error, rows.length);
        },
      )
      .finally(() => {
        inFlightRows -= rows.length;
        inFlight.delete(p);
        pump();
      });
    inFlight.add(p);
  };

  /** Starts writes while there are rows and free slots; `force` writes a partial batch. */
  let force = false;
  const pump = () => {
    while (buffer.length > 0 && inFlight.size < concurrency && (force || buffer.length >= maxBatchSize)) {
      startWrite(buffer.length <= maxBatchSize ? buffer.splice(0) : buffer.splice(0, maxBatchSize));
    }
    if (buffer.length === 0) force = false;
  };

  const drain = async (): Promise<void> => {
    force = true;
    pump();
    while (inFlight.size > 0) {
      await Promise.race(inFlight);
      force = true;
      pump();
    }
  };

  const timer = setInterval(() => {
    force = true;
    pump();
  }, flushIntervalMs);
  timer.unref();

  return {
    push(row) {
      if (closed || buffer.length >= maxBuffered) {
        stats.dropped += 1;
        return false;
      }
      buffer.push(row);
      if (buffer.length >= maxBatchSize) pump();
      return true;
    },
    flush: drain,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        let timeout: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timeout = setTimeout(() => resolve('timeout'), closeTimeoutMs);
        });
        const outcome = await Promise.race([drain().then(() => 'done' as const), timedOut]);
        clearTimeout(timeout);
        closed = true;
        if (outcome === 'timeout') {
          const lost = buffer.length + inFlightRows;
          stats.failed += buffer.length;
          buffer = [];
          options.logger?.warn('batch writer closed before every row was written', {
            writer: options.name,
            lost,
            timeoutMs: closeTimeoutMs,
          });
        }
      })();
      return closing;
    },
    stats: () => ({ buffered: buffer.length, inFlight: inFlightRows, ...stats }),
  };
}
