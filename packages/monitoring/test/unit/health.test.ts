import { ServiceUnavailableError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createHealthCheck, createLogger, type HealthReport, healthHttpStatus } from '../../src/index.js';
import { captureStream } from '../support/capture.js';
import { deferred } from '../support/deferred.js';

const ok = async () => ({ healthy: true, latency: 1 });

describe('createHealthCheck', () => {
  it('healthy when every check passes; the one payload shape', async () => {
    const report = await createHealthCheck({ checks: { database: ok, cache: async () => 'PONG' } }).run();
    expect(report.status).toBe('healthy');
    expect(new Date(report.timestamp).toISOString()).toBe(report.timestamp);
    expect(report.checks.database).toEqual({ status: 'ok', latency: expect.any(Number) });
    expect(report.checks.cache?.status).toBe('ok');
    expect(healthHttpStatus(report)).toBe(200);
  });

  it('a critical check down → unhealthy (503); a non-critical one → degraded (200)', async () => {
    const down = async () => ({ healthy: false, error: 'HTTP 401 PGRST301' });
    const degraded = await createHealthCheck({
      checks: { database: ok, cache: down },
      critical: ['database'],
    }).run();
    expect(degraded.status).toBe('degraded');
    expect(healthHttpStatus(degraded)).toBe(200);
    const unhealthy = await createHealthCheck({
      checks: { database: down, cache: down },
      critical: ['database'],
    }).run();
    expect(unhealthy.status).toBe('unhealthy');
    expect(healthHttpStatus(unhealthy)).toBe(503);
  });

  it('fails a probe by rejection, by throwing, by {healthy:false} or {ok:false}; codes only in the report', async () => {
    const logs = captureStream();
    const logger = createLogger({ service: 'h', destination: logs.stream });
    const report = await createHealthCheck({
      logger,
      checks: {
        rejects: async () => {
          throw new ServiceUnavailableError('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
        },
        throws: () => {
          throw new Error('internal detail: /srv/app/secret.ts line 3');
        },
        resolvedFalse: async () => ({ healthy: false, error: 'HTTP 401 PGRST301' }),
        okFalse: async () => ({ ok: false, code: 'REDIS_DOWN', message: 'ECONNRESET 10.0.0.6' }),
        oddCode: async () => ({ ok: false, code: 'lower case text is not a code' }),
      },
    }).run();
    expect(report.checks).toEqual({
      rejects: { status: 'error', latency: expect.any(Number), code: 'SERVICE_UNAVAILABLE' },
      throws: { status: 'error', latency: expect.any(Number), code: 'CHECK_FAILED' },
      resolvedFalse: { status: 'error', latency: expect.any(Number), code: 'CHECK_FAILED' },
      okFalse: { status: 'error', latency: expect.any(Number), code: 'REDIS_DOWN' },
      oddCode: { status: 'error', latency: expect.any(Number), code: 'CHECK_FAILED' },
    });
    const body = JSON.stringify(report);
    for (const internal of ['ECONNREFUSED', 'hunter2', '/srv/app', 'PGRST301', 'ECONNRESET', 'lower case']) {
      expect(body).not.toContain(internal);
    }
    // The details went to the log instead (redacted).
    await logger.flush();
    const logged = logs.lines().join('\n');
    expect(logged).toContain('ECONNREFUSED');
    expect(logged).toContain('PGRST301');
    expect(logged).not.toContain('hunter2');
  });

  it('gives each probe its own deadline and aborts its signal; the others are not held up', async () => {
    let aborted = false;
    const report = await createHealthCheck({
      timeoutMs: 50,
      critical: ['database'],
      checks: {
        database: ok,
        hung: (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      },
    }).run();
    expect(report.status).toBe('degraded');
    expect(report.checks.hung).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(report.checks.database?.status).toBe('ok');
    expect(aborted).toBe(true);
  });

  it('calls onReport with every report; a failing hook (sync or async) is logged, never thrown', async () => {
    const reports: HealthReport[] = [];
    const logs = captureStream();
    const logger = createLogger({ service: 'h', destination: logs.stream });
    const check = createHealthCheck({ checks: { a: ok }, onReport: (r) => void reports.push(r) });
    await check.run();
    await check.run();
    expect(reports.map((r) => r.status)).toEqual(['healthy', 'healthy']);
    const failing = await createHealthCheck({
      logger,
      checks: { a: ok },
      onReport: () => {
        throw new Error('sync hook failure');
      },
    }).run();
    expect(failing.status).toBe('healthy');
    const asyncFailure = deferred<void>();
    await createHealthCheck({
      logger,
      checks: { a: ok },
      onReport: async () => {
        queueMicrotask(() => asyncFailure.resolve());
        throw new Error('async hook failure');
      },
    }).run();
    await asyncFailure.promise;
    await new Promise((resolve) => setImmediate(resolve));
    await logger.flush();
    expect(logs.lines().join('\n')).toContain('sync hook failure');
    expect(logs.lines().join('\n')).toContain('async hook failure');
  });

  it('refuses a critical name that is not a check, a non-function check and a bad timeout', () => {
    expect(() => createHealthCheck({ checks: { database: ok }, critical: ['databse'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createHealthCheck({ checks: { x: 'no' as never } })).toThrow(/not a function/);
    expect(() => createHealthCheck({ checks: {}, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
