// Root entry: the Fetch-API pipeline. Database- and Redis-backed adapters live on
// '@mentora/http/supabase' and '@mentora/http/redis' so this entry loads neither client.

export type { StandardSchemaV1 } from '@standard-schema/spec';
export {
  type AuthOptions,
  type AuthUser,
  bearerToken,
  createTokenVerifier,
  type SecretValue,
  type TokenVerifier,
} from './auth.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  type ReadBodyOptions,
  readBytes,
  readJson,
  readText,
  validate,
} from './body.js';
export {
  ANONYMOUS_CLIENT,
  assertTrustProxy,
  type ClientIpOptions,
  canonicalIp,
  clientBucket,
  clientIp,
  parseTrustProxy,
  type TrustProxy,
} from './client-ip.js';
export { type PlanContext, requireFeature, requirePlan } from './gates.js';
export {
  createHealthHandlers,
  type HealthHandler,
  type HealthHandlers,
  type HealthHandlersOptions,
} from './health.js';
export {
  createLifecycle,
  type Lifecycle,
  type LifecycleOptions,
  type ShutdownHookOptions,
  type ShutdownOnSignalsOptions,
  type ShutdownOptions,
  type ShutdownReport,
  shutdownOnSignals,
} from './lifecycle.js';
export { REQUEST_ID_PATTERN, requestIdFrom } from './request-id.js';
export {
  createMemoryReplayStore,
  createReplayGuard,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayStore,
  signWebhook,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
} from './webhook.js';
export {
  createWithInfrastructure,
  type HandlerContext,
  type HandlerResult,
  type InfrastructureDeps,
  type InfrastructureSource,
  type RateLimitRouteOptions,
  type RouteHandler,
  type RouteOptions,
  type WithInfrastructure,
  type WrappedHandler,
} from './with-infrastructure.js';
