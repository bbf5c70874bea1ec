// @mentora/db/testing: a local Supabase (real PostgREST + Postgres 15 or embedded PGlite, with this
// package's migrations and seed applied) for tests and `pnpm dev`. The harness is @mentora/testing, an
// optional peer of this package, and the SQL ships in dist/supabase, so it works outside this
// repository. Install @mentora/testing (and the peers it names) where you use this entry.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSupabaseStack } from '@mentora/testing';

export type LocalSupabaseMode = 'embedded' | 'postgres';

export interface StartLocalSupabaseOptions {
  /**
   * `embedded`: PGlite (with pgvector) behind the real PostgREST; nothing to install.
   * `postgres`: a throwaway Postgres 15 (Debian's binaries), or `databaseUrl` when given.
   */
  mode: LocalSupabaseMode;
  /** Use this existing database instead of starting one (postgres mode). Migrations are applied to it. */
  databaseUrl?: string;
  /** Apply supabase/seed.sql after the migrations. Default true. */
  seed?: boolean;
  /** Override the migrations folder (default: the migrations shipped with this package). */
  migrationsDir?: string;
  /** Override the seed file. */
  seedFile?: string;
  /**
   * PostgREST's row cap per response (`db-max-rows`; Supabase's `[api] max_rows`). Default 1000, as in
   * supabase/config.toml and on hosted Supabase, so code that reads large pages meets the same cap in
   * tests as in production. `null` removes the cap.
   */
  maxRows?: number | null;
  /**
   * Serve the API on this port instead of a free one. With `port: 54321` and `jwtSecret` set to
   * `@mentora/config`'s `DEV_DEFAULTS.jwtSecret`, an app whose config has no variables at all (the
   * development and test defaults) talks to this stack.
   */
  port?: number;
  /** Sign the API keys and user tokens with this secret (at least 32 characters) instead of a random one. */
  jwtSecret?: string;
}

/** The variables `@mentora/config` reads, filled in for one local stack (the harness's `SupabaseStackEnv`). */
export interface LocalSupabaseEnv {
  NEXT_PUBLIC_SUPABASE_URL: string;
  NEXT_PUBLIC_SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  SUPABASE_JWT_SECRET: string;
  DATABASE_URL: string;
}

export interface LocalSupabase {
  readonly mode: LocalSupabaseMode;
  /** Gateway URL for supabase-js (`createClient(url, anonKey)`); it serves PostgREST under /rest/v1. */
  readonly url: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  readonly jwtSecret: string;
  /** Superuser connection string of the database (for SQL tests and fixtures). */
  readonly databaseUrl: string;
  /** Wall-clock time start-up took, migrations and seed included. */
  readonly startupMs: number;
  /** Start-up by phase: database, migrations + seed, PostgREST + gateway. */
  readonly timings: { databaseMs: number; migrationsMs: number; postgrestMs: number; totalMs: number };
  /**
   * This stack's URL, keys, JWT secret and database URL under the names `@mentora/config` reads:
   * `loadConfig({ ...process.env, ...supabase.env() })` points an app at it.
   */
  env(): LocalSupabaseEnv;
  /** Runs a SQL script as the superuser in one transaction (fixtures). */
  runSql(sql: string, label?: string): Promise<void>;
  /** An access token for `userId` as Supabase Auth would issue it (role `authenticated`, `sub` = userId). */
  signUserToken(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Stop/start PostgREST only (fault tests: the API is down, the database is not). */
  readonly postgrest: { stop(): Promise<void>; start(): Promise<void> };
  /** Present in postgres mode when we own the server: stop/start/restart it keeping data and port. */
  readonly postgres?: { stopServer(): Promise<void>; startServer(): Promise<void>; restart(): Promise<void> };
  stop(): Promise<void>;
}

/**
 * Where the SQL lives: next to the built entry (dist/supabase, copied at build time) or, when this
 * file runs from source inside the repository, the repository's supabase/ folder.
 */
export function bundledSupabaseDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'supabase'), join(here, '..', '..', '..', 'supabase')];
  const found = candidates.find((dir) => existsSync(join(dir, 'migrations')));
  if (!found) throw new Error(`@mentora/db: migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** supabase/config.toml `[api] max_rows`, which is also hosted Supabase's default. */
export const DEFAULT_MAX_ROWS = 1_000;

/** Starts PostgREST (+ gateway) over PGlite or Postgres 15 with this repository's migrations and seed. */
export async function startLocalSupabase(options: StartLocalSupabaseOptions): Promise<LocalSupabase> {
  const started = performance.now();
  const dir = bundledSupabaseDir();
  const stack = await startSupabaseStack({
    mode: options.mode,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    migrationsDir: options.migrationsDir ?? join(dir, 'migrations'),
    ...(options.seed === false ? {} : { seedFile: options.seedFile ?? join(dir, 'seed.sql') }),
    ...(options.maxRows === null ? {} : { maxRows: options.maxRows ?? DEFAULT_MAX_ROWS }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.jwtSecret === undefined ? {} : { jwtSecret: options.jwtSecret }),
  });
  const startupMs = Math.round(performance.now() - started);
  const postgres = stack.postgres;
  return {
    mode: options.mode,
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    jwtSecret: stack.jwtSecret,
    databaseUrl: stack.databaseUrl,
    startupMs,
    timings: stack.timings,
    env: () => stack.env(),
    runSql: (sql, label) => stack.runSql(sql, label),
    signUserToken: (userId, claims) => stack.signUserToken(userId, claims),
    postgrest: { stop: () => stack.postgrest.stop(), start: () => stack.postgrest.start() },
    ...(postgres
      ? {
          postgres: {
            stopServer: () => postgres.stopServer(),
            startServer: () => postgres.startServer(),
            restart: () => postgres.restart(),
          },
        }
      : {}),
    stop: () => stack.stop(),
  };
}
