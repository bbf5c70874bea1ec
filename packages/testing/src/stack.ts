import { randomBytes } from 'node:crypto';
import { ConfigError } from '@mentora/errors';
import { type GatewayService, startGateway } from './gateway.ts';
import { generateJwtSecret, signApiKeys, signUserToken } from './keys.ts';
import { applyMigrations, applySqlFile, pgliteRunner, psqlRunner, type SqlRunner } from './migrate.ts';
import { type PgliteService, type StartPgliteOptions, startPglite } from './pglite.ts';
import { type PostgresService, startPostgres } from './postgres.ts';
import { type PostgrestService, startPostgrest } from './postgrest.ts';
import { EMBEDDED_ROLE_GUARD, embeddedRoleGuardSql, supabaseRolesSql } from './supabase-roles.ts';

export type SupabaseStackMode = 'embedded' | 'postgres';

export interface StartSupabaseStackOptions {
  /**
   * `embedded`: PGlite (with pgvector) in this process, served over the wire protocol.
   * `postgres`: a throwaway PostgreSQL 15, or the database at `databaseUrl`.
   */
  mode: SupabaseStackMode;
  /** postgres mode: use this database (a superuser URL) instead of starting a throwaway server. */
  databaseUrl?: string;
  /** Folder whose `*.sql` files are applied in name order, each in a transaction. */
  migrationsDir?: string;
  /** Applied after the migrations, in a transaction. */
  seedFile?: string;
  /** JWT secret for PostgREST and the keys; a fresh random one by default. */
  jwtSecret?: string;
  /** embedded mode: where PGlite keeps its data (default in memory). */
  pglite?: Pick<StartPgliteOptions, 'persistence' | 'pgvector'>;
  /** PostgREST db-max-rows. */
  maxRows?: number;
  /**
   * Serve the gateway (the URL supabase-js takes) on this port instead of a free one: with 54321 and
   * the development JWT secret, an app configured with no variables at all talks to this stack.
   */
  port?: number;
}

/**
 * The variables `@mentora/config` reads for a Supabase project, as a stack fills them in. Spread them
 * over an environment (`loadConfig({ ...process.env, ...stack.env() })`) to point an app at the stack.
 */
export interface SupabaseStackEnv {
  NEXT_PUBLIC_SUPABASE_URL: string;
  NEXT_PUBLIC_SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  SUPABASE_JWT_SECRET: string;
  DATABASE_URL: string;
}

export interface SupabaseStackTimings {
  databaseMs: number;
  migrationsMs: number;
  postgrestMs: number;
  totalMs: number;
}

export interface SupabaseStack {
  readonly mode: SupabaseStackMode;
  /** Gateway base URL: what supabase-js takes (`createClient(url, anonKey)`). */
  readonly url: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  readonly jwtSecret: string;
  /** Superuser connection URL of the database (fixtures, SQL tests). */
  readonly databaseUrl: string;
  /** PostgREST's own URL (no /rest/v1 prefix). */
  readonly postgrestUrl: string;
  /** How long each phase of the start took. */
  readonly timings: SupabaseStackTimings;
  /** This stack's URL, keys, JWT secret and database URL under the variable names the config reads. */
  env(): SupabaseStackEnv;
  /** Access token for a signed-in user: role `authenticated`, `sub` = userId (a uuid). */
  signUserToken(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Runs a SQL script as the superuser, in one transaction (fixtures, later migrations). */
  runSql(sql: string, label?: string): Promise<void>;
  /** Reloads PostgREST's schema cache and waits until it reports the reload. */
  reloadSchema(): Promise<void>;
  /** Stop/start PostgREST only (the API is down, the database is not). Same port after start. */
  readonly postgrest: {
    stop(): Promise<void>;
    start(): Promise<void>;
    isRunning(): boolean;
    readLogs(): Promise<string>;
  };
  /** Present in postgres mode when the stack started the server (not for a given `databaseUrl`). */
  readonly postgres?: PostgresService;
  /** Present in embedded mode. */
  readonly pglite?: PgliteService;
  /** Stops everything this stack started, in reverse order. Idempotent. */
  stop(): Promise<void>;
}

/** The database of the stack, whatever kind it is. */
interface StackDatabase {
  superuserUrl: string;
  /** What PostgREST logs in with. */
  authenticatorUrl: string;
  run: SqlRunner;
  authenticatorPassword?: string;
  postgres?: PostgresService;
  pglite?: PgliteService;
  stop(): Promise<void>;
}

function withCredentials(databaseUrl: string, user: string, password: string | undefined): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (error) {
    throw new ConfigError('databaseUrl is not a valid postgres:// URL', { cause: error });
  }
  url.username = user;
  url.password = password ?? '';
  return url.toString();
}

