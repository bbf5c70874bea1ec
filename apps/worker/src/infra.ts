// The worker's composition root: reads the environment once, validates it and builds every client.
import { type Config, ConfigError, loadConfig } from '@mentora/config';
import { createSupabaseClients, type SupabaseClients } from '@mentora/db';
import {
  createFunctions,
  createJobsClient,
  createLocalPorts,
  type JobFunctions,
  type JobFunctionsDeps,
  type JobsClient,
} from '@mentora/jobs';
import {
  createLogger,
  type ErrorReporter,
  loggerOptionsFromConfig,
  type MentoraLogger,
} from '@mentora/monitoring';

/** The provider ports the functions need; outside production the local implementations are the default. */
export type WorkerPorts = Pick<
  JobFunctionsDeps,
  'transcription' | 'embeddings' | 'quizGenerator' | 'email' | 'accessibility'
>;

export interface WorkerInfraOptions {
  /** Inngest dev server mode (from `--dev`). */
  dev?: boolean;
  /** Real providers. Required in production: the local ones only pretend. */
  ports?: WorkerPorts;
  /** Drops a member's cached membership and plan (the shared cache's invalidator). */
  invalidateMember?: JobFunctionsDeps['invalidateMember'];
  errorReporter?: ErrorReporter;
}

export interface WorkerInfra {
  config: Config;
  logger: MentoraLogger;
  db: SupabaseClients;
  jobs: JobsClient;
  functions: JobFunctions;
  errorReporter?: ErrorReporter;
  /** Flushes logs and error reports, then closes every client this root created. */
  close(): Promise<void>;
}

export function createWorkerInfra(
  env: Record<string, string | undefined>,
  options: WorkerInfraOptions = {},
): WorkerInfra {
  const config = loadConfig(env);
  const logger = createLogger(loggerOptionsFromConfig(config, 'worker'));
  if (!options.ports && config.profile === 'production') {
    throw new ConfigError(
      'The worker needs real transcription, embedding, quiz and email providers in production',
      {
        issues: [
          {
            variable: 'ports',
            message: 'pass the providers to createWorkerInfra (the local ones only pretend)',
          },
        ],
      },
    );
  }
  const db = createSupabaseClients({
    url: config.database.supabaseUrl,
    anonKey: config.database.anonKey,
    serviceRoleKey: config.database.serviceRoleKey,
    headers: { 'x-application-name': `${config.app.name}-worker` },
  });
  const jobs = createJobsClient({ config, isDev: options.dev === true, logger });
  let warned = false;
  const invalidateMember =
    options.invalidateMember ??
    (async (userId: string) => {
      // The worker shares no cache with the web app yet: cached plans expire on their own TTL.
      if (!warned) logger.warn('member cache invalidation is not wired in the worker', { userId });
      warned = true;
    });
  const functions = createFunctions({
    client: jobs,
    db,
    ...(options.ports ?? createLocalPorts({ logger })),
    invalidateMember,
    logger,
    ...(options.errorReporter ? { errorReporter: options.errorReporter } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    db,
    jobs,
    functions,
    ...(options.errorReporter ? { errorReporter: options.errorReporter } : {}),
    close() {
      closing ??= (async () => {
        await options.errorReporter?.flush(2_000).catch(() => false);
        await jobs.close();
        await db.close();
        await logger.close();
      })();
      return closing;
    },
  };
}
