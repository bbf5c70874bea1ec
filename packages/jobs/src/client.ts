// The Inngest client of the Mentora app, with a typed, validated `send`.
import type { Config } from '@mentora/config';
import { ConfigError, InvalidArgumentError, isMentoraError, ServiceUnavailableError } from '@mentora/errors';
import { createDefaultLogger, type Logger, toInngestLogger } from '@mentora/monitoring';
import { Inngest } from 'inngest';
import type { JobEvent } from './events.js';
import { demoteRepeatedFailures } from './logger.js';
import { contextMiddleware } from './middleware/context.js';
import { validationMiddleware } from './middleware/validation.js';
import { validateEvent } from './validate.js';

/** The Inngest app id every Mentora function is registered under (function ids become `mentora-<id>`). */
export const APP_ID = 'mentora';

/** A value read from configuration: a plain string or a `Secret` from @mentora/config. */
type SecretLike = string | { reveal(): string };

export interface JobsClientOptions {
  /** The validated configuration: event key, signing key and base URL come from its `jobs` group. */
  config?: Config;
  /** Key for sending events (overrides `config`). */
  eventKey?: SecretLike;
  /** `signkey-<env>-<hex>`: authenticates Inngest's calls to the worker (overrides `config`). */
  signingKey?: SecretLike;
  /** A previous signing key still accepted while keys rotate. */
  signingKeyFallback?: SecretLike;
  /** Inngest API and event API base URL: a self-hosted server, the dev server or the local runner. */
  baseUrl?: string;
  /**
   * Dev mode talks to an Inngest dev server and accepts unsigned requests. Never inferred from the
   * environment: without `isDev: true` the client runs in cloud mode, which requires a signing key.
   */
  isDev?: boolean;
  /** Where Inngest's and the functions' log lines go. Default: monitoring's default logger. */
  logger?: Logger;
  /** fetch used to send events (tests, proxies). */
  fetch?: typeof fetch;
  /** Reported to Inngest with the function list. */
  appVersion?: string;
}

export interface SendResult {
  /** Inngest's ids of the accepted events, in order. */
  ids: string[];
}

export interface JobsClient {
  /** The Inngest client (app id `mentora`): pass it to `serve()` and `createFunctions()`. */
  readonly inngest: Inngest;
  readonly mode: 'cloud' | 'dev';
  readonly logger: Logger;
  /**
   * Sends one event or several, typed by the catalog. Every event is validated first: an unknown name or
   * invalid data is a ValidationError and nothing is sent. A failed delivery is a retryable
   * ServiceUnavailableError (with the SDK's error as `cause`).
   */
  send(event: JobEvent | readonly JobEvent[]): Promise<SendResult>;
  /** Stops sending; later `send` calls throw. Nothing else is held open. Idempotent. */
  close(): Promise<void>;
}

function reveal(value: SecretLike | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.reveal();
  return text === '' ? undefined : text;
}

function checkBaseUrl(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    const url = new URL(baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new ConfigError('The Inngest base URL must be an http(s) URL', {
    issues: [{ variable: 'INNGEST_BASE_URL', message: 'must be an http(s) URL' }],
  });
}

/**
 * Creates the Inngest client for the `mentora` app.
 *
 * ```ts
 * const jobs = createJobsClient({ config });
 * await jobs.send({ name: 'video/upload.completed', data: { videoId, creatorId, videoUrl, duration } });
 * ```
 */
export function createJobsClient(options: JobsClientOptions): JobsClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createJobsClient needs options ({ config } or keys)', {
      argument: 'options',
    });
  }
  const isDev = options.isDev === true;
  const jobsConfig = options.config?.jobs;
  const eventKey = reveal(options.eventKey ?? jobsConfig?.inngestEventKey);
  const signingKey = reveal(options.signingKey ?? jobsConfig?.inngestSigningKey);
  const signingKeyFallback = reveal(options.signingKeyFallback);
  const baseUrl = checkBaseUrl(options.baseUrl ?? jobsConfig?.inngestBaseUrl);

  if (!isDev && !signingKey) {
    throw new ConfigError('Inngest cloud mode needs a signing key (or pass isDev: true for the dev server)', {
      issues: [{ variable: 'INNGEST_SIGNING_KEY', message: 'is required outside dev mode' }],
    });
  }
  if (signingKey !== undefined && !/^signkey-[A-Za-z0-9]+-[A-Za-z0-9]+$/.test(signingKey)) {
    throw new ConfigError('The Inngest signing key must look like signkey-<env>-<key>', {
      issues: [{ variable: 'INNGEST_SIGNING_KEY', message: 'must look like signkey-<env>-<key>' }],
    });
  }

  const logger = options.logger ?? createDefaultLogger('jobs');
  const inngest = new Inngest({
    id: APP_ID,
    isDev,
    logger: toInngestLogger(demoteRepeatedFailures(logger)),
    internalLogger: toInngestLogger(logger),
    middleware: [contextMiddleware(), validationMiddleware()],
    ...(eventKey ? { eventKey } : {}),
    ...(signingKey ? { signingKey } : {}),
    ...(signingKeyFallback ? { signingKeyFallback } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
  });

  let closed = false;
  return {
    inngest,
    mode: isDev ? 'dev' : 'cloud',
    logger,
    async send(event) {
      if (closed) throw new InvalidArgumentError('The jobs client was closed', { argument: 'send' });
      const list = (Array.isArray(event) ? event : [event]) as JobEvent[];
      const validated = list.map((e) => validateEvent(e));
      if (validated.length === 0) return { ids: [] };
      try {
        return await inngest.send(validated);
      } catch (error) {
        if (isMentoraError(error)) throw error;
        throw new ServiceUnavailableError('Sending the event to Inngest failed', {
          service: 'inngest',
          cause: error,
          context: { events: validated.map((e) => e.name) },
        });
      }
    },
    async close() {
      closed = true;
    },
  };
}
