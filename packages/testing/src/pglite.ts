import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Extensions, PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ConfigError } from '@mentora/errors';

export interface StartPgliteOptions {
  /**
   * `memory` (default): nothing touches the disk. `temp-dir`: a fresh temp dir, deleted on stop.
   * `{ dataDir }`: a directory you own, kept on stop (so `pnpm dev` data survives restarts).
   */
  persistence?: 'memory' | 'temp-dir' | { dataDir: string };
  /** Load pgvector (so `create extension vector` works). Default true. */
  pgvector?: boolean;
  /**
   * Wire-protocol connections served at once. Default 8: PostgREST holds one, and tests or
   * tools (psql, node-postgres) may connect beside it.
   */
  maxConnections?: number;
}

export interface PgliteService {
  /** The in-process database: use it directly for setup SQL before clients connect. */
  readonly db: PGlite;
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` for any Postgres client or PostgREST. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Directory holding the data, when persisted. */
  readonly dataDir: string | undefined;
  stop(): Promise<void>;
}

const PGLITE_PEERS = '@electric-sql/pglite @electric-sql/pglite-socket @electric-sql/pglite-pgvector';

/** Turns "module not found" for an optional peer into an error that says what to install. */
function missingPeer(name: string): (error: unknown) => never {
  return (error) => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ConfigError(
        `The embedded stack needs ${name}, an optional peer dependency of @mentora/testing: ` +
          `npm install -D ${PGLITE_PEERS}`,
        { cause: error },
      );
    }
    throw error;
  };
}

/**
 * Starts PGlite (Postgres compiled to WASM, in this process) and serves it over the Postgres wire
 * protocol on a free loopback port with pglite-socket.
 *
 * What PGlite's socket server does and does not do (checked with psql against 0.2.17):
 * - It ignores the user and password of the startup message: every connection is accepted and
 *   runs in PGlite's ONE backend session, whose user is `postgres` (a superuser).
 * - Connections are multiplexed: statements are queued, and while one connection has a
 *   transaction open, only that connection's statements run. Session state (SET, prepared
 *   statements, `SET SESSION AUTHORIZATION`) is shared by all of them, which is why PostgREST
 *   runs with `db-prepared-statements = false` and `db-pool = 1`.
 * - `SET ROLE` / `SET LOCAL ROLE` work as in Postgres, so PostgREST's per-request switch to
 *   anon / authenticated / service_role applies grants and RLS exactly as on Supabase.
 */
export async function startPglite(options: StartPgliteOptions = {}): Promise<PgliteService> {
  const persistence = options.persistence ?? 'memory';
  let dataDir: string | undefined;
  let ownDataDir = false;
  if (persistence === 'temp-dir') {
    dataDir = await mkdtemp(join(tmpdir(), 'mentora-pglite-'));
    ownDataDir = true;
  } else if (typeof persistence === 'object') {
    dataDir = persistence.dataDir;
  }

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    // Loaded on demand (optional peers): the postgres mode of the stack and Redis work without PGlite.
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
      import('@electric-sql/pglite').catch(missingPeer('@electric-sql/pglite')),
      import('@electric-sql/pglite-socket').catch(missingPeer('@electric-sql/pglite-socket')),
    ]);
    const extensions: Extensions = {};
    if (options.pgvector !== false)
      extensions.vector = (
        await import('@electric-sql/pglite-pgvector').catch(missingPeer('@electric-sql/pglite-pgvector'))
      ).vector;
    db = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      // Throwaway data: skip the fsync-per-commit of the persisted modes.
      relaxedDurability: true,
      extensions,
    });
    server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      // Port 0: the kernel picks a free port at bind time, so there is no race to retry.
      port: 0,
      maxConnections: options.maxConnections ?? 8,
    });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    if (ownDataDir && dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  const host = '127.0.0.1';
  const startedDb = db;
  const startedServer = server;
  let stopped = false;

  return {
    db: startedDb,
    url: `postgresql://postgres@${host}:${port}/postgres`,
    host,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await startedServer.stop();
      await startedDb.close();
      if (ownDataDir && dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
