// The worker's HTTP server: the Inngest endpoint (serve mode) and the health endpoints, with a
// shutdown that stops accepting, drains in-flight requests (bounded) and then closes what is left.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkDatabaseHealth } from '@mentora/db';
import { createHealthCheck, type HealthReport } from '@mentora/monitoring';
import { serve } from 'inngest/node';
import type { WorkerInfra } from './infra.ts';

export interface WorkerServerOptions {
  infra: WorkerInfra;
  /** Serve the Inngest endpoint (false in connect mode: health only). */
  serveFunctions: boolean;
  servePath: string;
  shutdownTimeoutMs: number;
}

export interface WorkerServer {
  listen(port: number, host: string): Promise<string>;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Stops accepting, waits for in-flight requests up to the timeout, then closes the rest. Idempotent. */
  close(): Promise<{ drained: boolean }>;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  res
    .writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

export function createWorkerServer(options: WorkerServerOptions): WorkerServer {
  const { infra } = options;
  const health = createHealthCheck({
    checks: { database: () => checkDatabaseHealth(infra.db.admin(), { timeoutMs: 2_000 }) },
    critical: ['database'],
    logger: infra.logger,
  });
  const inngestHandler = serve({
    client: infra.jobs.inngest,
    functions: infra.functions.all,
    servePath: options.servePath,
  });
  let stopping = false;
  let active = 0;
  let drainedWaiter: (() => void) | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (path === '/health/live') {
      // The process is up and answering; nothing else is probed.
      const live: HealthReport = { status: 'healthy', timestamp: new Date().toISOString(), checks: {} };
      sendJson(res, 200, live);
      return;
    }
    if (path === '/health' || path === '/health/ready') {
      const report = await health.run();
      if (stopping) {
        report.status = 'unhealthy';
        report.checks.shutdown = { status: 'error', latency: 0, code: 'SHUTTING_DOWN' };
      }
      sendJson(res, report.status === 'unhealthy' ? 503 : 200, report);
      return;
    }
    if (options.serveFunctions && path === options.servePath) {
      await inngestHandler(req, res);
      return;
    }
    sendJson(res, 404, { type: 'about:blank', title: 'Not Found', status: 404 }, 'application/problem+json');
  }

  const server: Server = createServer((req, res) => {
    active += 1;
    res.once('close', () => {
      active -= 1;
      if (active === 0) drainedWaiter?.();
    });
    handle(req, res).catch((error) => {
      infra.logger.error('worker request failed', { error, url: req.url });
      if (!res.headersSent)
        sendJson(
          res,
          500,
          { type: 'about:blank', title: 'Internal Server Error', status: 500 },
          'application/problem+json',
        );
      else res.destroy();
    });
  });
  // Shutdown must not wait for idle keep-alive sockets.
  server.keepAliveTimeout = 5_000;

  let closing: Promise<{ drained: boolean }> | undefined;
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    inFlight: () => active,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let drained = active === 0;
        if (!drained) {
          let timer: NodeJS.Timeout | undefined;
          drained = await Promise.race([
            new Promise<boolean>((resolve) => {
              drainedWaiter = () => resolve(true);
            }),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), options.shutdownTimeoutMs);
            }),
          ]);
          clearTimeout(timer);
        }
        // What is still open after the drain limit is cut; Inngest retries those requests.
        server.closeAllConnections();
        await closed;
        return { drained };
      })();
      return closing;
    },
  };
}
