import { InvalidArgumentError } from '@mentora/errors';
import { type HealthCheck, type HealthReport, healthHttpStatus } from '@mentora/monitoring';
import type { Lifecycle } from './lifecycle.js';

export interface HealthHandlersOptions {
  /** `createHealthCheck(...)` from `@mentora/monitoring`. */
  check: Pick<HealthCheck, 'run'>;
  /** While it drains, `ready` answers 503 (and `health` reports it). */
  lifecycle?: Pick<Lifecycle, 'draining'>;
  /** How long a report is reused (ms, default 1 000), so polling the endpoint stays cheap. 0 disables. */
  cacheMs?: number;
}

/** A handler usable as a Next.js route export (`export const GET = health`). */
export type HealthHandler = (request?: Request) => Promise<Response>;

export interface HealthHandlers {
  /** `/api/health`: the monitoring report (`{ status, timestamp, checks }`); 503 when unhealthy. */
  health: HealthHandler;
  /** Liveness: 200 while the process can answer at all; no dependency is touched. */
  live: HealthHandler;
  /** Readiness: 200, or 503 while draining for shutdown. */
  ready: HealthHandler;
}

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: HEADERS });
}

/**
 * Health endpoints over monitoring's health check. Reports are memoised for `cacheMs` and concurrent
 * callers share the one check in flight, so a load balancer and a status page polling together cost
 * one round of probes per second at most. The report carries only statuses, latencies and stable
 * codes — failure details stay in the check's logger.
 */
export function createHealthHandlers(options: HealthHandlersOptions): HealthHandlers {
  if (typeof options?.check?.run !== 'function') {
    throw new InvalidArgumentError('createHealthHandlers: check (a HealthCheck) is required', {
      argument: 'check',
    });
  }
  const cacheMs = options.cacheMs ?? 1_000;
  if (!(Number.isFinite(cacheMs) && cacheMs >= 0)) {
    throw new InvalidArgumentError(`createHealthHandlers: cacheMs must be ≥ 0, got ${cacheMs}`, {
      argument: 'cacheMs',
    });
  }
  let cached: { report: HealthReport; at: number } | undefined;
  let inFlight: Promise<HealthReport> | undefined;

  const report = (): Promise<HealthReport> => {
    if (cached && performance.now() - cached.at < cacheMs) return Promise.resolve(cached.report);
    inFlight ??= options.check
      .run()
      .then((r) => {
        cached = { report: r, at: performance.now() };
        return r;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    async health() {
      const r = await report();
      const body = options.lifecycle?.draining ? { ...r, draining: true } : r;
      return json(body, healthHttpStatus(r));
    },
    async live() {
      return json({ status: 'ok', timestamp: new Date().toISOString() }, 200);
    },
    async ready() {
      const draining = options.lifecycle?.draining === true;
      return json(
        { status: draining ? 'draining' : 'ready', timestamp: new Date().toISOString() },
        draining ? 503 : 200,
      );
    },
  };
}
