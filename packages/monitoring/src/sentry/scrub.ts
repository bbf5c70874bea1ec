import type { Breadcrumb, Event, NodeOptions } from '@sentry/node';

/** A span as Sentry 11 streams it (`traceLifecycle: 'stream'`, the default): name and raw attributes. */
export type StreamedSpan = Parameters<NonNullable<NodeOptions['beforeSendSpan']>>[0];

import type { CompiledRedaction } from '../logger/redact.js';

/** User agents of crawlers, uptime probes and headless browsers: their errors are noise, not incidents. */
export const DEFAULT_BOT_USER_AGENTS: RegExp =
  /bot|crawl|spider|slurp|headlesschrome|lighthouse|pingdom|uptimerobot|facebookexternalhit|bingpreview/i;

/** The `user-agent` of an event's request, whatever the header's case. */
export function userAgentOf(event: Event): string | undefined {
  const headers = event.request?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'user-agent' && typeof value === 'string') return value;
  }
  return undefined;
}

/** A query string (`a=1&token=x`, an object or pairs) with sensitive names and secret values masked. */
function scrubQuery(query: unknown, r: CompiledRedaction): unknown {
  if (typeof query === 'string') {
    // Decoded first, so a secret value that was percent-encoded in the URL is still recognised.
    const encodedMask = encodeURIComponent(r.mask);
    const out: string[] = [];
    for (const [name, value] of new URLSearchParams(query)) {
      const clean = r.sensitiveKey(name) ? r.mask : r.string(value);
      out.push(`${encodeURIComponent(name)}=${encodeURIComponent(clean).split(encodedMask).join(r.mask)}`);
    }
    return out.join('&');
  }
  return r.redact(query);
}

function scrubRequest(request: NonNullable<Event['request']>, r: CompiledRedaction): Event['request'] {
  const out: NonNullable<Event['request']> = { ...request };
  if (typeof request.url === 'string') out.url = r.string(request.url);
  if (request.query_string !== undefined) {
    out.query_string = scrubQuery(request.query_string, r) as NonNullable<Event['request']>['query_string'];
  }
  // Cookies are session credentials: never sent, whatever their names.
  if (request.cookies !== undefined) out.cookies = { cookies: r.mask };
  if (request.headers !== undefined) out.headers = r.redact(request.headers) as Record<string, string>;
  if (request.data !== undefined) out.data = r.redact(request.data);
  if (request.env !== undefined) out.env = r.redact(request.env) as Record<string, string>;
  return out;
}

/**
 * A breadcrumb with the same rules as a log line (sensitive keys, secret values, URL passwords and
 * query values), or null for console `log` breadcrumbs (noise: anything worth keeping is logged at a
 * level).
 */
export function scrubBreadcrumb(breadcrumb: Breadcrumb, r: CompiledRedaction): Breadcrumb | null {
  if (breadcrumb.category === 'console' && breadcrumb.level === 'log') return null;
  const out: Breadcrumb = { ...breadcrumb };
  if (typeof breadcrumb.message === 'string') out.message = r.string(breadcrumb.message);
  if (breadcrumb.data !== undefined) out.data = r.redact(breadcrumb.data) as Breadcrumb['data'];
  return out;
}

/**
 * The event Sentry may receive: message, exception values (and local variables), extra, contexts,
 * tags, user, request (URL, query, headers, cookies, body), breadcrumbs and span descriptions/data all
 * pass through the redaction rules the logger uses. Returns a scrubbed copy; the input is untouched.
 */
export function scrubEvent<E extends Event>(event: E, r: CompiledRedaction): E {
  const out: E = { ...event };
  if (typeof event.message === 'string') out.message = r.string(event.message);
  if (event.logentry) {
    out.logentry = {
      ...event.logentry,
      ...(typeof event.logentry.message === 'string' ? { message: r.string(event.logentry.message) } : {}),
      ...(event.logentry.params ? { params: r.redact(event.logentry.params) as unknown[] } : {}),
    };
  }
  if (event.exception?.values) {
    out.exception = {
      ...event.exception,
      values: event.exception.values.map((ex) => ({
        ...ex,
        ...(typeof ex.value === 'string' ? { value: r.string(ex.value) } : {}),
        ...(ex.stacktrace?.frames
          ? {
              stacktrace: {
                ...ex.stacktrace,
                frames: ex.stacktrace.frames.map((f) =>
                  f.vars ? { ...f, vars: r.redact(f.vars) as Record<string, unknown> } : f,
                ),
              },
            }
          : {}),
      })),
    };
  }
  if (event.extra !== undefined) out.extra = r.redact(event.extra) as Event['extra'];
  if (event.contexts !== undefined) out.contexts = r.redact(event.contexts) as Event['contexts'];
  if (event.tags !== undefined) out.tags = r.redact(event.tags) as Event['tags'];
  if (event.user !== undefined) out.user = r.redact(event.user) as Event['user'];
  if (event.request !== undefined) out.request = scrubRequest(event.request, r);
  if (event.breadcrumbs !== undefined) {
    out.breadcrumbs = event.breadcrumbs
      .map((b) => scrubBreadcrumb(b, r))
      .filter((b): b is Breadcrumb => b !== null);
  }
  if (typeof event.transaction === 'string') out.transaction = r.string(event.transaction);
  return out;
}

/**
 * A streamed span (traces): its name and attributes (`url.full`, `http.query`,
 * `http.request.header.*`…) under the same rules. A span cannot be dropped here, only cleaned.
 */
export function scrubSpan(span: StreamedSpan, r: CompiledRedaction): StreamedSpan {
  return {
    ...span,
    name: r.string(span.name),
    attributes: r.redact(span.attributes) as StreamedSpan['attributes'],
  };
}
