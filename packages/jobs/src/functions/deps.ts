import type { SupabaseClients } from '@mentora/db';
import type { ErrorReporter, Logger, Metrics } from '@mentora/monitoring';
import type { Inngest, Middleware } from 'inngest';
import type { JobsClient } from '../client.js';
import type { JobRunTracker } from '../job-runs.js';
import type { VideoAccessibilityChecker } from '../ports/accessibility.js';
import type { EmailSender } from '../ports/email.js';
import type { EmbeddingProvider } from '../ports/embeddings.js';
import type { QuizGenerator } from '../ports/quiz.js';
import type { TranscriptionProvider } from '../ports/transcription.js';

/** Tunables of the job functions; the defaults suit production. */
export interface JobFunctionOptions {
  /** Chunks embedded and stored per step of process-video. Default 10. */
  embeddingBatchSize?: number;
  /** Words per transcript chunk (at most; chunks end on segment boundaries). Default 200. */
  chunkWords?: number;
  /** Videos of one creator processed at the same time. Default 2. */
  videoConcurrencyPerCreator?: number;
  /** Video URLs checked at the same time by check-content-health. Default 5. */
  healthCheckConcurrency?: number;
  /** Videos per check-content-health step. Default 200. */
  healthCheckPageSize?: number;
}

export interface JobFunctionsDeps {
  /** The client from `createJobsClient` (the functions register on its Inngest client). */
  client: JobsClient;
  /** Supabase clients; the jobs use `admin()` (service role). Not closed by this package. */
  db: SupabaseClients;
  transcription: TranscriptionProvider;
  embeddings: EmbeddingProvider;
  quizGenerator: QuizGenerator;
  email: EmailSender;
  accessibility: VideoAccessibilityChecker;
  /**
   * Drops everything cached about a member (membership, plan, permissions) after a plan change. The
   * app wires it to its cache (e.g. the cache invalidator's `invalidateMembership`).
   */
  invalidateMember: (userId: string) => Promise<void>;
  /** Receives a run's error once, when its last attempt failed. */
  errorReporter?: ErrorReporter;
  /**
   * Job outcomes and step durations (performance_metrics: `job.run`, `job.step`) and the AI ports' token
   * usage (ai_api_usage). Not closed by this package.
   */
  metrics?: Metrics;
  /** Default: the client's logger. */
  logger?: Logger;
  /** Run tracking in job_queue. Default: on, through `db`. Pass `false` to turn it off. */
  tracker?: JobRunTracker | false;
  options?: JobFunctionOptions;
}

/** What every function factory receives. */
export interface FunctionContext {
  inngest: Inngest;
  deps: JobFunctionsDeps;
  logger: Logger;
  options: Required<JobFunctionOptions>;
  middleware: Middleware.Class[];
}
