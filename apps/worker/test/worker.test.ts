// The worker process as it runs in production (node src/main.ts), against the embedded Supabase stack.
import { join } from 'node:path';
import { type LocalSupabase, startLocalSupabase } from '@mentora/db/testing';
import { getFreePort, type ManagedProcess, startProcess } from '@mentora/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerInfra } from '../src/infra.ts';
import { runCleanup } from '../src/maintenance.ts';

let stack: LocalSupabase;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalSupabase({ mode: 'embedded' });
  env = {
    MENTORA_ENV: 'test',
    NEXT_PUBLIC_SUPABASE_URL: stack.url,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
  };
});
afterAll(async () => {
  await stack?.stop();
});

describe('worker', () => {
  it('runs the retention functions and reports what each removed', async () => {
    await stack.runSql(`
      insert into public.api_request_logs (method, path, status_code, duration_ms, created_at)
      values ('GET', '/old', 200, 5, now() - interval '31 days'), ('GET', '/new', 200, 5, now());
    `);
    const infra = createWorkerInfra(env);
    try {
      const report = await runCleanup(infra.db);
      expect(report.cleanup_old_api_logs).toBe(1);
      expect(report.cleanup_old_job_queue_records).toBe(0);
    } finally {
      await infra.close();
    }
  });

  it('serves /health and stops cleanly on SIGTERM', async () => {
    const port = await getFreePort();
    let worker: ManagedProcess | undefined;
    try {
      worker = await startProcess({
        name: 'worker',
        command: process.execPath,
        args: [join(import.meta.dirname, '..', 'src', 'main.ts'), '--port', String(port)],
        cwd: join(import.meta.dirname, '..'),
        env: { PATH: process.env.PATH, ...env },
        ready: async () =>
          (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)) !== undefined,
      });
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'healthy' });
      await worker.stop();
      expect((await worker.exited).code).toBe(0);
    } finally {
      await worker?.stop();
    }
  });
});
