// Rows of the infrastructure tables, named as their columns are, so a writer inserts them as they are.
// This package never talks to the database itself: the writer functions come from whoever holds the
// database client (`@mentora/db`'s infrastructure writers, or your own).

/** performance_metrics */
export interface PerformanceMetricRow {
  metric_name: string;
  value: number;
  unit: string;
  tags: Record<string, unknown>;
  recorded_at: string;
}

/** api_request_logs */
export interface ApiRequestLogRow {
  request_id: string | null;
  method: string;
  path: string;
  status_code: number;
  duration_ms: number;
  user_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  error_code: string | null;
  created_at: string;
}

/** ai_api_usage */
export interface AIUsageRow {
  provider: string;
  model: string;
  operation: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number | null;
  success: boolean;
  error_code: string | null;
  user_id: string | null;
  creator_id: string | null;
  request_id: string | null;
  created_at: string;
}

/** system_health_logs */
export interface SystemHealthLogRow {
  service: string;
  status: 'healthy' | 'degraded' | 'unhealthy';
  latency_ms: number | null;
  error: string | null;
  details: Record<string, unknown>;
  checked_at: string;
}

/**
 * One multi-row insert per table. Each may be omitted: that table's rows are then not recorded. `signal`
 * aborts when the batching writer gave up on the call (it took longer than `writeTimeoutMs`).
 */
export interface MetricsWriters {
  performanceMetrics?(rows: PerformanceMetricRow[], signal?: AbortSignal): Promise<void>;
  apiRequestLogs?(rows: ApiRequestLogRow[], signal?: AbortSignal): Promise<void>;
  aiApiUsage?(rows: AIUsageRow[], signal?: AbortSignal): Promise<void>;
  systemHealthLogs?(rows: SystemHealthLogRow[], signal?: AbortSignal): Promise<void>;
}
