// Starts the worker process as it runs in production (node src/main.ts) against a Supabase stack.
import { join } from 'node:path';
import { type ManagedProcess, type SupabaseStack, startProcess } from '@mentora/testing';

export const root = join(import.meta.dirname, '..', '..');
export const migrationsDir = join(root, '..', '..', 'supabase', 'migrations');

export function workerEnv(
  stack: SupabaseStack,
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    MENTORA_ENV: 'test',
    LOG_LEVEL: 'warn',
    NEXT_PUBLIC_SUPABASE_URL: stack.url,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_JWT_SECRET: stack.jwtSecret,
    ...extra,
  };
}

/** Resolves once the worker answers /health/live on `port`. */
export async function launchWorker(
  stack: SupabaseStack,
  port: number,
  options: { args?: string[]; script?: string; env?: Record<string, string> } = {},
): Promise<ManagedProcess> {
  return startProcess({
    name: 'worker',
    command: process.execPath,
    args: [join(root, options.script ?? 'src/main.ts'), '--port', String(port), ...(options.args ?? [])],
    cwd: root,
    env: workerEnv(stack, options.env),
    ready: async () =>
      (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.ok === true,
  });
}
