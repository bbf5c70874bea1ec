import type { Config } from '@mentora/config';
import { ConfigError, InvalidArgumentError } from '@mentora/errors';
import * as Sentry from '@sentry/node';
import { getContext } from '../context.js';
import type { CaptureContext, ErrorReporter } from '../reporter.js';
import { isExpectedError, resolveSentry, type SentryOptions, sentryOptionsFromConfig } from './options.js';

/** A reporter that reports nothing: what `initSentry` returns without a DSN. */
export function createNoopReporter(): ErrorReporter {
  return {
    captureException: () => undefined,
    flush: async () => true,
    close: async () => true,
  };
}

function isConfig(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && 'monitoring' in value && 'profile' in value;
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`initSentry: ${name} must be between 0 and 1, got ${String(value)}`, {
      argument: name,
    });
  }
}

/**
 * Starts the Sentry SDK for this process (like `Sentry.init`: one per process, at the composition root)
 * and returns the `ErrorReporter` that packages are given. From options, or from the configuration:
 *
 *   const reporter = initSentry(config, { release: process.env.GIT_SHA });   // composition root
 *   reporter.captureException(error, { userId, requestId });
 *   await reporter.close(2000);                                               // on shutdown
 *
 * Without a DSN nothing is started and the reporter does nothing. Events and breadcrumbs pass through
 * the logger's redaction rules; bots and 4xx `MentoraError`s are not reported.
 */
export function initSentry(input: SentryOptions | Config, overrides?: Partial<SentryOptions>): ErrorReporter {
  const options: SentryOptions = isConfig(input)
    ? sentryOptionsFromConfig(input, overrides)
    : { ...input, ...overrides };
  checkRate('sampleRate', options.sampleRate);
  checkRate('tracesSampleRate', options.tracesSampleRate);
  if (!options.dsn) {
    options.logger?.info('Sentry is off: no DSN configured');
    return createNoopReporter();
  }
  try {
    new URL(options.dsn);
  } catch (cause) {
    throw new ConfigError('SENTRY_DSN is not a URL', {
      issues: [{ variable: 'SENTRY_DSN', message: 'is not a URL' }],
      cause,
    });
  }
  const { nodeOptions, bots } = resolveSentry(options);
  const client = Sentry.init(nodeOptions);
  if (client === undefined) {
    options.logger?.warn('Sentry did not start; errors are not reported');
    return createNoopReporter();
  }
  options.logger?.info('Sentry is on', {
    environment: nodeOptions.environment,
    tracesSampleRate: nodeOptions.tracesSampleRate,
  });
  let closed = false;

  return {
    captureException(error: unknown, context: CaptureContext = {}) {
      if (closed || isExpectedError(error)) return undefined;
      const ctx = getContext();
      if (bots && typeof ctx?.userAgent === 'string' && bots.test(ctx.userAgent)) return undefined;
      // A scope of this capture only (a copy of the current one, so what the SDK put on it for this
      // request stays). The request context is read here, when the error is reported, so the tags are
      // right whatever Sentry's own scope isolation did.
      const scope = Sentry.getCurrentScope().clone();
      const userId = context.userId ?? ctx?.userId;
      if (typeof userId === 'string') scope.setUser({ id: userId });
      const tags: Record<string, string> = {};
      const requestId = context.requestId ?? ctx?.requestId;
      if (typeof requestId === 'string') tags.request_id = requestId;
      if (typeof ctx?.route === 'string') tags.route = ctx.route;
      if (typeof ctx?.method === 'string') tags.method = ctx.method;
      if (typeof ctx?.jobRunId === 'string') tags.job_run_id = ctx.jobRunId;
      if (typeof ctx?.functionId === 'string') tags.function_id = ctx.functionId;
      if (context.creatorId !== undefined) tags.creator_id = context.creatorId;
      if (context.membershipId !== undefined) tags.membership_id = context.membershipId;
      scope.setTags({ ...tags, ...context.tags });
      if (context.extra !== undefined) scope.setExtras(context.extra);
      return client.captureException(error, { originalException: error }, scope);
    },
    async flush(timeoutMs = 2_000) {
      return client.flush(timeoutMs);
    },
    async close(timeoutMs = 2_000) {
      if (closed) return true;
      closed = true;
      return client.close(timeoutMs);
    },
  };
}
