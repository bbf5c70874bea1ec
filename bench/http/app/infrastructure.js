// The wrapper's dependencies as the web app composes them, minus the database: the metric rows and the
// rate limiter's violations are buffered as in production but written nowhere (the write happens off
// the request path, on the batching writer's timer). Built once per process (route bundles each have a
// copy of this module, hence the process-wide registry).
import { createStaticFeatureFlags, loadConfig } from '@mentora/config';
import { createLifecycle, createWithInfrastructure } from '@mentora/http';
import { createLogger, createMetrics, loggerOptionsFromConfig } from '@mentora/monitoring';
import { createMemoryStore, createRateLimiter } from '@mentora/ratelimit';

const KEY = Symbol.for('mentora.bench.http');

function build() {
  const config = loadConfig(process.env);
  const logger = createLogger({ ...loggerOptionsFromConfig(config, 'bench-web'), format: 'json' });
  const flags = createStaticFeatureFlags({ defaultPlan: 'basic' });
  const drop = async () => {};
  const metrics = createMetrics({ writers: { apiRequestLogs: drop, performanceMetrics: drop }, logger });
  const rateLimiter = createRateLimiter({
    store: createMemoryStore(),
    flags,
    logger,
    // A limit the benchmark never reaches: every request takes the full check path and is allowed.
    plans: { basic: { rateLimits: { api: { limit: 1_000_000_000 } } } },
  });
  return {
    logger,
    flags,
    metrics,
    rateLimiter,
    lifecycle: createLifecycle({ logger }),
    trustProxy: config.app.trustProxy,
    ...(config.database.jwtSecret ? { auth: { jwtSecret: config.database.jwtSecret } } : {}),
  };
}

export const withInfrastructure = createWithInfrastructure(() => {
  globalThis[KEY] ??= build();
  return globalThis[KEY];
});
