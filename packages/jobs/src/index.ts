// @mentora/jobs: the Inngest client of the Mentora app, the typed event catalog, the job functions and
// the ports they need. The local protocol runner for development and tests is on `@mentora/jobs/testing`.
export {
  APP_ID,
  createJobsClient,
  type JobsClient,
  type JobsClientOptions,
  type SendResult,
} from './client.js';
export { DEFAULT_RETRY_AFTER_SECONDS, errorCodeOf, toInngestError } from './errors.js';
export {
  EMAIL_TEMPLATES,
  type EmailTemplate,
  EVENT_NAMES,
  type EventData,
  type EventInput,
  type EventName,
  eventSchemas,
  events,
  type JobEvent,
} from './events.js';
export { previousUtcDay } from './functions/aggregate-daily-analytics.js';
export { chunkTranscript, type TranscriptChunk } from './functions/chunking.js';
export { CLEANUP_FUNCTIONS } from './functions/cleanup-old-records.js';
export type { JobFunctionOptions, JobFunctionsDeps } from './functions/deps.js';
export { createFunctions, type JobFunctions } from './functions/index.js';
export { createJobRunTracker, type JobRunReport, type JobRunStatus, type JobRunTracker } from './job-runs.js';
export {
  createHttpAccessibilityChecker,
  createLocalAccessibilityChecker,
  type VideoAccessibilityChecker,
} from './ports/accessibility.js';
export {
  createMemoryEmailSender,
  type EmailMessage,
  type EmailSender,
  type MemoryEmailSender,
  type SentEmail,
} from './ports/email.js';
export { createLocalEmbeddings, EMBEDDING_DIMENSIONS, type EmbeddingProvider } from './ports/embeddings.js';
export { createLocalPorts, type LocalPorts } from './ports/local.js';
export {
  createLocalQuizGenerator,
  type QuizGenerator,
  type QuizQuestion,
  type QuizSource,
} from './ports/quiz.js';
export {
  createLocalTranscription,
  type ExtractedAudio,
  type Transcript,
  type TranscriptionProvider,
  type TranscriptSegment,
} from './ports/transcription.js';
export {
  type AICallOptions,
  type AIUsageReport,
  LOCAL_AI_PRICES,
  LOCAL_AI_PROVIDER,
} from './ports/usage.js';
export { validateEvent } from './validate.js';
