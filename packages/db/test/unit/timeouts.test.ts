// A server that accepts connections and never answers: only our deadline can end these calls.
import { createServer, type Server, type Socket } from 'node:net';
import { ServiceUnavailableError } from '@mentora/errors';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseHealth } from '../../src/health.js';
import { createQueryBuilder } from '../../src/query-builder.js';

let server: Server;
const sockets = new Set<Socket>();
let url: string;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('deadlines against a silent server', () => {
  it('checkDatabaseHealth reports a timeout instead of hanging', async () => {
    const client = createClient(url, 'anon', { auth: { persistSession: false } });
    const health = await checkDatabaseHealth(client, { timeoutMs: 200 });
    expect(health).toMatchObject({ healthy: false, error: 'timed out after 200 ms' });
    expect(health.latency).toBeGreaterThan(0);
  });

  it('a read gives up with ServiceUnavailableError when its budget is spent', async () => {
    const client = createClient(url, 'anon', { auth: { persistSession: false } });
    const videos = createQueryBuilder(client, 'videos', { timeoutMs: 300, retry: { attempts: 3 } });
    const error = await videos.list().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).context).toMatchObject({
      reason: 'timeout',
      operation: 'list',
    });
  });

  it('an insert that timed out is reported as possibly applied and not retried', async () => {
    const client = createClient(url, 'anon', { auth: { persistSession: false } });
    const videos = createQueryBuilder(client, 'videos', { timeoutMs: 300 });
    const error = await videos.insert({ creator_id: crypto.randomUUID(), title: 't', video_url: 'u' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).retryable).toBe(false);
    expect((error as ServiceUnavailableError).context).toMatchObject({ outcome: 'unknown', attempts: 1 });
  });

  it('the caller can abort', async () => {
    const client = createClient(url, 'anon', { auth: { persistSession: false } });
    const videos = createQueryBuilder(client, 'videos', { timeoutMs: 30_000 });
    const controller = new AbortController();
    const pending = videos.list({ signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).context).toMatchObject({ reason: 'aborted' });
  });
});
