import type { Config } from '@mentora/config';
import { isSecret, type Secret } from '@mentora/config';
import { isMentoraError } from '@mentora/errors';
import type { Breadcrumb, Event, EventHint, NodeOptions } from '@sentry/node';
import { type CompiledRedaction, compileRedaction, type RedactionOptions } from '../logger/redact.js';
import type { Logger } from '../logger/types.js';
import { DEFAULT_BOT_USER_AGENTS, scrubBreadcrumb, scrubEvent, scrubSpan, userAgentOf } from './scrub.js';

export type SentryDataCollection = NonNullable<NodeOptions['dataCollection']>;

export interface SentryOptions {
  /** Unset or empty: Sentry is off and `initSentry` returns a reporter that does nothing. */
  dsn?: string | undefined;
  /** Default `development`. */
  environment?: string;
  release?: string;
  /** Share of errors sent (default 1: every error). */
  sampleRate?: number;
  /** Share of traces sent: default 0.1 when `environment` is `production`, 1.0 otherwise. */
  tracesSampleRate?: number;
  /** What the SDK collects; merged over `DEFAULT_DATA_COLLECTION` (which collects no PII, bodies or cookies). */
  dataCollection?: SentryDataCollection;
  /** The logger's redaction rules; every event and breadcrumb is scrubbed with them before it leaves. */
  redact?: RedactionOptions;
  /** Events whose request user agent matches are dropped (default: crawlers, uptime probes); `false` keeps all. */
  botUserAgents?: RegExp | false;
  /** Replaces the SDK's default integrations when given (Sentry's own option, passed as is). */
  integrations?: NodeOptions['integrations'];
  serverName?: string;
  /** Where `initSentry` says what it did (Sentry on or off, and why). */
  logger?: Logger;
}

/**
 * What the SDK collects unless told otherwise: no automatic user data (we set the user id ourselves),
 * no cookies, no bodies, no local variables, no database, queue, GraphQL or AI payloads; request
 * headers without credentials, and URL query parameters (then scrubbed by name and value).
 * Sentry 11 replaced `sendDefaultPii` with these settings: every one is set explicitly.
 */
export const DEFAULT_DATA_COLLECTION: Readonly<SentryDataCollection> = Object.freeze({
  userInfo: false,
  cookies: false,
  httpHeaders: {
    request: {
      deny: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'apikey'],
    },
    response: false,
  },
  httpBodies: [],
  urlQueryParams: true,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  mcp: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
  frameContextLines: 5,
});

/** A 4xx MentoraError is an expected outcome (a client's mistake), not an incident. */
export function isExpectedError(error: unknown): boolean {
  return isMentoraError(error) && error.status < 500;
}

function configSecrets(value: unknown, out: Secret<unknown>[] = [], depth = 0): Secret<unknown>[] {
  if (isSecret(value)) out.push(value);
  else if (typeof value === 'object' && value !== null && depth < 8)
    for (const v of Object.values(value)) configSecrets(v, out, depth + 1);
  return out;
}

/**
 * Sentry options from the validated configuration: SENTRY_DSN, SENTRY_ENVIRONMENT (else the profile),
 * trace sampling 0.1 in production and 1.0 elsewhere, and every configured secret masked in events.
 */
export function sentryOptionsFromConfig(
  config: Config,
  overrides: Partial<SentryOptions> = {},
): SentryOptions {
  return {
    dsn: config.monitoring.sentryDsn,
    environment: config.monitoring.environment,
    tracesSampleRate: config.profile === 'production' ? 0.1 : 1.0,
    ...overrides,
    redact: { secrets: configSecrets(config), ...overrides.redact },
  };
}

interface ResolvedSentry {
  nodeOptions: NodeOptions;
  redaction: CompiledRedaction;
  bots: RegExp | undefined;
}

/**
 * The SDK's options for `options` (sampling per environment, data collection, our `beforeSend`,
 * `beforeSendSpan` and `beforeBreadcrumb`), for an app that calls `Sentry.init` itself (a
 * framework SDK) and wants the same filters.
 */
export function sentryNodeOptions(options: SentryOptions): NodeOptions {
  return resolveSentry(options).nodeOptions;
}

export function resolveSentry(options: SentryOptions): ResolvedSentry {
  const environment = options.environment ?? 'development';
  const redaction = compileRedaction(options.redact);
  const bots =
    options.botUserAgents === false ? undefined : (options.botUserAgents ?? DEFAULT_BOT_USER_AGENTS);
  const logger = options.logger;

  const keep = <E extends Event>(event: E, hint: EventHint): E | null => {
    try {
      if (isExpectedError(hint?.originalException)) return null;
      const agent = bots ? userAgentOf(event) : undefined;
      if (bots && agent !== undefined && bots.test(agent)) return null;
      return scrubEvent(event, redaction);
    } catch (error) {
      // Fail closed: an event we could not scrub is not sent.
      logger?.warn('Sentry event dropped: scrubbing failed', { error });
      return null;
    }
  };

  const nodeOptions: NodeOptions = {
    dsn: options.dsn,
    environment,
    ...(options.release !== undefined ? { release: options.release } : {}),
    ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
    sampleRate: options.sampleRate ?? 1.0,
    tracesSampleRate: options.tracesSampleRate ?? (environment === 'production' ? 0.1 : 1.0),
    dataCollection: { ...DEFAULT_DATA_COLLECTION, ...options.dataCollection },
    ...(options.integrations !== undefined ? { integrations: options.integrations } : {}),
    beforeSend: (event, hint) => keep(event, hint),
    // Traces are streamed span by span (Sentry 11's default lifecycle), so spans are scrubbed one by one.
    beforeSendSpan: (span) => {
      try {
        return scrubSpan(span, redaction);
      } catch (error) {
        logger?.warn('Sentry span scrubbing failed; attributes dropped', { error });
        return { ...span, name: 'scrubbing failed', attributes: {} };
      }
    },
    beforeBreadcrumb: (breadcrumb: Breadcrumb) => {
      try {
        return scrubBreadcrumb(breadcrumb, redaction);
      } catch {
        return null;
      }
    },
  };
  return { nodeOptions, redaction, bots };
}
