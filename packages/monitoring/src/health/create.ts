import { InvalidArgumentError } from '@mentora/errors';
import type { Logger } from '../logger/types.js';
import type { CheckResult, HealthProbe, HealthReport, HealthStatus } from './types.js';

export interface HealthCheckOptions {
  /** The dependencies to probe, by the name they have in the report. */
  checks: Record<string, HealthProbe>;
  /** Names whose failure makes the whole report `unhealthy`; any other failing check makes it `degraded`. */
  critical?: readonly string[];
  /** Each probe's own deadline in ms (default 2000); one that takes longer counts as failed (`TIMEOUT`). */
  timeoutMs?: number;
  /** Failure details (messages, causes) go here, never into the report. */
  logger?: Logger;
  /** Called with every report, e.g. to write system_health_logs through a batching writer. Must not throw. */
  onReport?: (report: HealthReport) => void | Promise<void>;
}

export interface HealthCheck {
  /** Runs every probe concurrently, each under its own timeout. Never rejects. */
  run(): Promise<HealthReport>;
}

/** The HTTP status a health endpoint answers with: 503 when unhealthy (take me out of rotation), else 200. */
export function healthHttpStatus(report: Pick<HealthReport, 'status'>): 200 | 503 {
  return report.status === 'unhealthy' ? 503 : 200;
}

const TIMEOUT = Symbol('timeout');

function failureCode(value: unknown): string {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'CHECK_FAILED';
}

function resolvedFailure(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { healthy?: unknown; ok?: unknown };
  return v.healthy === false || v.ok === false;
}

async function probeOne(
  name: string,
  probe: HealthProbe,
  timeoutMs: number,
  logger?: Logger,
): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = performance.now();
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => probe(controller.signal)),
      new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMEOUT), timeoutMs);
      }),
    ]);
    const latency = Math.round(performance.now() - started);
    if (value === TIMEOUT) {
      controller.abort();
      logger?.warn('health check timed out', { check: name, timeoutMs });
      return { status: 'error', latency, code: 'TIMEOUT' };
    }
    if (resolvedFailure(value)) {
      logger?.warn('health check failed', { check: name, result: value });
      return { status: 'error', latency, code: failureCode(value) };
    }
    return { status: 'ok', latency };
  } catch (error) {
    logger?.warn('health check failed', { check: name, error });
    return { status: 'error', latency: Math.round(performance.now() - started), code: failureCode(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Aggregates dependency probes into the one health payload: `{ status, timestamp, checks }` with each
 * check's `status` and `latency`. A critical check down → `unhealthy`, any other → `degraded`.
 */
export function createHealthCheck(options: HealthCheckOptions): HealthCheck {
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidArgumentError(
      `createHealthCheck: timeoutMs must be a positive number, got ${timeoutMs}`,
      {
        argument: 'timeoutMs',
      },
    );
  }
  const entries = Object.entries(options.checks ?? {});
  for (const [name, probe] of entries) {
    if (typeof probe !== 'function') {
      throw new InvalidArgumentError(`createHealthCheck: check "${name}" is not a function`, {
        argument: 'checks',
      });
    }
  }
  const critical = new Set(options.critical ?? []);
  for (const name of critical) {
    // A typo here would silently turn a critical dependency into a non-critical one.
    if (!Object.hasOwn(options.checks, name)) {
      throw new InvalidArgumentError(`createHealthCheck: critical check "${name}" is not among the checks`, {
        argument: 'critical',
      });
    }
  }
  return {
    async run() {
      const results = await Promise.all(
        entries.map(([name, probe]) => probeOne(name, probe, timeoutMs, options.logger)),
      );
      const checks: Record<string, CheckResult> = {};
      let status: HealthStatus = 'healthy';
      results.forEach((result, i) => {
        const name = (entries[i] as [string, HealthProbe])[0];
        checks[name] = result;
        if (result.status === 'error')
          status = critical.has(name) ? 'unhealthy' : status === 'unhealthy' ? status : 'degraded';
      });
      const report: HealthReport = { status, timestamp: new Date().toISOString(), checks };
      try {
        const pending = options.onReport?.(report) as unknown;
        // An async hook's rejection must not become an unhandled rejection.
        if (pending && typeof (pending as Promise<void>).then === 'function') {
          (pending as Promise<void>).then(undefined, (error: unknown) =>
            options.logger?.warn('health report hook failed', { error }),
          );
        }
      } catch (error) {
        options.logger?.warn('health report hook failed', { error });
      }
      return report;
    },
  };
}
