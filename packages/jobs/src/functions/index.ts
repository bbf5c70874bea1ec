import { InvalidArgumentError } from '@mentora/errors';
import type { InngestFunction } from 'inngest';
import { createJobRunTracker } from '../job-runs.js';
import { runHooksMiddleware } from '../middleware/tracking.js';
import { createAchievementUnlocked } from './achievement-unlocked.js';
import { createAggregateDailyAnalytics } from './aggregate-daily-analytics.js';
import { createCheckContentHealth } from './check-content-health.js';
import { createCleanupOldRecords } from './cleanup-old-records.js';
import type { FunctionContext, JobFunctionOptions, JobFunctionsDeps } from './deps.js';
import { createGenerateQuiz } from './generate-quiz.js';
import { createMembershipUpdated } from './membership-updated.js';
import { createProcessVideo } from './process-video.js';
import { createSendEmail } from './send-email.js';

/** The functions by name (what `serve` and `@inngest/test` take); their handlers are typed where they are defined. */
export interface JobFunctions {
  processVideo: InngestFunction.Any;
  generateQuiz: InngestFunction.Any;
  sendEmail: InngestFunction.Any;
  achievementUnlocked: InngestFunction.Any;
  membershipUpdated: InngestFunction.Any;
  aggregateDailyAnalytics: InngestFunction.Any;
  checkContentHealth: InngestFunction.Any;
  cleanupOldRecords: InngestFunction.Any;
  /** All of the above, for `serve({ client, functions: fns.all })`. */
  all: InngestFunction.Any[];
}

const DEFAULTS: Required<JobFunctionOptions> = {
  embeddingBatchSize: 10,
  chunkWords: 200,
  videoConcurrencyPerCreator: 2,
  healthCheckConcurrency: 5,
  healthCheckPageSize: 200,
};

function positiveInt(name: keyof JobFunctionOptions, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`options.${name} must be an integer from 1 to ${max}`, {
      argument: `options.${name}`,
    });
  }
  return value;
}

const REQUIRED = [
  'client',
  'db',
  'transcription',
  'embeddings',
  'quizGenerator',
  'email',
  'accessibility',
] as const;

/**
 * Every Mentora job function, registered on `deps.client`'s Inngest client with the given database,
 * providers and hooks. Nothing runs until a served endpoint is called.
 */
export function createFunctions(deps: JobFunctionsDeps): JobFunctions {
  for (const key of REQUIRED) {
    if (!deps?.[key]) throw new InvalidArgumentError(`createFunctions needs deps.${key}`, { argument: key });
  }
  if (typeof deps.invalidateMember !== 'function') {
    throw new InvalidArgumentError('createFunctions needs deps.invalidateMember(userId)', {
      argument: 'invalidateMember',
    });
  }
  const o = { ...DEFAULTS, ...deps.options };
  const options: Required<JobFunctionOptions> = {
    embeddingBatchSize: positiveInt('embeddingBatchSize', o.embeddingBatchSize, 100),
    chunkWords: positiveInt('chunkWords', o.chunkWords, 10_000),
    videoConcurrencyPerCreator: positiveInt('videoConcurrencyPerCreator', o.videoConcurrencyPerCreator, 100),
    healthCheckConcurrency: positiveInt('healthCheckConcurrency', o.healthCheckConcurrency, 100),
    healthCheckPageSize: positiveInt('healthCheckPageSize', o.healthCheckPageSize, 999),
  };
  const logger = deps.logger ?? deps.client.logger;
  const tracker =
    deps.tracker === false ? undefined : (deps.tracker ?? createJobRunTracker({ db: deps.db, logger }));
  const ctx: FunctionContext = {
    inngest: deps.client.inngest,
    deps,
    logger,
    options,
    middleware: [
      runHooksMiddleware({
        logger,
        ...(tracker ? { tracker } : {}),
        ...(deps.errorReporter ? { errorReporter: deps.errorReporter } : {}),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }),
    ],
  };
  const fns = {
    processVideo: createProcessVideo(ctx),
    generateQuiz: createGenerateQuiz(ctx),
    sendEmail: createSendEmail(ctx),
    achievementUnlocked: createAchievementUnlocked(ctx),
    membershipUpdated: createMembershipUpdated(ctx),
    aggregateDailyAnalytics: createAggregateDailyAnalytics(ctx),
    checkContentHealth: createCheckContentHealth(ctx),
    cleanupOldRecords: createCleanupOldRecords(ctx),
  };
  return { ...fns, all: Object.values(fns) as InngestFunction.Any[] };
}
