import { getContext } from '../context.js';
import type { HealthReport } from '../health/types.js';
import type { Logger } from '../logger/types.js';
import { isoNow } from '../util/iso-now.js';
import {
  type BatchWriter,
  type BatchWriterOptions,
  type BatchWriterStats,
  createBatchWriter,
} from './batch-writer.js';
import { type AIPriceTable, aiCostUsd, DEFAULT_AI_PRICES, PriceBook } from './prices.js';
import type {
  AIUsageRow,
  ApiRequestLogRow,
  MetricsWriters,
  PerformanceMetricRow,
  SystemHealthLogRow,
} from './rows.js';

/** Batching settings applied to every table's writer. */
export type MetricsBatchOptions = Omit<BatchWriterOptions<unknown>, 'name' | 'write' | 'logger'>;

export interface CreateMetricsOptions {
  /** One multi-row insert per table (e.g. `createInfrastructureWriters(clients)` from `@mentora/db`). */
  writers: MetricsWriters;
  /** AI prices merged over `DEFAULT_AI_PRICES`, model by model (USD per 1M tokens). */
  prices?: AIPriceTable;
  /** Where failed writes, invalid records and unknown AI prices are reported (throttled). */
  logger?: Logger;
  /** The `service` of system_health_logs rows (default `app`). */
  service?: string;
  batch?: MetricsBatchOptions;
}

export interface RecordPerformanceOptions {
  /** Default `ms`. */
  unit?: string;
  tags?: Record<string, unknown>;
}

export interface RequestRecord {
  method: string;
  /** The route path; anything after `?` is dropped (query strings carry tokens and explode cardinality). */
  path: string;
  statusCode: number;
  durationMs: number;
  /** Default: the request context's `requestId`. */
  requestId?: string | null;
  /** A UUID (the column's type); default: the request context's `userId`. Anything else is stored as null. */
  userId?: string | null;
  /** The client address as resolved by the trusted-proxy setting, never a raw client header. */
  clientIp?: string | null;
  userAgent?: string | null;
  errorCode?: string | null;
}

export interface AIUsageRecord {
  provider: string;
  model: string;
  /** What the call did: `chat`, `embedding`, `transcription`… */
  operation: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs?: number | null;
  /** Default true. */
  success?: boolean;
  errorCode?: string | null;
  /** Default: the request context's `userId`. */
  userId?: string | null;
  creatorId?: string | null;
  /** Default: the request context's `requestId`. */
  requestId?: string | null;
}

export interface MetricsStats {
  /** Per table, for the tables that have a writer. */
  tables: Partial<Record<keyof MetricsWriters, BatchWriterStats>>;
  /** Records refused before buffering because a value could not be stored (NaN duration, status 42…). */
  invalid: number;
  /** AI usage records whose provider and model have no price (stored with cost 0). */
  unknownPrices: number;
}

/**
 * Records to the infrastructure tables. Every `record*` call only validates and buffers a row (no
 * await, no I/O): it returns false when the row was not kept (invalid, the table has no writer, or the
 * buffer is full), and never throws — a metric must never fail the request it measures.
 */
export interface Metrics {
  /** performance_metrics */
  recordPerformance(name: string, value: number, options?: RecordPerformanceOptions): boolean;
  /** api_request_logs */
  recordRequest(request: RequestRecord): boolean;
  /** ai_api_usage, with `cost_usd` computed from the price table. */
  recordAIUsage(usage: AIUsageRecord): boolean;
  /** system_health_logs: one row per report, with the failing checks' codes and every check's latency. */
  recordHealth(report: HealthReport, service?: string): boolean;
  /** Writes everything buffered now. Never rejects. */
  flush(): Promise<void>;
  /** Writes everything buffered (within each writer's `closeTimeoutMs`), then refuses new rows. */
  close(): Promise<void>;
  stats(): MetricsStats;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 512;

function uuidOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length === 36 && UUID.test(value) ? value : null;
}

function textOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
}

function nonNegative(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && Number.isFinite(value);
}

function tokens(value: unknown): number | undefined {
  return nonNegative(value) && value <= 2_147_483_647 ? Math.floor(value) : undefined;
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  return p.length > MAX_TEXT ? p.slice(0, MAX_TEXT) : p;
}

/**
 * Metrics for the infrastructure tables (performance_metrics, api_request_logs, ai_api_usage,
 * system_health_logs), each behind its own batching writer: buffered in memory, written in multi-row
 * inserts on an interval, when a batch fills and on close; bounded, so a database outage drops and
 * counts rows instead of growing memory or blocking a request.
 */
