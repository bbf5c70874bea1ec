// @mentora/monitoring/testing: helpers for tests of code that reports to Sentry. Not for production.
export {
  type EnvelopeItem,
  type EnvelopeServer,
  type ReceivedEnvelope,
  startEnvelopeServer,
} from './envelope-server.js';