async function openDatabase(options: StartSupabaseStackOptions): Promise<StackDatabase> {
  if (options.mode === 'embedded') {
    if (options.databaseUrl !== undefined) {
      throw new ConfigError('databaseUrl is for mode "postgres"; the embedded stack brings its own database');
    }
    const pglite = await startPglite({ ...options.pglite });
    return {
      superuserUrl: pglite.url,
      // PGlite's socket server ignores the user (see pglite.ts); name authenticator for the logs.
      authenticatorUrl: withCredentials(pglite.url, 'authenticator', undefined),
      run: pgliteRunner(pglite.db),
      pglite,
      stop: () => pglite.stop(),
    };
  }
  if (options.mode !== 'postgres') {
    throw new ConfigError(`Unknown stack mode "${String(options.mode)}": use "embedded" or "postgres"`);
  }
  if (options.databaseUrl !== undefined) {
    // A database we were given may not trust loopback: give authenticator a password of its own.
    const authenticatorPassword = randomBytes(18).toString('hex');
    return {
      superuserUrl: options.databaseUrl,
      authenticatorUrl: withCredentials(options.databaseUrl, 'authenticator', authenticatorPassword),
      run: await psqlRunner(options.databaseUrl),
      authenticatorPassword,
      stop: async () => {},
    };
  }
  const postgres = await startPostgres();
  try {
    return {
      superuserUrl: postgres.url,
      // Trust auth on loopback: no password needed.
      authenticatorUrl: withCredentials(postgres.url, 'authenticator', undefined),
      run: await psqlRunner(postgres.url),
      postgres,
      stop: () => postgres.stop(),
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

/**
 * A local Supabase API: a database with Supabase's roles and auth helpers, the migrations and seed
 * applied, the real PostgREST, and a gateway serving it under `/rest/v1` for supabase-js.
 * Everything comes in as options: no environment reads, no module state.
 */
export async function startSupabaseStack(options: StartSupabaseStackOptions): Promise<SupabaseStack> {
  const t0 = performance.now();
  const jwtSecret = options.jwtSecret ?? generateJwtSecret();
  if (jwtSecret.length < 32)
    throw new ConfigError('jwtSecret must be at least 32 characters (PostgREST refuses shorter)');
  const keysPromise = signApiKeys(jwtSecret);

  const database = await openDatabase(options);
  const tDatabase = performance.now();
  let postgrest: PostgrestService | undefined;
  let gateway: GatewayService | undefined;
  try {
    const rolesOptions =
      database.authenticatorPassword === undefined
        ? {}
        : { authenticatorPassword: database.authenticatorPassword };
    await database.run(supabaseRolesSql(rolesOptions), 'Supabase roles');
    if (options.mode === 'embedded') await database.run(embeddedRoleGuardSql(), 'embedded role guard');
    if (options.migrationsDir !== undefined) await applyMigrations(database.run, options.migrationsDir);
    if (options.seedFile !== undefined) await applySqlFile(database.run, options.seedFile);
    const tMigrations = performance.now();

    // Started after the migrations, so its first schema load already sees every table.
    postgrest = await startPostgrest({
      dbUri: database.authenticatorUrl,
      jwtSecret,
      embedded: options.mode === 'embedded',
      ...(options.mode === 'embedded' ? { extraConfig: { 'db-pre-request': EMBEDDED_ROLE_GUARD } } : {}),
      ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
    });
    gateway = await startGateway({
      postgrestPort: postgrest.port,
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    const { anonKey, serviceRoleKey } = await keysPromise;
    const tEnd = performance.now();

    const startedPostgrest = postgrest;
    const startedGateway = gateway;
    let stopping: Promise<void> | undefined;
    return {
      mode: options.mode,
      url: startedGateway.url,
      anonKey,
      serviceRoleKey,
      jwtSecret,
      databaseUrl: database.superuserUrl,
      postgrestUrl: startedPostgrest.url,
      timings: {
        databaseMs: Math.round(tDatabase - t0),
        migrationsMs: Math.round(tMigrations - tDatabase),
        postgrestMs: Math.round(tEnd - tMigrations),
        totalMs: Math.round(tEnd - t0),
      },
      env: () => ({
        NEXT_PUBLIC_SUPABASE_URL: startedGateway.url,
        NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey,
        SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
        SUPABASE_JWT_SECRET: jwtSecret,
        DATABASE_URL: database.superuserUrl,
      }),
      signUserToken: (userId, claims) => signUserToken(jwtSecret, userId, claims ? { claims } : {}),
      runSql: (sql, label = 'SQL') => database.run(sql, label),
      reloadSchema: () => startedPostgrest.reloadSchema(),
      postgrest: {
        stop: () => startedPostgrest.stopPostgrest(),
        start: () => startedPostgrest.startPostgrest(),
        isRunning: () => startedPostgrest.isRunning(),
        readLogs: () => startedPostgrest.readLogs(),
      },
      ...(database.postgres ? { postgres: database.postgres } : {}),
      ...(database.pglite ? { pglite: database.pglite } : {}),
      stop() {
        stopping ??= (async () => {
          await startedGateway.stop();
          await startedPostgrest.stop();
          await database.stop();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => {});
    await postgrest?.stop().catch(() => {});
    await database.stop().catch(() => {});
    throw error;
  }
}
