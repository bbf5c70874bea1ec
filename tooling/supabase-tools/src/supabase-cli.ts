// The Supabase CLI, pinned, from the npm registry (its platform binary ships as an optional
// dependency, `@supabase/cli-<os>-<arch>`; nothing is downloaded at install time). Without Docker it
// can still do what a deploy does: `db push --db-url` and `db lint --db-url`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, ensureDebianFile, runCommand, SYSTEM_PATH } from '@mentora/testing';
import { packageVersion, pathOf } from './resolve.ts';

export const supabaseCliVersion = (): string => packageVersion('supabase');

export interface SupabaseCliOptions {
  /** The project directory: the one that holds `supabase/` (config.toml, migrations). */
  workdir: string;
  /** Hang guard. Default 300 s. */
  timeoutMs?: number;
}

export interface SupabaseCliResult {
  stdout: string;
  stderr: string;
  /** Wall-clock time of the command (reported by tests; never asserted). */
  durationMs: number;
}

/**
 * Runs `supabase <args>` with a throwaway HOME and telemetry and the update check off, so a run
 * neither writes into the user's home nor into the project (`supabase/.temp`) nor calls out.
 * Rejects with a CommandError (exit code, stdout, stderr) when the CLI fails.
 */
export async function runSupabaseCli(
  args: readonly string[],
  options: SupabaseCliOptions,
): Promise<SupabaseCliResult> {
  const home = await mkdtemp(join(tmpdir(), 'mentora-supabase-home-'));
  const started = performance.now();
  try {
    const { stdout, stderr } = await runCommand(
      process.execPath,
      [pathOf('supabase', 'dist', 'supabase.js'), ...args, '--workdir', options.workdir],
      {
        env: {
          PATH: SYSTEM_PATH,
          HOME: home,
          SUPABASE_TELEMETRY_DISABLED: '1',
          DO_NOT_TRACK: '1',
          SUPABASE_NO_UPDATE_NOTIFIER: '1',
        },
        timeoutMs: options.timeoutMs ?? 300_000,
      },
    );
    return { stdout, stderr, durationMs: Math.round(performance.now() - started) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** `sslmode=disable`: the CLI otherwise insists on TLS, which a throwaway loopback server has not. */
export function withSslDisabled(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

export interface DbPushResult extends SupabaseCliResult {
  /** Migration files the CLI applied, in order (empty when the database was up to date). */
  applied: string[];
}

/**
 * `supabase db push --db-url <url> --yes`: applies the project's migrations that the database's
 * `supabase_migrations.schema_migrations` does not list yet, as a deploy does.
 */
export async function supabaseDbPush(
  databaseUrl: string,
  options: SupabaseCliOptions,
): Promise<DbPushResult> {
  const result = await runSupabaseCli(
    ['db', 'push', '--db-url', withSslDisabled(databaseUrl), '--yes'],
    options,
  );
  const applied = [...result.stderr.matchAll(/^Applying migration (\S+\.sql)\.\.\.$/gm)].map(
    (m) => m[1] as string,
  );
  return { ...result, applied };
}

/** One finding of `supabase db lint` (plpgsql_check's report for one function). */
export interface LintFinding {
  function: string;
  issues: { level: string; message: string; sqlState?: string; [key: string]: unknown }[];
}

export interface DbLintResult extends SupabaseCliResult {
  findings: LintFinding[];
}

/** Where Debian's postgresql-15-plpgsql-check puts the extension `db lint` creates (and rolls back). */
export const PLPGSQL_CHECK_CONTROL = '/usr/share/postgresql/15/extension/plpgsql_check.control';

/**
 * `supabase db lint --db-url <url> --level warning`: every warning and error plpgsql_check reports
 * for the functions of the database's schemas. The database must be able to load plpgsql_check:
 * for a server on this machine, Debian's package is installed here first when missing (as root).
 */
export async function supabaseDbLint(
  databaseUrl: string,
  options: SupabaseCliOptions & {
    /** `--schema`: by default the CLI lints every schema that is not Postgres' or Supabase's own. */
    schemas?: readonly string[];
  },
): Promise<DbLintResult> {
  await ensureDebianFile(PLPGSQL_CHECK_CONTROL, 'postgresql-15-plpgsql-check');
  const args = [
    'db',
    'lint',
    '--db-url',
    withSslDisabled(databaseUrl),
    '--level',
    'warning',
    '--fail-on',
    'none',
  ];
  if (options.schemas) args.push('--schema', options.schemas.join(','));
  const result = await runSupabaseCli([...args, '--output-format', 'json'], options);
  let parsed: { results?: LintFinding[] };
  try {
    parsed = JSON.parse(result.stdout) as { results?: LintFinding[] };
  } catch (error) {
    throw new CommandError('supabase db lint (unexpected output)', 0, result.stdout, result.stderr, {
      cause: error,
    });
  }
  return { ...result, findings: parsed.results ?? [] };
}
