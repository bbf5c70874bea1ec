#!/usr/bin/env node
// `mentora-testing up|down|status|env`: the embedded Supabase stack and Redis for local work, run by a
// background daemon (PGlite lives inside a Node process, so something has to stay up). State
// (pid, URLs, keys) goes to <project>/.mentora-testing/state.json. Throwaway local keys only.
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isPortOpen } from './ports.ts';
import { type ServicesInfo, type StartServicesOptions, servicesEnv, startServices } from './services.ts';

interface State {
  pid: number;
  startedAt: string;
  options: StartServicesOptions;
  services: ServicesInfo;
}

const USAGE = `Usage: mentora-testing <command> [options]

Commands:
  up       start the services in the background and print their variables
  down     stop them
  status   show what is running
  env      print the running services' variables as KEY=value lines (for a .env file)

Options for up:
  --mode embedded|postgres   database behind PostgREST (default embedded: PGlite, no system package)
  --migrations <dir>         SQL migrations to apply (default supabase/migrations, when it exists)
  --seed <file>              SQL seed to apply after them (default supabase/seed.sql, when it exists)
  --bare                     apply no migrations and no seed
  --port <n>                 serve the Supabase API on this port (default: a free one)
  --jwt-secret <secret>      sign the keys with this secret, at least 32 characters (default: random)
  --no-redis                 no Redis
  --cluster                  also a 3-master Redis Cluster
`;

/** The project the services belong to: the workspace root, else the nearest package.json, else cwd. */
function findProjectRoot(from: string): string {
  const start = resolve(from);
  for (const marker of ['pnpm-workspace.yaml', 'package.json']) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, marker))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return start;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readState(stateFile: string): Promise<State | undefined> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

