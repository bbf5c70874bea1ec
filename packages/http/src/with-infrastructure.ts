import { type FeatureFlags, isPlanTier, type PlanTier, type RateLimitEndpoint } from '@mentora/config';
import {
  errorToAPIResponse,
  getRetryAfter,
  InvalidArgumentError,
  isMentoraError,
  PROBLEM_CONTENT_TYPE,
  RateLimitError,
  ServiceUnavailableError,
  UnauthorizedError,
} from '@mentora/errors';
import {
  type ErrorReporter,
  type Logger,
  type Metrics,
  runWithContext,
  setContextFields,
} from '@mentora/monitoring';
import { applyRateLimitHeaders, type RateLimiter, type RateLimitResult } from '@mentora/ratelimit';
import {
  type AuthOptions,
  type AuthUser,
  bearerToken,
  createTokenVerifier,
  type TokenVerifier,
} from './auth.js';
import { ANONYMOUS_CLIENT, assertTrustProxy, clientBucket, clientIp, type TrustProxy } from './client-ip.js';
import type { Lifecycle } from './lifecycle.js';
import { requestIdFrom } from './request-id.js';

/** What every wrapped handler shares; built once per process by the app's composition root. */
export interface InfrastructureDeps {
  /** Access log, error lines and `ctx.log` (the request context is on every line). */
  logger: Logger;
  /** Rate limits (`@mentora/ratelimit`). Without one, `rateLimit` route options are ignored. */
  rateLimiter?: Pick<RateLimiter, 'checkRateLimit'>;
  /** Plan of each signed-in user (`ctx.plan`). Without one, everyone is on `anonymousPlan`. */
  flags?: Pick<FeatureFlags, 'getUserPlan'>;
  /** Bearer token verification. Without it, a request carrying a token is refused (401). */
  auth?: AuthOptions;
  /** `api_request_logs` rows. */
  metrics?: Pick<Metrics, 'recordRequest'>;
  /** Sentry (or any ErrorReporter): 5xx only. */
  reporter?: Pick<ErrorReporter, 'captureException'>;
  /** Which proxies to believe about the client address (`TRUST_PROXY`); see `clientIp`. */
  trustProxy?: TrustProxy;
  /** Counts in-flight requests; while it drains, new requests get 503. */
  lifecycle?: Pick<Lifecycle, 'enter'>;
  /** Plan of anonymous callers and of users without a membership (default `basic`). */
  anonymousPlan?: PlanTier;
  /** Longest wait for `flags.getUserPlan` before answering 503 (ms, default 2 000). */
  flagsTimeoutMs?: number;
}

/** The deps, or a function building them on first use (once; retried on the next request if it throws). */
export type InfrastructureSource =
  | InfrastructureDeps
  | (() => InfrastructureDeps | Promise<InfrastructureDeps>);

export interface RateLimitRouteOptions {
  enabled: boolean;
  /** Which catalog limit applies (`chat`, `videoUpload`, `quizGeneration`, `auth`, `api`). */
  endpoint: RateLimitEndpoint;
  /** Units this request consumes (default 1). */
  cost?: number;
}

export interface RouteOptions {
  rateLimit?: RateLimitRouteOptions;
  /** One access log line per request (default true). */
  logging?: boolean;
  /** Report 5xx to the reporter (default true). 4xx are never reported. */
  errorTracking?: boolean;
  /**
   * `optional` (default): a valid token identifies the user, no token means anonymous, an invalid one
   * is a 401. `required`: no token is a 401 too.
   */
  auth?: 'optional' | 'required';
  /** Route name in logs and metrics (default the URL path). Use the pattern (`/api/videos/[id]`) for dynamic routes. */
  route?: string;
}

/** What a wrapped handler receives besides the request. */
export interface HandlerContext<P = unknown> {
  requestId: string;
  /** The verified caller, or null (anonymous). */
  user: AuthUser | null;
  plan: PlanTier;
  /** A child of the deps' logger; the request context is on every line. */
  log: Logger;
  /** Canonical client address, or null when it cannot be known (see `clientIp`). */
  clientIp: string | null;
  route: string;
  /** Next.js' dynamic route params (the second argument's `params`), as given. */
  params: P | undefined;
  /** The rate-limit decision for this request, when the route is rate limited. */
  rateLimit: RateLimitResult | undefined;
}

/** A handler's answer: a Response, or any JSON-serialisable value (sent as 200 JSON); undefined → 204. */
export type HandlerResult = Response | object | null | undefined;

export type RouteHandler<P = unknown> = (
  request: Request,
  ctx: HandlerContext<P>,
) => HandlerResult | Promise<HandlerResult>;

/** The wrapped handler: a Next.js App Router route export, or any Fetch handler. */
export type WrappedHandler<P = unknown> = (request: Request, context?: { params?: P }) => Promise<Response>;

