import { createHealthCheck } from '@mentora/monitoring';
import { describe, expect, it } from 'vitest';
import { createHealthHandlers, createLifecycle, shutdownOnSignals } from '../../src/index.js';
import { recordingLogger } from '../support/recorders.js';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createHealthHandlers', () => {
  it('answers the monitoring report: 200 healthy/degraded, 503 unhealthy, no internal error text', async () => {
    let dbDown = false;
    const check = createHealthCheck({
      checks: {
        database: async () => {
          if (dbDown)
            throw Object.assign(new Error('password authentication failed for user "postgres"'), {
              code: 'DB_DOWN',
            });
        },
        cache: async () => ({ healthy: false }),
      },
      critical: ['database'],
    });
    const { health } = createHealthHandlers({ check, cacheMs: 0 });
    const degraded = await health();
    expect(degraded.status).toBe(200);
    const body = (await degraded.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'degraded',
      checks: { database: { status: 'ok' }, cache: { status: 'error', code: 'CHECK_FAILED' } },
    });
    dbDown = true;
    const down = await health();
    expect(down.status).toBe(503);
    const text = await down.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 'unhealthy',
      checks: { database: { status: 'error', code: 'DB_DOWN' } },
    });
    expect(text).not.toMatch(/password|postgres/);
    expect(down.headers.get('cache-control')).toBe('no-store');
  });

  it('memoises a report and lets concurrent callers share one run', async () => {
    let runs = 0;
    const gate = deferred();
    const check = {
      run: async () => {
        runs++;
        await gate.promise;
        return { status: 'healthy' as const, timestamp: new Date().toISOString(), checks: {} };
      },
    };
    const { health } = createHealthHandlers({ check, cacheMs: 60_000 });
    const all = Promise.all(Array.from({ length: 20 }, () => health()));
    gate.resolve();
    expect((await all).every((r) => r.status === 200)).toBe(true);
    await health();
    expect(runs).toBe(1);
    const uncached = createHealthHandlers({ check, cacheMs: 0 });
    await uncached.health();
    await uncached.health();
    expect(runs).toBe(3);
  });

  it('live never touches dependencies; ready is 503 while draining', async () => {
    let runs = 0;
    const lifecycle = createLifecycle();
    const handlers = createHealthHandlers({
      check: {
        run: async () => {
          runs++;
          return { status: 'unhealthy', timestamp: '', checks: {} };
        },
      },
      lifecycle,
    });
    expect((await handlers.live()).status).toBe(200);
    expect((await handlers.ready()).status).toBe(200);
    expect(runs).toBe(0);
    await lifecycle.shutdown();
    expect((await handlers.live()).status).toBe(200);
    const ready = await handlers.ready();
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining' });
  });
});

describe('createLifecycle', () => {
  it('waits for in-flight requests, then runs hooks in reverse order; failures are logged, not thrown', async () => {
    const { logger, lines } = recordingLogger();
    const lifecycle = createLifecycle({ logger });
    const order: string[] = [];
    lifecycle.onShutdown(() => void order.push('close redis'), { name: 'redis' });
    lifecycle.onShutdown(
      async () => {
        order.push('flush metrics');
        throw new Error('writer gone');
      },
      { name: 'metrics' },
    );
    lifecycle.onShutdown(() => void order.push('flush logs'), { name: 'logs' });
    const release = lifecycle.enter();
    expect(release).toBeTypeOf('function');
    const done = lifecycle.shutdown({ timeoutMs: 60_000 });
    expect(lifecycle.enter()).toBeUndefined();
    expect(order).toEqual([]);
    release?.();
    release?.(); // idempotent
    const report = await done;
    expect(order).toEqual(['flush logs', 'flush metrics', 'close redis']);
    expect(report).toEqual({
      abandonedRequests: 0,
      hooks: [
        { name: 'logs', status: 'ok' },
        { name: 'metrics', status: 'error' },
        { name: 'redis', status: 'ok' },
      ],
    });
    expect(lines.some((l) => l.level === 'error' && l.fields.hook === 'metrics')).toBe(true);
    expect(lifecycle.shutdown()).toBe(done);
  });

  it('bounds the drain and each hook', async () => {
    const lifecycle = createLifecycle({ hookTimeoutMs: 1 });
    lifecycle.enter(); // never released
    lifecycle.onShutdown(() => new Promise(() => {}), { name: 'hung' });
    const after: string[] = [];
    lifecycle.onShutdown(() => void after.push('ran'), { name: 'first' });
    const report = await lifecycle.shutdown({ timeoutMs: 1 });
    expect(report.abandonedRequests).toBe(1);
    expect(report.hooks).toEqual([
      { name: 'first', status: 'ok' },
      { name: 'hung', status: 'timeout' },
    ]);
  });

  it('a removed hook does not run', async () => {
    const lifecycle = createLifecycle();
    let ran = false;
    const remove = lifecycle.onShutdown(() => {
      ran = true;
    });
    remove();
    await lifecycle.shutdown();
    expect(ran).toBe(false);
  });
});

describe('shutdownOnSignals', () => {
  it('runs the shutdown on the first signal and removes its listeners when disposed', async () => {
    const lifecycle = createLifecycle();
    const ran = deferred();
    lifecycle.onShutdown(() => ran.resolve());
    const before = process.listenerCount('SIGUSR2');
    const dispose = shutdownOnSignals(lifecycle, { signals: ['SIGUSR2'], exit: false });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    await ran.promise;
    expect(lifecycle.draining).toBe(true);
    dispose();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
