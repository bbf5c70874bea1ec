import { brandOf, type MentoraError } from './base.js';

/** An RFC 9457 problem details object, as sent with `application/problem+json`. */
export interface ProblemDetails {
  /** URI reference identifying the problem type (one per `code`). */
  type: string;
  /** Short summary of the problem type; the same for every occurrence. */
  title: string;
  status: number;
  /** Explanation of this occurrence, safe for clients. Never internal for a 5xx. */
  detail: string;
  /** This occurrence: the request id. */
  instance?: string;
  /** Stable machine-readable code, e.g. `RATE_LIMITED`. */
  code: string;
  /** Extension members (`retryAfter`, `errors`, `limit`…). */
  [extension: string]: unknown;
}

export interface ProblemOptions {
  /** The request id, rendered as the RFC 9457 `instance` member. */
  instance?: string;
  /**
   * Base of the `type` URI; the code is appended as a kebab-case slug.
   * Default `urn:mentora:problem:` (so `RATE_LIMITED` → `urn:mentora:problem:rate-limited`).
   */
  typeBaseUri?: string;
}

/**
 * Headers in any form `new Headers(init)` takes: a `Headers`, a `Map`, `[name, value]` pairs or a plain
 * object. Written without the DOM lib's `HeadersInit`, so a consumer's type check needs no DOM types.
 */
export type HeaderValues = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

export interface ProblemResponseOptions extends ProblemOptions {
  /** Extra headers (e.g. rate-limit headers, a request id). */
  headers?: HeaderValues;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const DEFAULT_TYPE_BASE_URI = 'urn:mentora:problem:';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

function genericDetail(status: number): string {
  switch (status) {
    case 502:
      return 'An upstream service failed. Please try again later.';
    case 503:
      return 'The service is temporarily unavailable. Please try again later.';
    case 504:
      return 'An upstream service did not respond in time. Please try again later.';
    default:
      return status >= 500 ? 'An unexpected error occurred.' : 'The request could not be processed.';
  }
}

function codeSlug(code: string): string {
  return (
    code
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'error'
  );
}

function typeUri(base: string, code: string): string {
  const sep = base.endsWith('/') || base.endsWith(':') || base.endsWith('#') ? '' : '/';
  return `${base}${sep}${codeSlug(code)}`;
}

/** A Mentora error from any build (brand check), or undefined. */
function asMentora(err: unknown): MentoraError | undefined {
  return brandOf(err) ? (err as MentoraError) : undefined;
}

function validStatus(s: unknown): number | undefined {
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599 ? s : undefined;
}

/** The HTTP status for any thrown value: a Mentora error's `status`, otherwise 500. */
export function getErrorStatusCode(err: unknown): number {
  return validStatus(asMentora(err)?.status) ?? 500;
}

/** Seconds after which a retry makes sense, when the error knows it. */
export function getRetryAfter(err: unknown): number | undefined {
  const m = asMentora(err);
  const v = (m?.context as { retryAfter?: unknown } | undefined)?.retryAfter;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined;
}

function jsonSafe(value: unknown): unknown {
  try {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

/**
 * Render any thrown value as an RFC 9457 problem details object.
 *
 * - Unknown (non-Mentora) values: 500 with a generic detail.
 * - 5xx: a generic detail unless the error was created with `expose: true`; extension members are limited
 *   to `retryAfter`. No message, stack, SQL, path or context ever leaks.
 * - 4xx: the message when `expose` (the default for 4xx), with the class's safe extension members
 *   (`errors` for validation, `limit`/`window`/`retryAfter` for 429, …).
 */
export function errorToAPIResponse(err: unknown, options: ProblemOptions = {}): ProblemDetails {
  const base = options.typeBaseUri ?? DEFAULT_TYPE_BASE_URI;
  const m = asMentora(err);
  const status = getErrorStatusCode(err);
  const code = m && typeof m.code === 'string' && m.code ? m.code : 'INTERNAL_ERROR';

  let title = statusTitle(status);
  if (m) {
    const ctor = (m as object).constructor as { title?: unknown; defaultStatus?: unknown } | undefined;
    if (ctor && typeof ctor.title === 'string' && ctor.defaultStatus === status) title = ctor.title;
  }

  const expose = m !== undefined && m.expose === true;
  const detail = expose && typeof m.message === 'string' && m.message ? m.message : genericDetail(status);

  const body: ProblemDetails = { type: typeUri(base, code), title, status, detail, code };
  if (options.instance !== undefined) body.instance = String(options.instance);

  if (m) {
    let ext: Record<string, unknown> = {};
    try {
      ext = typeof m.problemExtensions === 'function' ? (m.problemExtensions() ?? {}) : {};
    } catch {
      ext = {};
    }
    const full = expose && status < 500;
    for (const [key, value] of Object.entries(ext)) {
      if (RESERVED.has(key)) continue;
      if (!full && key !== 'retryAfter') continue;
      const safe = jsonSafe(value);
      if (safe !== undefined) body[key] = safe;
    }
    const retryAfter = getRetryAfter(m);
    if (retryAfter !== undefined && (status === 429 || status === 503) && body.retryAfter === undefined) {
      body.retryAfter = retryAfter;
    }
  }
  return body;
}

/**
 * A Fetch `Response` carrying the problem details: `content-type: application/problem+json`,
 * `cache-control: no-store`, and `Retry-After` for 429/503 when the error knows when to retry.
 */
export function problemResponse(err: unknown, options: ProblemResponseOptions = {}): Response {
  const body = errorToAPIResponse(err, options);
  // Any iterable of pairs is a valid Headers init at run time (WHATWG: sequence<sequence<ByteString>>);
  // the DOM lib's type only names arrays.
  const headers = new Headers(options.headers as HeadersInit | undefined);
  headers.set('content-type', PROBLEM_CONTENT_TYPE);
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  const retryAfter = getRetryAfter(err);
  if (retryAfter !== undefined && (body.status === 429 || body.status === 503)) {
    headers.set('retry-after', String(retryAfter));
  }
  return new Response(JSON.stringify(body), { status: body.status, headers });
}
