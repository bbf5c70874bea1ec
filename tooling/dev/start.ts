// `npm start` on embedded defaults: PGlite behind the real PostgREST (migrations and seed applied),
// in-memory cache and rate limits, then the web app (next dev) and the worker with that stack's URL
// and keys. Jobs go to the Inngest dev server when one answers (INNGEST_BASE_URL, default
// http://127.0.0.1:8288), otherwise to the local runner of @mentora/jobs/testing started here.
// Ctrl-C stops everything. Options: --web-port (default 3000), --worker-port (default 3001).
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DEV_DEFAULTS } from '@mentora/config';
import { startLocalSupabase } from '@mentora/db/testing';
import { createLocalRunner, type LocalRunner } from '@mentora/jobs/testing';

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
  // The web app's own signal handler drains and flushes before exiting (apps/web/src/infrastructure.ts).
  NEXT_MANUAL_SIG_HANDLE: 'true',
};

// Jobs: the Inngest dev server if one answers, else the local runner (which is also the event API the
// web app and the worker send to).
const devServerUrl = process.env.INNGEST_BASE_URL ?? 'http://127.0.0.1:8288';
const devServerUp = await fetch(devServerUrl, { signal: AbortSignal.timeout(1_000) }).then(
  () => true,
  () => false,
);
let runner: LocalRunner | undefined;
const workerArgs = ['--port', values['worker-port']];
if (devServerUp) {
  Object.assign(env, { INNGEST_BASE_URL: devServerUrl });
  workerArgs.push('--dev');
  console.info(`[dev] jobs: Inngest dev server at ${devServerUrl} (the worker runs in dev mode)`);
} else {
  runner = createLocalRunner({
    url: `http://127.0.0.1:${values['worker-port']}/api/inngest`,
    signingKey: process.env.INNGEST_SIGNING_KEY ?? DEV_DEFAULTS.inngestSigningKey,
    wait: 'real',
    schedule: true,
  });
  const eventApi = await runner.listen();
  Object.assign(env, { INNGEST_BASE_URL: eventApi });
  console.info(
    `[dev] jobs: no Inngest dev server at ${devServerUrl}; using the local runner (event API ${eventApi}; not durable, no flow control)`,
  );
}

const children: ChildProcess[] = [
  spawn('pnpm', ['--filter', '@mentora/web', 'exec', 'next', 'dev', '--port', values['web-port']], {
    env,
    stdio: 'inherit',
  }),
  spawn('pnpm', ['--filter', '@mentora/worker', 'exec', 'node', 'src/main.ts', ...workerArgs], {
    env,
    stdio: 'inherit',
  }),
];

if (runner) {
  // The runner reads the function list once the worker serves it.
  const worker = children[1] as ChildProcess;
  const live = `http://127.0.0.1:${values['worker-port']}/health/live`;
  while (
    worker.exitCode === null &&
    !(await fetch(live).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(200);
  if (worker.exitCode === null) {
    const functions = await runner.start().then(
      () => runner?.functions() ?? [],
      (error: Error) => {
        console.error(`[dev] jobs: the local runner could not sync with the worker: ${error.message}`);
        return [];
      },
    );
    console.info(`[dev] jobs: local runner serving ${functions.length} functions (crons fire on the clock)`);
  }
}

// Once the web app answers, say where to look. The token is the seeded creator Ada Lovelace's
// (supabase/seed.sql), signed with this stack's JWT secret, so the example call works as printed.
void (async () => {
  const web = children[0] as ChildProcess;
  const base = `http://localhost:${values['web-port']}`;
  while (
    web.exitCode === null &&
    !(await fetch(`${base}/api/health/live`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(500);
  if (web.exitCode !== null) return;
  const token = await stack.signUserToken('00000000-0000-4000-a000-000000000001');
  console.info(
    [
      '',
      '[dev] Mentora is up:',
      `  status page   ${base}/status`,
      `  health        ${base}/api/health   (live: /api/health/live, ready: /api/health/ready)`,
      `  plans         ${base}/api/plans`,
      '  try the API as the seeded creator Ada Lovelace (token valid for an hour):',
      `    curl -s ${base}/api/videos -H 'authorization: Bearer ${token}'`,
      `    curl -s ${base}/api/chat -H 'authorization: Bearer ${token}' -H 'content-type: application/json' -d '{"message":"What is the Analytical Engine?"}'`,
      '',
    ].join('\n'),
  );
})();

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await runner?.close();
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
