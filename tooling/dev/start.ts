// `npm start` on embedded defaults: PGlite behind the real PostgREST (migrations and seed applied),
// in-memory cache and rate limits, then the web app (next dev) and the worker with that stack's URL
// and keys. Ctrl-C stops everything. Options: --web-port (default 3000), --worker-port (default 3001).
import { type ChildProcess, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startLocalSupabase } from '@mentora/db/testing';

const { values } = parseArgs({
  options: {
    'web-port': { type: 'string', default: '3000' },
    'worker-port': { type: 'string', default: '3001' },
  },
});

console.info('[dev] starting the embedded Supabase stack (PGlite + PostgREST)…');
const stack = await startLocalSupabase({ mode: 'embedded' });
console.info(`[dev] Supabase API at ${stack.url} (ready in ${stack.startupMs} ms)`);

const env = {
  ...process.env,
  MENTORA_ENV: 'development',
  NEXT_PUBLIC_SUPABASE_URL: stack.url,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
  SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
  SUPABASE_JWT_SECRET: stack.jwtSecret,
  NEXT_PUBLIC_APP_URL: `http://localhost:${values['web-port']}`,
  NEXT_TELEMETRY_DISABLED: '1',
  // The web app's own signal handler flushes its buffers before exiting (apps/web/src/infra.ts).
  NEXT_MANUAL_SIG_HANDLE: 'true',
};

const children: ChildProcess[] = [
  spawn('pnpm', ['--filter', '@mentora/web', 'exec', 'next', 'dev', '--port', values['web-port']], {
    env,
    stdio: 'inherit',
  }),
  spawn(
    'pnpm',
    ['--filter', '@mentora/worker', 'exec', 'node', 'src/main.ts', '--port', values['worker-port']],
    {
      env,
      stdio: 'inherit',
    },
  ),
];

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  await stack.stop();
  process.exit(code);
}
for (const child of children) child.once('exit', (code) => void stop(code ?? 1));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