export type WithInfrastructure = <P = unknown>(
  handler: RouteHandler<P>,
  options?: RouteOptions,
) => WrappedHandler<P>;

interface Resolved {
  deps: InfrastructureDeps;
  verifier: TokenVerifier | undefined;
  anonymousPlan: PlanTier;
  flagsTimeoutMs: number;
}

function prepare(deps: InfrastructureDeps): Resolved {
  if (deps === null || typeof deps !== 'object' || typeof deps.logger?.child !== 'function') {
    throw new InvalidArgumentError('createWithInfrastructure: deps.logger (a Logger) is required', {
      argument: 'deps',
    });
  }
  assertTrustProxy(deps.trustProxy);
  const anonymousPlan = deps.anonymousPlan ?? 'basic';
  if (!isPlanTier(anonymousPlan)) {
    throw new InvalidArgumentError(`createWithInfrastructure: unknown plan ${String(anonymousPlan)}`, {
      argument: 'anonymousPlan',
    });
  }
  return {
    deps,
    verifier: deps.auth ? createTokenVerifier(deps.auth) : undefined,
    anonymousPlan,
    flagsTimeoutMs: deps.flagsTimeoutMs ?? 2_000,
  };
}

/** Sets a header on a Response whose headers may be immutable (a fetched or redirect Response). */
function withHeaders(response: Response, set: (headers: Headers) => void): Response {
  try {
    set(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    set(copy.headers);
    return copy;
  }
}

/**
 * The path of an absolute `http(s):` URL as `new URL(url).pathname` gives it, without parsing the URL:
 * `request.url` is already serialized by the URL parser (a Request normalizes its URL), so the path
 * is the text between the authority and the query or fragment. Anything else goes through `URL`.
 */
export function pathnameOf(url: string): string {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start > 0) {
    let i = start;
    while (i < url.length) {
      const c = url.charCodeAt(i);
      if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */ || c === 0x5c /* \ */) break;
      i++;
    }
    if (i === url.length || url.charCodeAt(i) !== 0x2f) return '/';
    let end = i + 1;
    while (end < url.length) {
      const c = url.charCodeAt(end);
      if (c === 0x3f || c === 0x23) break;
      // A backslash, a dot segment or a character the serializer would have escaped: not a
      // serialized URL, let the parser decide.
      if (c === 0x5c || c <= 0x20 || c >= 0x7f || (c === 0x2e && url.charCodeAt(end - 1) === 0x2f)) {
        return parsedPathname(url);
      }
      end++;
    }
    return url.slice(i, end);
  }
  return parsedPathname(url);
}

function parsedPathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

function toResponse(result: HandlerResult): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return Response.json(result);
}

