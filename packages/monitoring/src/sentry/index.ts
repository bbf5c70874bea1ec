// @mentora/monitoring/sentry: the Sentry implementation of `ErrorReporter`. A subpath of its own, so the
// root entry never loads @sentry/node (an optional peer dependency: install it to use this entry).
export { createNoopReporter, initSentry } from './init.js';
export {
  DEFAULT_DATA_COLLECTION,
  isExpectedError,
  type SentryDataCollection,
  type SentryOptions,
  sentryNodeOptions,
  sentryOptionsFromConfig,
} from './options.js';
export { DEFAULT_BOT_USER_AGENTS } from './scrub.js';
