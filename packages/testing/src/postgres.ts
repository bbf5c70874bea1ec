import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, SYSTEM_PATH } from './binaries.ts';
import { runCommand } from './exec.ts';
import { probePostgres } from './pg-probe.ts';
import { isAddressInUse, withPortRetry } from './ports.ts';
import { type ManagedProcess, startProcess } from './process.ts';
import { isRoot, lookupSystemUser } from './system-user.ts';

export interface StartPostgresOptions {
  /** Database created for the caller (default `postgres`, which always exists). */
  database?: string;
  /** Hang guard for start-up. Default 60 s. */
  startTimeoutMs?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number | boolean>;
}

export interface PostgresService {
  /** Connection URL of `database` as the `postgres` superuser (trust auth on loopback). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Superuser URL of the maintenance database `postgres` (for CREATE DATABASE and the like). */
  readonly superuserUrl: string;
  /** Directory of the server's unix socket (also the temp dir that holds the data dir). */
  readonly socketDir: string;
  /** Whether the server process is up right now. */
  isRunning(): boolean;
  /** Server log (stdout+stderr) of the current server process. */
  readLogs(): Promise<string>;
  /** Stops the server and deletes the data. */
  stop(): Promise<void>;
  /** Stops the server process but keeps data and port, for "Postgres restarted mid-run" tests. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port with the same data. */
  startServer(): Promise<void>;
  restart(): Promise<void>;
}

const POSTGRES_PACKAGE = 'postgresql-15';

/**
 * Starts a throwaway PostgreSQL 15 server from Debian's binaries on a free loopback port.
 *
 * Postgres refuses to run as root, so when we are root the data dir is handed to the `postgres`
 * system user and initdb/postgres run with its uid/gid (spawn's uid/gid, which is what
 * `runuser -u postgres` would do, minus a PAM session and an extra process to forward signals).
 * Durability is switched off (fsync, synchronous_commit, full_page_writes): this data is thrown away.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresService> {
  const database = options.database ?? 'postgres';
  const initdb = await ensureBinary('initdb', POSTGRES_PACKAGE);
  const postgresBin = await ensureBinary('postgres', POSTGRES_PACKAGE);

  let owner: { uid: number; gid: number } | undefined;
  if (isRoot()) {
    const user = await lookupSystemUser('postgres');
    if (!user) {
      throw new Error(
        'Running as root, but there is no "postgres" system user to run PostgreSQL as (Postgres refuses root). ' +
          `Install Debian's ${POSTGRES_PACKAGE}, which creates it.`,
      );
    }
    owner = { uid: user.uid, gid: user.gid };
  }

  const baseDir = await mkdtemp(join(tmpdir(), 'mentora-pg-'));
  const dataDir = join(baseDir, 'data');
  if (owner) await chown(baseDir, owner.uid, owner.gid);
  // A minimal environment: a caller's PG* variables must not redirect initdb or the server.
  const env = { PATH: SYSTEM_PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };

  try {
    await runCommand(
      initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
      ],
      { env, uid: owner?.uid, gid: owner?.gid, cwd: baseDir },
    );
  } catch (error) {
    await rm(baseDir, { recursive: true, force: true });
    throw error;
  }

  const settings: Record<string, string | number | boolean> = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    unix_socket_directories: baseDir,
    max_connections: 100,
    // Quieter logs and no background work we do not need in throwaway clusters.
    logging_collector: 'off',
    ...options.settings,
  };

  let server: ManagedProcess | undefined;
  const launch = async (port: number): Promise<ManagedProcess> => {
    const args = ['-D', dataDir, '-p', String(port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${String(value)}`);
    return startProcess({
      name: 'postgres',
      command: postgresBin,
      args,
      env,
      cwd: baseDir,
      uid: owner?.uid,
      gid: owner?.gid,
      ready: () => probePostgres(port),
      readyTimeoutMs: options.startTimeoutMs ?? 60_000,
      // SIGINT is Postgres's "fast shutdown": abort transactions, then exit cleanly.
      stopSignal: 'SIGINT',
      stopTimeoutMs: 15_000,
      removeWhenOrphaned: [baseDir],
    });
  };

  let port: number;
  try {
    const started = await withPortRetry(async (candidate) => ({
      port: candidate,
      proc: await launch(candidate),
    }));
    port = started.port;
    server = started.proc;
  } catch (error) {
    await rm(baseDir, { recursive: true, force: true });
    throw error;
  }

  const host = '127.0.0.1';
  const url = `postgresql://postgres@${host}:${port}/${encodeURIComponent(database)}`;
  const superuserUrl = `postgresql://postgres@${host}:${port}/postgres`;

  if (database !== 'postgres') {
    try {
      const psql = await ensureBinary('psql', 'postgresql-client-15');
      const quoted = `"${database.replaceAll('"', '""')}"`;
      await runCommand(psql, [superuserUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', `CREATE DATABASE ${quoted}`], {
        env,
      });
    } catch (error) {
      // The caller never gets a handle to stop this server: stop it and drop the data here.
      await server.stop();
      await rm(baseDir, { recursive: true, force: true });
      throw error;
    }
  }

  const stopServer = async () => {
    const current = server;
    server = undefined;
    await current?.stop();
  };
  const startServer = async () => {
    if (server?.isRunning()) return;
    try {
      server = await launch(port);
    } catch (error) {
      if (isAddressInUse(error)) {
        throw new Error(`Postgres could not get its port ${port} back: another process took it`, {
          cause: error,
        });
      }
      throw error;
    }
  };

  return {
    url,
    host,
    port,
    database,
    superuserUrl,
    socketDir: baseDir,
    isRunning: () => server?.isRunning() ?? false,
    readLogs: async () => (server ? server.readLogs() : ''),
    stopServer,
    startServer,
    async restart() {
      await stopServer();
      await startServer();
    },
    async stop() {
      await stopServer();
      await rm(baseDir, { recursive: true, force: true });
    },
  };
}