function problem(error: unknown, requestId: string): Response {
  const body = errorToAPIResponse(error, { instance: requestId });
  const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  const retryAfter = getRetryAfter(error);
  if (retryAfter !== undefined && (body.status === 429 || body.status === 503)) {
    headers.set('retry-after', String(retryAfter));
  }
  if (body.status === 401) headers.set('www-authenticate', 'Bearer');
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

async function planOf(resolved: Resolved, user: AuthUser | null): Promise<PlanTier> {
  const flags = resolved.deps.flags;
  if (user === null || flags === undefined) return resolved.anonymousPlan;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const plan = await Promise.race([
      flags.getUserPlan(user.id),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ServiceUnavailableError('The plan lookup timed out', { service: 'flags' })),
          resolved.flagsTimeoutMs,
        );
      }),
    ]);
    return isPlanTier(plan) ? plan : resolved.anonymousPlan;
  } catch (error) {
    // Without the plan neither the limit nor the feature gates can be decided honestly.
    if (isMentoraError(error) && error.status === 503) throw error;
    throw new ServiceUnavailableError('The plan lookup failed', { service: 'flags', cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the `withInfrastructure` wrapper from the process's shared parts.
 *
 * Every wrapped request gets: a request id (a well-formed incoming `x-request-id`, else a fresh one;
 * echoed as `x-request-id`), the request context on every log line, the caller from a verified bearer
 * token (else the client address), the plan, the rate limit with its headers, an access log line, an
 * `api_request_logs` row, and every thrown error as problem+json with the right status (5xx reported).
 */
export function createWithInfrastructure(source: InfrastructureSource): WithInfrastructure {
  let resolved: Resolved | undefined;
  let pending: Promise<Resolved> | undefined;
  if (typeof source !== 'function') resolved = prepare(source);

  const resolve = (): Resolved | Promise<Resolved> => {
    if (resolved) return resolved;
    pending ??= Promise.resolve()
      .then(() => (source as () => InfrastructureDeps | Promise<InfrastructureDeps>)())
      .then((deps) => {
        resolved = prepare(deps);
        return resolved;
      })
      .catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    return pending;
  };

  return <P = unknown>(handler: RouteHandler<P>, options: RouteOptions = {}): WrappedHandler<P> => {
    if (typeof handler !== 'function') {
      throw new InvalidArgumentError('withInfrastructure: handler must be a function', {
        argument: 'handler',
      });
    }
    const logging = options.logging ?? true;
    const errorTracking = options.errorTracking ?? true;
    const authMode = options.auth ?? 'optional';
    const rateLimit = options.rateLimit?.enabled ? options.rateLimit : undefined;

    return async (request, nextContext) => {
      const started = performance.now();
      const requestId = requestIdFrom(request);
      const method = request.method;
      const routeName = options.route ?? pathnameOf(request.url);

      return runWithContext({ requestId, route: routeName, method }, async () => {
        let r: Resolved | undefined;
        let release: (() => void) | undefined;
        let user: AuthUser | null = null;
        let ip: string | null = null;
        let limit: RateLimitResult | undefined;
        let response: Response;
        let failure: unknown;
        try {
          r = await resolve();
          if (r.deps.lifecycle) {
            release = r.deps.lifecycle.enter();
            if (release === undefined) {
              throw new ServiceUnavailableError('The server is shutting down', {
                code: 'SHUTTING_DOWN',
                retryAfter: 5,
              });
            }
          }
          ip = clientIp(request, r.deps.trustProxy === undefined ? {} : { trustProxy: r.deps.trustProxy });

          const token = bearerToken(request);
          if (token !== undefined) {
            if (r.verifier === undefined) {
              throw new UnauthorizedError('Bearer tokens are not accepted by this server', {
                code: 'AUTH_NOT_CONFIGURED',
              });
            }
            user = await r.verifier.verify(token);
          }
          if (user === null && authMode === 'required') {
            throw new UnauthorizedError('Authentication required', { code: 'AUTH_REQUIRED' });
          }
          if (user !== null) setContextFields({ userId: user.id });
          const plan = await planOf(r, user);

          if (rateLimit && r.deps.rateLimiter) {
            const identity =
              user !== null ? { userId: user.id } : { ip: ip === null ? ANONYMOUS_CLIENT : clientBucket(ip) };
            limit = await r.deps.rateLimiter.checkRateLimit(
              identity,
              rateLimit.endpoint,
              plan,
              rateLimit.cost === undefined ? {} : { cost: rateLimit.cost },
            );
            if (!limit.allowed) {
              throw new RateLimitError(limit.limit, limit.rule.window, limit.retryAfter, {
                context: { endpoint: rateLimit.endpoint, plan },
              });
            }
          }

          const base = r.deps.logger;
          let child: Logger | undefined;
          const ctx: HandlerContext<P> = {
            requestId,
            user,
            plan,
            // Made on first use: most handlers never log, and the wrapper's own lines carry the
            // request id as a field instead.
            get log() {
              child ??= base.child({ requestId });
              return child;
            },
            clientIp: ip,
            route: routeName,
            params: nextContext?.params,
            rateLimit: limit,
          };
          response = toResponse(await handler(request, ctx));
        } catch (error) {
          failure = error;
          response = problem(error, requestId);
        } finally {
          release?.();
        }

        const status = response.status;
        response = withHeaders(response, (headers) => {
          headers.set('x-request-id', requestId);
          if (limit !== undefined) applyRateLimitHeaders(headers, limit);
        });
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        const logger = r?.deps.logger;
        const errorCode = failure === undefined ? undefined : errorToAPIResponse(failure).code;

        if (failure !== undefined && status >= 500) {
          logger?.error('request failed', { error: failure, requestId, method, route: routeName, status });
          if (errorTracking && r?.deps.reporter) {
            try {
              r.deps.reporter.captureException(failure, {
                requestId,
                ...(user !== null ? { userId: user.id } : {}),
                tags: { route: routeName, method, status: String(status) },
              });
            } catch (error) {
              logger?.warn('error reporter failed', { error, requestId });
            }
          }
        }
        if (logging) {
          logger?.info('request completed', {
            requestId,
            method,
            route: routeName,
            status,
            durationMs,
            ...(errorCode !== undefined ? { errorCode } : {}),
          });
        }
        if (r?.deps.metrics) {
          try {
            r.deps.metrics.recordRequest({
              method,
              path: routeName,
              statusCode: status,
              durationMs,
              requestId,
              userId: user?.id ?? null,
              clientIp: ip,
              userAgent: request.headers.get('user-agent'),
              errorCode: errorCode ?? null,
            });
          } catch (error) {
            logger?.warn('request metric failed', { error, requestId });
          }
        }
        if (r === undefined && failure !== undefined) {
          // The deps could not be built: nothing else can log it.
          console.error('withInfrastructure: the infrastructure could not be built', failure);
        }
        return response;
      });
    };
  };
}
