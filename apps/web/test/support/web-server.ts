// Serves the built app (`next build` output, made by the build task the tests depend on, so it is built
// once for every test file) with the real `next start` on a free loopback port, configured for a given
// Supabase stack, event API and extra environment.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSupabase } from '@mentora/db/testing';
import { getFreePort, type ManagedProcess, startProcess } from '@mentora/testing';

export const appDir = join(import.meta.dirname, '..', '..');

/** The webhook signing secret the tests sign Whop deliveries with. */
export const WHOP_SECRET = 'whsec_dGVzdC1vbmx5LXdob3Atd2ViaG9vay1zZWNyZXQtMzItYnl0ZXM=';

export interface WebServer {
  baseUrl: string;
  process: ManagedProcess;
}

export async function startWeb(
  stack: LocalSupabase,
  extraEnv: Record<string, string> = {},
): Promise<WebServer> {
  if (!existsSync(join(appDir, '.next', 'BUILD_ID')))
    throw new Error('apps/web is not built: run `pnpm --filter @mentora/web build` first');
  const port = await getFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const next = join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const proc = await startProcess({
    name: 'next-start',
    command: process.execPath,
    args: [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    cwd: appDir,
    env: {
      PATH: process.env.PATH,
      MENTORA_ENV: 'test',
      NEXT_TELEMETRY_DISABLED: '1',
      // As in package.json's start script: the app's own SIGTERM handler drains and flushes, then exits.
      NEXT_MANUAL_SIG_HANDLE: 'true',
      WHOP_WEBHOOK_SECRET: WHOP_SECRET,
      ...stack.env(),
      ...extraEnv,
    },
    ready: async () => (await fetch(`${baseUrl}/api/health/live`).catch(() => undefined))?.ok === true,
  });
  return { baseUrl, process: proc };
}
