// @mentora/jobs/testing: the local Inngest protocol runner for development and tests.
export { canonicalJson } from './canonical-json.js';
export { parseCron } from './cron.js';
export {
  createLocalRunner,
  type EventInput,
  type LocalRunner,
  type LocalRunnerOptions,
  type RunHistoryEntry,
  type RunnerEvent,
  type RunRecord,
  type RunStatus,
  type WaitFn,
} from './runner.js';
export { signPayload, verifySignature } from './signature.js';