export function createMetrics(options: CreateMetricsOptions): Metrics {
  const logger = options.logger;
  const prices = new PriceBook(DEFAULT_AI_PRICES, options.prices);
  const service = options.service ?? 'app';
  let invalid = 0;
  let unknownPrices = 0;
  const unknownLogged = new Set<string>();
  let lastInvalidLog = 0;

  const writer = <T>(name: string, write: ((rows: T[], signal: AbortSignal) => Promise<void>) | undefined) =>
    write === undefined
      ? undefined
      : createBatchWriter<T>({
          ...options.batch,
          name,
          write,
          ...(logger ? { logger } : {}),
        });
  const w = options.writers ?? {};
  const tables = {
    performanceMetrics: writer<PerformanceMetricRow>('performance_metrics', w.performanceMetrics?.bind(w)),
    apiRequestLogs: writer<ApiRequestLogRow>('api_request_logs', w.apiRequestLogs?.bind(w)),
    aiApiUsage: writer<AIUsageRow>('ai_api_usage', w.aiApiUsage?.bind(w)),
    systemHealthLogs: writer<SystemHealthLogRow>('system_health_logs', w.systemHealthLogs?.bind(w)),
  };
  const all = Object.values(tables).filter((t): t is BatchWriter<never> => t !== undefined);

  const refuse = (what: string, detail: Record<string, unknown>): false => {
    invalid += 1;
    const now = Date.now();
    if (now - lastInvalidLog >= 10_000) {
      lastInvalidLog = now;
      logger?.warn('metric record refused: a value cannot be stored', { metric: what, ...detail, invalid });
    }
    return false;
  };

  return {
    recordPerformance(name, value, opts) {
      const t = tables.performanceMetrics;
      if (t === undefined) return false;
      if (
        typeof name !== 'string' ||
        name.length === 0 ||
        typeof value !== 'number' ||
        !Number.isFinite(value)
      ) {
        return refuse('performance_metrics', { name: String(name), value: String(value) });
      }
      return t.push({
        metric_name: name,
        value,
        unit: opts?.unit ?? 'ms',
        tags: opts?.tags ?? {},
        recorded_at: isoNow(),
      });
    },

    recordRequest(r) {
      const t = tables.apiRequestLogs;
      if (t === undefined) return false;
      const status = r?.statusCode;
      if (
        typeof r?.method !== 'string' ||
        typeof r.path !== 'string' ||
        !(Number.isInteger(status) && status >= 100 && status <= 599) ||
        !nonNegative(r.durationMs)
      ) {
        return refuse('api_request_logs', { statusCode: String(status), durationMs: String(r?.durationMs) });
      }
      const ctx = r.requestId === undefined || r.userId === undefined ? getContext() : undefined;
      return t.push({
        request_id: textOrNull(r.requestId === undefined ? ctx?.requestId : r.requestId),
        method: r.method.slice(0, 16),
        path: pathOnly(r.path),
        status_code: status,
        duration_ms: r.durationMs,
        user_id: uuidOrNull(r.userId === undefined ? ctx?.userId : r.userId),
        client_ip: textOrNull(r.clientIp),
        user_agent: textOrNull(r.userAgent),
        error_code: textOrNull(r.errorCode),
        created_at: isoNow(),
      });
    },

    recordAIUsage(u) {
      const t = tables.aiApiUsage;
      if (t === undefined) return false;
      const input = tokens(u?.inputTokens);
      const output = tokens(u?.outputTokens);
      if (
        typeof u?.provider !== 'string' ||
        typeof u.model !== 'string' ||
        typeof u.operation !== 'string' ||
        input === undefined ||
        output === undefined ||
        (u.latencyMs != null && !nonNegative(u.latencyMs))
      ) {
        return refuse('ai_api_usage', { provider: String(u?.provider), model: String(u?.model) });
      }
      const price = prices.find(u.provider, u.model);
      if (price === undefined) {
        unknownPrices += 1;
        const key = `${u.provider}/${u.model}`;
        if (!unknownLogged.has(key) && unknownLogged.size < 256) {
          unknownLogged.add(key);
          logger?.warn('no price for this AI model; its usage is recorded with cost 0', {
            provider: u.provider,
            model: u.model,
          });
        }
      }
      const ctx = u.requestId === undefined || u.userId === undefined ? getContext() : undefined;
      return t.push({
        provider: u.provider,
        model: u.model,
        operation: u.operation,
        input_tokens: input,
        output_tokens: output,
        cost_usd: price === undefined ? 0 : aiCostUsd(price, input, output),
        latency_ms: u.latencyMs ?? null,
        success: u.success ?? true,
        error_code: textOrNull(u.errorCode),
        user_id: uuidOrNull(u.userId === undefined ? ctx?.userId : u.userId),
        creator_id: uuidOrNull(u.creatorId),
        request_id: textOrNull(u.requestId === undefined ? ctx?.requestId : u.requestId),
        created_at: isoNow(),
      });
    },

    recordHealth(report, name) {
      const t = tables.systemHealthLogs;
      if (t === undefined) return false;
      const checks = report?.checks;
      if (typeof checks !== 'object' || checks === null) return refuse('system_health_logs', {});
      let latency = 0;
      const failing: string[] = [];
      for (const [check, result] of Object.entries(checks)) {
        if (nonNegative(result.latency) && result.latency > latency) latency = result.latency;
        if (result.status === 'error') failing.push(`${check}:${result.code ?? 'CHECK_FAILED'}`);
      }
      return t.push({
        service: name ?? service,
        status: report.status,
        // The slowest check: the probes run concurrently, so that is how long the report took.
        latency_ms: latency,
        error: failing.length > 0 ? failing.join(', ') : null,
        details: { checks },
        checked_at: typeof report.timestamp === 'string' ? report.timestamp : isoNow(),
      });
    },

    async flush() {
      await Promise.all(all.map((t) => t.flush()));
    },

    async close() {
      await Promise.all(all.map((t) => t.close()));
    },

    stats() {
      const out: MetricsStats['tables'] = {};
      for (const [name, t] of Object.entries(tables)) {
        if (t !== undefined) out[name as keyof MetricsWriters] = t.stats();
      }
      return { tables: out, invalid, unknownPrices };
    },
  };
}
