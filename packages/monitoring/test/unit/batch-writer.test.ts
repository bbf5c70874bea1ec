import { describe, expect, it } from 'vitest';
import { createBatchWriter, createLogger } from '../../src/index.js';
import { captureStream } from '../support/capture.js';
import { type Deferred, deferred } from '../support/deferred.js';

/** A sink whose writes complete when the test says so. */
function controlledSink() {
  const calls: { rows: number[]; signal: AbortSignal; done: Deferred<void> }[] = [];
  const next = { waiter: deferred<void>() };
  return {
    calls,
    write(rows: number[], signal: AbortSignal) {
      const done = deferred<void>();
      calls.push({ rows, signal, done });
      next.waiter.resolve();
      next.waiter = deferred<void>();
      return done.promise;
    },
    /** Resolves once the sink has been called `n` times in total. */
    async called(n: number) {
      while (calls.length < n) await next.waiter.promise;
    },
  };
}

describe('createBatchWriter', () => {
  it('writes a full batch at once, the rest on flush, in order', async () => {
    const written: number[][] = [];
    const w = createBatchWriter<number>({
      name: 't',
      maxBatchSize: 3,
      flushIntervalMs: 3_600_000,
      write: async (rows) => void written.push(rows),
    });
    for (let i = 1; i <= 7; i++) w.push(i);
    await w.flush();
    expect(written).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(w.stats()).toMatchObject({ buffered: 0, inFlight: 0, written: 7, dropped: 0, failed: 0 });
    await w.close();
  });

  it('writes on its interval without anyone calling flush', async () => {
    const sink = controlledSink();
    const w = createBatchWriter<number>({ name: 't', flushIntervalMs: 5, write: (r, s) => sink.write(r, s) });
    w.push(1);
    await sink.called(1);
    sink.calls[0]?.done.resolve();
    expect(sink.calls[0]?.rows).toEqual([1]);
    await w.close();
  });

  it('never blocks the caller: bounded buffer, overflow dropped and counted, at most `concurrency` writes', async () => {
    const sink = controlledSink();
    const w = createBatchWriter<number>({
      name: 't',
      maxBatchSize: 2,
      maxBuffered: 4,
      concurrency: 1,
      flushIntervalMs: 3_600_000,
      write: (r, s) => sink.write(r, s),
    });
    const accepted = Array.from({ length: 10 }, (_, i) => w.push(i));
    // 2 went to the single in-flight write, 4 are buffered, the other 4 were dropped.
    expect(accepted.filter(Boolean)).toHaveLength(6);
    expect(w.stats()).toMatchObject({ buffered: 4, inFlight: 2, dropped: 4 });
    await sink.called(1);
    expect(sink.calls).toHaveLength(1);
    sink.calls[0]?.done.resolve();
    await sink.called(2);
    expect(sink.calls[1]?.rows).toEqual([2, 3]);
    sink.calls[1]?.done.resolve();
    await sink.called(3);
    sink.calls[2]?.done.resolve();
    await w.flush();
    expect(w.stats()).toMatchObject({ buffered: 0, inFlight: 0, written: 6, dropped: 4, failed: 0 });
    await w.close();
  });

  it('counts failed writes, logs them once per interval, and keeps going', async () => {
    const logs = captureStream();
    const logger = createLogger({ service: 's', destination: logs.stream });
    let fail = true;
    const written: number[][] = [];
    const w = createBatchWriter<number>({
      name: 'metrics',
      maxBatchSize: 1,
      flushIntervalMs: 3_600_000,
      logger,
      write: async (rows) => {
        if (fail) throw new Error('PostgREST down');
        written.push(rows);
      },
    });
    w.push(1);
    w.push(2);
    w.push(3);
    await w.flush();
    fail = false;
    w.push(4);
    await w.close();
    expect(w.stats()).toMatchObject({ written: 1, failed: 3 });
    expect(written).toEqual([[4]]);
    await logger.flush();
    const lines = logs.records().filter((r) => r.message === 'batch write failed; rows dropped');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ writer: 'metrics', error: { message: 'PostgREST down' } });
  });

  it('a write that never settles is given up after writeTimeoutMs: its signal aborts, its slot frees', async () => {
    const sink = controlledSink();
    const w = createBatchWriter<number>({
      name: 't',
      concurrency: 1,
      writeTimeoutMs: 20,
      flushIntervalMs: 3_600_000,
      write: (r, s) => sink.write(r, s),
    });
    w.push(1);
    const flushed = w.flush();
    await sink.called(1);
    await flushed; // resolves although the sink never answered
    expect(sink.calls[0]?.signal.aborted).toBe(true);
    expect(w.stats()).toMatchObject({ failed: 1, inFlight: 0 });
    w.push(2);
    const second = w.flush();
    await sink.called(2);
    sink.calls[1]?.done.resolve();
    await second;
    expect(w.stats()).toMatchObject({ written: 1, failed: 1 });
    await w.close();
  });

  it('close() writes everything buffered, then refuses rows; a hung sink cannot hold it past closeTimeoutMs', async () => {
    const written: number[] = [];
    const w = createBatchWriter<number>({
      name: 't',
      maxBatchSize: 10,
      flushIntervalMs: 3_600_000,
      write: async (rows) => void written.push(...rows),
    });
    for (let i = 0; i < 25; i++) w.push(i);
    await w.close();
    expect(written).toHaveLength(25);
    expect(w.push(99)).toBe(false);
    expect(w.stats().dropped).toBe(1);

    const hung = createBatchWriter<number>({
      name: 'hung',
      closeTimeoutMs: 20,
      flushIntervalMs: 3_600_000,
      concurrency: 1,
      maxBatchSize: 1,
      write: () => new Promise(() => {}),
    });
    hung.push(1);
    hung.push(2);
    await hung.close();
    // The buffered row is counted as failed now; the one in flight when its write times out.
    expect(hung.stats()).toMatchObject({ buffered: 0, failed: 1, inFlight: 1 });
  });

  it('refuses unusable options', () => {
    expect(() => createBatchWriter({ name: 'x', write: 'no' as never })).toThrow(/write/);
    expect(() => createBatchWriter({ name: 'x', write: async () => {}, maxBatchSize: 0 })).toThrow(
      /maxBatchSize/,
    );
    expect(() => createBatchWriter({ name: 'x', write: async () => {}, concurrency: 1.5 })).toThrow(
      /concurrency/,
    );
  });
});
