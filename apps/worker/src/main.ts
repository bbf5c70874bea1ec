// Worker process: serves /health and runs the retention functions on a timer. Job functions arrive
// with @mentora/jobs. Usage: node src/main.ts [--port N] [--cleanup-interval-minutes M]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { checkDatabaseHealth } from '@mentora/db';
import { createWorkerInfra } from './infra.ts';
import { runCleanup } from './maintenance.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3001' },
    'cleanup-interval-minutes': { type: 'string', default: '60' },
  },
});
const infra = createWorkerInfra(process.env);

const server = createServer((req, res) => {
  if (req.url !== '/health') {
    res
      .writeHead(404, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
    return;
  }
  checkDatabaseHealth(infra.db.admin(), { timeoutMs: 2000 }).then((db) => {
    const body = { status: db.healthy ? 'healthy' : 'unhealthy', checks: { database: db } };
    res.writeHead(db.healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});

async function cleanup(): Promise<void> {
  try {
    console.info('[worker] cleanup', JSON.stringify(await runCleanup(infra.db)));
  } catch (err) {
    // A failed run is logged and retried at the next tick; it never stops the process.
    console.error('[worker] cleanup failed:', err instanceof Error ? err.message : err);
  }
}

const interval = setInterval(cleanup, Number(values['cleanup-interval-minutes']) * 60_000);
server.listen(Number(values.port), '127.0.0.1', () => {
  const addr = server.address();
  console.info(
    `[worker] ready on http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : values.port}/health`,
  );
  void cleanup();
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(interval);
  server.close();
  await infra.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
