// @mentora/monitoring: the one Logger contract, request context, timing, health aggregation and the
// batching writer behind every metric sink. Sentry lives on `@mentora/monitoring/sentry`.
export { getContext, type RequestContext, runWithContext, setContextFields } from './context.js';
export {
  createHealthCheck,
  type HealthCheck,
  type HealthCheckOptions,
  healthHttpStatus,
} from './health/create.js';
export type { CheckResult, HealthProbe, HealthReport, HealthStatus } from './health/types.js';
export { type InngestLogger, toInngestLogger } from './inngest.js';
export { type CreateLoggerOptions, createLogger } from './logger/create.js';
export { createDefaultLogger, loggerOptionsFromConfig } from './logger/defaults.js';
export type { LogDestination } from './logger/destination.js';
export { isLogLevel } from './logger/levels.js';
export { createRedactor, type RedactionOptions, type Redactor } from './logger/redact.js';
export { createLogThrottle, type LogThrottle } from './logger/throttle.js';
export type { LogFields, Logger, LogLevel, MentoraLogger } from './logger/types.js';
export {
  type BatchWriter,
  type BatchWriterOptions,
  type BatchWriterStats,
  createBatchWriter,
} from './metrics/batch-writer.js';
export {
  type AIUsageRecord,
  type CreateMetricsOptions,
  createMetrics,
  type Metrics,
  type MetricsBatchOptions,
  type MetricsStats,
  type RecordPerformanceOptions,
  type RequestRecord,
} from './metrics/create.js';
export { type AIPrice, type AIPriceTable, aiCostUsd, DEFAULT_AI_PRICES } from './metrics/prices.js';
export type {
  AIUsageRow,
  ApiRequestLogRow,
  MetricsWriters,
  PerformanceMetricRow,
  SystemHealthLogRow,
} from './metrics/rows.js';
export { measureAsync, PerformanceTimer } from './performance.js';
export type { CaptureContext, ErrorReporter } from './reporter.js';
