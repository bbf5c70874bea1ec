import {
  Agent,
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { errorToAPIResponse, MentoraError, NotFoundError, ServiceUnavailableError } from '@mentora/errors';
import { withPortRetry } from './ports.ts';

export interface StartGatewayOptions {
  /** Where PostgREST listens (host 127.0.0.1). Fixed: PostgREST restarts on the same port. */
  postgrestPort: number;
  postgrestHost?: string;
  /**
   * Hang guard for an upstream that accepted the connection but does not answer: after this
   * long without response headers the gateway answers 504. Default 60 s.
   */
  upstreamTimeoutMs?: number;
  /** Listen on this port instead of a free one. */
  port?: number;
  /**
   * Largest request body forwarded to PostgREST, in bytes. A larger one is answered 413 with
   * problem+json and never reaches PostgREST, as an API gateway in front of Supabase's PostgREST
   * refuses it (nginx/Kong `client_max_body_size`). Default 1 MiB (nginx's default).
   */
  maxBodyBytes?: number;
}

/** nginx's default `client_max_body_size`. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface GatewayService {
  /** Base URL to give supabase-js: `createClient(url, anonKey)`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const REST_PREFIX = '/rest/v1';

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardHeaders(headers: IncomingHttpHeaders, upstreamHost: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const connectionTokens = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name)) continue;
    out[name] = value;
  }
  out.host = upstreamHost;
  // As Supabase's gateway does: the API key stands in for a missing Authorization header, so a
  // request that carries only `apikey` runs as the key's role (anon or service_role).
  const apikey = headers.apikey;
  if (out.authorization === undefined && typeof apikey === 'string' && apikey !== '') {
    out.authorization = `Bearer ${apikey}`;
  }
  return out;
}

function sendProblem(res: ServerResponse, error: MentoraError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // RFC 9457 problem+json from @mentora/errors, plus `message`, the field postgrest-js reads
  // from an error body (so supabase-js callers see why).
  const problem = errorToAPIResponse(error);
  const body = JSON.stringify({ ...problem, message: problem.detail });
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...(problem.status === 503 ? { 'retry-after': '1' } : {}),
    ...headers,
  });
  res.end(body);
}

const IDEMPOTENT_WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

function bodyTooLarge(limit: number): MentoraError {
  return new MentoraError(`Request body exceeds the gateway's limit of ${limit} bytes`, {
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
    retryable: false,
    expose: true,
    context: { limitBytes: limit },
  });
}

/**
 * Answers 413 and closes the connection once the answer is out: the rest of the body is read and
 * dropped meanwhile, so a client still uploading gets the answer instead of a reset connection.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  req.resume();
  sendProblem(res, bodyTooLarge(limit), { connection: 'close' });
}

/**
 * A small Supabase-style API gateway: `/rest/v1/*` is proxied to PostgREST's `/*` with the
 * method, headers (Prefer, Range, Accept-/Content-Profile, ...) and body streamed both ways.
 * When PostgREST is down it answers 503 at once instead of hanging, so clients see an outage
 * as a retryable error.
 */
export async function startGateway(options: StartGatewayOptions): Promise<GatewayService> {
  const upstreamHost = options.postgrestHost ?? '127.0.0.1';
  const upstreamPort = options.postgrestPort;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Keep-alive to PostgREST: a fresh TCP connection per request would dominate the latency.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const proxy = (req: IncomingMessage, res: ServerResponse, path: string, attempt: number) => {
    let upstream: ClientRequest | undefined;
    const onClientGone = () => upstream?.destroy();
    res.once('close', onClientGone);

    upstream = httpRequest(
      {
        host: upstreamHost,
        port: upstreamPort,
        method: req.method,
        path,
        headers: forwardHeaders(req.headers, `${upstreamHost}:${upstreamPort}`),
        agent,
      },
      (upstreamRes) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, headers);
        upstreamRes.pipe(res);
        upstreamRes.once('error', () => res.destroy());
      },
    );
    upstream.setTimeout(upstreamTimeoutMs, () => {
      upstream?.destroy(Object.assign(new Error('upstream timeout'), { code: 'UPSTREAM_TIMEOUT' }));
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      res.off('close', onClientGone);
      if (res.destroyed || res.writableEnded) return;
      // A pooled keep-alive socket that PostgREST closed (it restarted): safe to retry once when
      // the request has no body to replay.
      if (
        upstream?.reusedSocket &&
        error.code === 'ECONNRESET' &&
        attempt === 0 &&
        IDEMPOTENT_WITHOUT_BODY.has(req.method ?? '')
      ) {
        proxy(req, res, path, attempt + 1);
        return;
      }
      if (error.code === 'BODY_TOO_LARGE') {
        refuseBody(req, res, maxBodyBytes);
      } else if (error.code === 'UPSTREAM_TIMEOUT') {
        sendProblem(
          res,
          new MentoraError('PostgREST did not answer in time', {
            code: 'GATEWAY_TIMEOUT',
            status: 504,
            retryable: true,
            expose: true,
            cause: error,
          }),
        );
      } else {
        sendProblem(
          res,
          new ServiceUnavailableError(`PostgREST is not reachable (${error.code ?? error.message})`, {
            service: 'postgrest',
            retryAfter: 1,
            expose: true,
            cause: error,
          }),
        );
      }
    });
    if (IDEMPOTENT_WITHOUT_BODY.has(req.method ?? '') && attempt > 0) {
      upstream.end();
      return;
    }
    // A body without a (truthful) Content-Length is counted as it streams: past the limit the upstream
    // request is torn down before PostgREST has the whole body, so nothing of it is applied.
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBodyBytes) return;
      req.off('data', count);
      req.unpipe(upstream);
      upstream?.destroy(Object.assign(new Error('request body too large'), { code: 'BODY_TOO_LARGE' }));
    };
    req.on('data', count);
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://gateway');
    if (url.pathname === REST_PREFIX || url.pathname.startsWith(`${REST_PREFIX}/`)) {
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
        refuseBody(req, res, maxBodyBytes);
        return;
      }
      const path = (url.pathname.slice(REST_PREFIX.length) || '/') + url.search;
      proxy(req, res, path, 0);
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    req.resume();
    sendProblem(res, new NotFoundError(`No route for ${url.pathname}: this gateway serves ${REST_PREFIX}`));
  });
  // Short keep-alive on the client side so stop() is never held up by idle client sockets.
  server.keepAliveTimeout = 5_000;

  const port = await withPortRetry(
    (candidate) =>
      new Promise<number>((resolve, reject) => {
        const target = options.port ?? candidate;
        server.once('error', reject);
        server.listen({ port: target, host: '127.0.0.1' }, () => {
          server.off('error', reject);
          resolve(target);
        });
      }),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