function printServices(info: ServicesInfo): void {
  const lines: string[] = [];
  const env = servicesEnv(info);
  if (info.supabase) {
    const s = info.supabase;
    lines.push(`Supabase (${s.mode}, started in ${s.startMs} ms; PostgREST itself at ${s.postgrestUrl})`);
  }
  if (info.redis) lines.push(`Redis at ${info.redis.url}`);
  lines.push(
    'Variables (@mentora/config names):',
    ...Object.entries(env).map(([key, value]) => `  ${key}=${value}`),
  );
  if (info.redisCluster) {
    lines.push(
      'Redis Cluster',
      `  REDIS_CLUSTER_NODES=${info.redisCluster.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
    );
  }
  console.log(lines.join('\n'));
}

function parseUpOptions(args: string[], root: string, cwd: string): StartServicesOptions {
  let mode: 'embedded' | 'postgres' = 'embedded';
  let bare = false;
  let redis = true;
  let cluster = false;
  let migrationsDir = join(root, 'supabase', 'migrations');
  let seedFile = join(root, 'supabase', 'seed.sql');
  let port: number | undefined;
  let jwtSecret: string | undefined;
  const value = (i: number, name: string): string => {
    const next = args[i];
    if (next === undefined || next.startsWith('--')) throw new Error(`${name} needs a value\n\n${USAGE}`);
    return next;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--mode') {
      const given = value(++i, arg);
      if (given !== 'embedded' && given !== 'postgres')
        throw new Error(`--mode must be embedded or postgres, not ${given}`);
      mode = given;
    } else if (arg === '--migrations') migrationsDir = resolve(cwd, value(++i, arg));
    else if (arg === '--seed') seedFile = resolve(cwd, value(++i, arg));
    else if (arg === '--port') {
      port = Number(value(++i, arg));
      if (!Number.isInteger(port) || port <= 0 || port > 65_535)
        throw new Error(`--port must be a TCP port number, not ${args[i]}`);
    } else if (arg === '--jwt-secret') jwtSecret = value(++i, arg);
    else if (arg === '--bare') bare = true;
    else if (arg === '--no-redis') redis = false;
    else if (arg === '--cluster') cluster = true;
    else throw new Error(`Unknown option ${arg}\n\n${USAGE}`);
  }
  return {
    supabase: {
      mode,
      ...(!bare && existsSync(migrationsDir) ? { migrationsDir } : {}),
      ...(!bare && existsSync(seedFile) ? { seedFile } : {}),
      ...(port === undefined ? {} : { port }),
      ...(jwtSecret === undefined ? {} : { jwtSecret }),
    },
    redis,
    redisCluster: cluster,
  };
}

/** The background process: starts the services, records them, and stops them on SIGTERM/SIGINT. */
async function daemon(stateDir: string, options: StartServicesOptions): Promise<void> {
  const stateFile = join(stateDir, 'state.json');
  const services = await startServices(options);
  const state: State = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    options,
    services: services.info,
  };
  // Write then rename, so `up` never reads a half-written file.
  await writeFile(`${stateFile}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  await rename(`${stateFile}.tmp`, stateFile);
  console.log(`[daemon ${process.pid}] services up`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[daemon ${process.pid}] ${signal}: stopping`);
    await services.stop();
    const current = await readState(stateFile);
    if (current?.pid === process.pid) await rm(stateFile, { force: true });
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(signal, () => void shutdown(signal));
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

async function up(args: string[], root: string, stateDir: string, cwd: string): Promise<number> {
  const stateFile = join(stateDir, 'state.json');
  const existing = await readState(stateFile);
  if (existing && isAlive(existing.pid)) {
    console.log(`Already up (daemon pid ${existing.pid}, since ${existing.startedAt}):`);
    printServices(existing.services);
    return 0;
  }
  await rm(stateFile, { force: true });
  const options = parseUpOptions(args, root, cwd);
  await mkdir(stateDir, { recursive: true });
  // Keep the state folder out of git even where the repository's .gitignore does not list it.
  await writeFile(join(stateDir, '.gitignore'), '*\n');
  const logFile = join(stateDir, 'daemon.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '__daemon', stateDir, JSON.stringify(options)],
    { detached: true, stdio: ['ignore', logFd, logFd], cwd: root },
  );
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the services daemon');
  // Wait for the daemon's own report (its state file), not for a fixed time; 5 min is a hang guard.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const state = await readState(stateFile);
    if (state?.pid === pid) {
      console.log(`Services up (daemon pid ${pid}; log ${logFile}):`);
      printServices(state.services);
      return 0;
    }
    if (!isAlive(pid) || Date.now() > deadline) {
      if (isAlive(pid)) process.kill(pid, 'SIGTERM');
      console.error(
        `The services did not start. Daemon log (${logFile}):\n${await readFile(logFile, 'utf8')}`,
      );
      return 1;
    }
    await sleep(100);
  }
}

async function down(stateDir: string): Promise<number> {
  const stateFile = join(stateDir, 'state.json');
  const state = await readState(stateFile);
  if (!state) {
    console.log('Nothing is running.');
    return 0;
  }
  if (isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (isAlive(state.pid)) {
      if (Date.now() > deadline) {
        // The daemon's children sit behind watchdogs that kill them when the daemon dies.
        process.kill(state.pid, 'SIGKILL');
        break;
      }
      await sleep(100);
    }
  }
  await rm(stateFile, { force: true });
  console.log(`Stopped (daemon pid ${state.pid}).`);
  return 0;
}

async function status(stateDir: string): Promise<number> {
  const state = await readState(join(stateDir, 'state.json'));
  if (!state) {
    console.log('Nothing is running (no state file).');
    return 0;
  }
  const alive = isAlive(state.pid);
  console.log(
    `Daemon pid ${state.pid}: ${alive ? 'running' : 'NOT running (stale state)'}, since ${state.startedAt}`,
  );
  const checks: [string, string][] = [];
  if (state.services.supabase) {
    checks.push(
      ['Supabase gateway', state.services.supabase.url],
      ['PostgREST', state.services.supabase.postgrestUrl],
    );
    checks.push(['Database', state.services.supabase.databaseUrl]);
  }
  if (state.services.redis) checks.push(['Redis', state.services.redis.url]);
  for (const node of state.services.redisCluster?.nodes ?? [])
    checks.push(['Redis Cluster node', `redis://${node.host}:${node.port}`]);
  for (const [name, url] of checks) {
    const { hostname, port } = new URL(url);
    const open = await isPortOpen(Number(port), hostname);
    console.log(`  ${open ? 'up  ' : 'DOWN'}  ${name}  ${url}`);
  }
  if (alive) printServices(state.services);
  return alive ? 0 : 1;
}

async function printEnv(stateDir: string): Promise<number> {
  const state = await readState(join(stateDir, 'state.json'));
  if (!state || !isAlive(state.pid)) {
    console.error('Nothing is running: start the services with `mentora-testing up`.');
    return 1;
  }
  for (const [key, value] of Object.entries(servicesEnv(state.services))) console.log(`${key}=${value}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '__daemon') {
    const [stateDir, json] = args;
    if (!stateDir || !json) throw new Error('internal: __daemon needs a state dir and options');
    await daemon(stateDir, JSON.parse(json) as StartServicesOptions);
    return -1;
  }
  // INIT_CWD: where the user ran `pnpm <script>` / `npm run`, not the package dir the script runs in.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const root = findProjectRoot(cwd);
  const stateDir = join(root, '.mentora-testing');
  switch (command) {
    case 'up':
      return up(args, root, stateDir, cwd);
    case 'env':
      return printEnv(stateDir);
    case 'down':
      return down(stateDir);
    case 'status':
      return status(stateDir);
    default:
      console.log(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
