import { EventEmitter, once } from 'node:events';
import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger, getContext, runWithContext, setContextFields } from '../../src/index.js';
import { captureStream } from '../support/capture.js';
import { type Deferred, deferred } from '../support/deferred.js';

describe('request context', () => {
  it('is undefined outside a run, and setContextFields says so', () => {
    expect(getContext()).toBeUndefined();
    expect(setContextFields({ userId: 'u' })).toBe(false);
  });

  it('follows awaits, timers, immediates, intervals, microtasks and event emitters', async () => {
    const seen: unknown[] = [];
    const emitter = new EventEmitter();
    await runWithContext({ requestId: 'r1' }, async () => {
      await sleep(1);
      seen.push(getContext()?.requestId);
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          seen.push(getContext()?.requestId);
          resolve();
        }, 1),
      );
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          clearInterval(timer);
          seen.push(getContext()?.requestId);
          resolve();
        }, 1);
      });
      await immediate();
      seen.push(getContext()?.requestId);
      queueMicrotask(() => seen.push(getContext()?.requestId));
      await Promise.resolve();
      emitter.on('ping', () => seen.push(getContext()?.requestId));
    });
    // Listeners run in the context of whoever emits: outside any run here.
    const ping = once(emitter, 'ping');
    emitter.emit('ping');
    await ping;
    expect(seen).toEqual(['r1', 'r1', 'r1', 'r1', 'r1', undefined]);
  });

  it('merges nested runs (inner wins) without changing the outer one', async () => {
    await runWithContext({ requestId: 'outer', route: '/a' }, async () => {
      await runWithContext({ requestId: 'inner', jobRunId: 'j1' }, async () => {
        expect(getContext()).toEqual({ requestId: 'inner', route: '/a', jobRunId: 'j1' });
      });
      expect(getContext()).toEqual({ requestId: 'outer', route: '/a' });
    });
  });

  it('setContextFields adds to the current run, visible to what runs later in it', async () => {
    await runWithContext({ requestId: 'r' }, async () => {
      const later = (async () => {
        await sleep(2);
        return getContext()?.userId;
      })();
      expect(setContextFields({ userId: 'u1' })).toBe(true);
      expect(await later).toBe('u1');
    });
  });

  it('two interleaved runs never see each other’s fields, even when they take turns on every await', async () => {
    const out = captureStream();
    const logger = createLogger({ service: 's', destination: out.stream, level: 'debug' });
    const gate = { a: deferred<void>(), b: deferred<void>() };
    const run = (id: string, mine: Deferred<void>, theirs: Deferred<void>) =>
      runWithContext({ requestId: id }, async () => {
        for (let step = 0; step < 20; step++) {
          logger.info('step', { step, expected: id });
          if (step === 5) setContextFields({ userId: `user-of-${id}` });
          // Hand over to the other run and wait for it to hand back.
          theirs.resolve();
          await mine.promise;
          Object.assign(mine, deferred<void>());
        }
        theirs.resolve();
      });
    await Promise.all([run('A', gate.a, gate.b), run('B', gate.b, gate.a)]);
    await logger.flush();
    const records = out.records();
    expect(records).toHaveLength(40);
    for (const r of records) {
      expect(r.requestId).toBe(r.expected);
      if ((r.step as number) > 5) expect(r.userId).toBe(`user-of-${r.expected}`);
      else expect(r.userId).toBeUndefined();
    }
    // They really did interleave.
    expect(records.slice(0, 4).map((r) => r.requestId)).toEqual(['A', 'B', 'A', 'B']);
  });

  it('many concurrent requests with random timers keep their own context', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runWithContext({ requestId: `r${i}` }, async () => {
          await sleep(i % 7);
          await immediate();
          await sleep((i * 13) % 5);
          return getContext()?.requestId;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
  });
});
