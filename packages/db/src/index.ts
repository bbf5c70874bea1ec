// @mentora/db: typed Supabase data access. The local stack for tests and `pnpm dev` lives on the
// `@mentora/db/testing` subpath so nothing here loads PGlite, PostgREST or jose.
export { type AppliedState, classifyFailure, type FailureClass } from './classify.js';
export {
  createSupabaseClients,
  type SecretInput,
  type SupabaseClients,
  type SupabaseClientsOptions,
} from './clients.js';
export { MAX_SORT_VALUE_URL_LENGTH } from './column-values.js';
export { type CursorCodec, type CursorKey, createCursorCodec, MAX_CURSOR_LENGTH } from './cursor.js';
export type {
  CompositeTypes,
  Database,
  Enums,
  Json,
  Tables,
  TablesInsert,
  TablesUpdate,
} from './database.types.js';
export type { ComparisonOperator, FilterCondition, Filters } from './filters.js';
export { checkDatabaseHealth, type DatabaseHealth, type HealthCheckOptions } from './health.js';
export {
  type CacheStatisticsInsert,
  createInfrastructureWriters,
  type InfrastructureWriters,
  type InfrastructureWritersOptions,
  type RateLimitViolationRow,
} from './infrastructure.js';
export {
  createInfrastructureSinks,
  type InfrastructureSinks,
  type InfrastructureSinksOptions,
  type ViolationReport,
  violationRow,
} from './infrastructure-sinks.js';
export type { QueryEvent } from './logger.js';
export type { ColumnMetadata, TableMetadata } from './metadata-types.js';
export { PostgrestFailure } from './postgrest-failure.js';
export {
  type CallOptions,
  callRpc,
  createQueryBuilder,
  type InsertManyOptions,
  type ListOptions,
  type Page,
  type QueryBuilder,
  type QueryBuilderOptions,
  type RpcClientOptions,
  type RpcOptions,
  type TableQuery,
  type UpdateOptions,
  type UpsertOptions,
} from './query-builder.js';
export { backoffDelay, type RetryOptions } from './retry.js';
export { TABLE_METADATA } from './table-metadata.js';
export type {
  AnySupabaseClient,
  ColumnName,
  FunctionArgs,
  FunctionName,
  FunctionReturns,
  Insert,
  MentoraSupabaseClient,
  PublicSchema,
  Row,
  TableName,
  Update,
} from './types.js';
