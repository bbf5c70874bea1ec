/** Overall status: every check ok; a non-critical check failing; a critical check failing. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** One dependency's result, safe to show publicly: a status, the milliseconds taken and a stable code. */
export interface CheckResult {
  status: 'ok' | 'error';
  latency: number;
  /** On error only: a stable code (`TIMEOUT`, `SERVICE_UNAVAILABLE`, …), never internal text. */
  code?: string;
}

/** The health payload every Mentora process answers with (`/api/health`, the worker's `/health`). */
export interface HealthReport {
  status: HealthStatus;
  timestamp: string;
  checks: Record<string, CheckResult>;
}

/**
 * Probes one dependency. It fails by rejecting, or by resolving an object with `healthy: false` or
 * `ok: false` (so `checkDatabaseHealth` and `cache.healthCheck()` results plug in as they are); a
 * `code` on the rejection or the result is reported, everything else only logged.
 */
export type HealthProbe = (signal: AbortSignal) => Promise<unknown>;
