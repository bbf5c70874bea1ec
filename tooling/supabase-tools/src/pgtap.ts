// pgTAP, Supabase's convention for SQL tests (`supabase/tests/*.sql`), and pg_prove to run them.
// Both from Debian: `postgresql-15-pgtap` (the extension) and `libtap-parser-sourcehandler-pgtap-perl`
// (pg_prove). pgTAP is plain SQL and PL/pgSQL, so the same install script also loads into a server
// that cannot CREATE EXTENSION it, such as PGlite.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CommandError,
  ensureBinary,
  ensureDebianFile,
  runCommand,
  type SqlRunner,
  SYSTEM_PATH,
} from '@mentora/testing';

const EXTENSION_DIR = '/usr/share/postgresql/15/extension';
export const PGTAP_CONTROL = join(EXTENSION_DIR, 'pgtap.control');

/** Where pgTAP lives: Supabase's `extensions` schema (test files put it on their search_path). */
export const PGTAP_SCHEMA = 'extensions';

/** pg_prove and pgTAP's files, installing the Debian packages first when missing (as root). */
export async function ensurePgTap(): Promise<{ pgProve: string; psql: string; control: string }> {
  const pgProve = await ensureBinary('pg_prove', 'libtap-parser-sourcehandler-pgtap-perl');
  const psql = await ensureBinary('psql', 'postgresql-client-15');
  const control = await ensureDebianFile(PGTAP_CONTROL, 'postgresql-15-pgtap');
  return { pgProve, psql, control };
}

/** pgTAP's install script (the extension's `pgtap--<default_version>.sql`), for servers without the extension. */
export async function pgTapInstallScript(): Promise<string> {
  const { control } = await ensurePgTap();
  const version = /^default_version\s*=\s*'([^']+)'/m.exec(await readFile(control, 'utf8'))?.[1];
  if (!version) throw new Error(`${control} names no default_version`);
  return readFile(join(EXTENSION_DIR, `pgtap--${version}.sql`), 'utf8');
}

/**
 * Installs pgTAP into the `extensions` schema, idempotently. `asExtension`: `create extension` (a
 * Postgres server on this machine, which reads Debian's extension files); otherwise the install script
 * runs as plain SQL (PGlite).
 */
export async function installPgTap(run: SqlRunner, options: { asExtension: boolean }): Promise<void> {
  await ensurePgTap();
  if (options.asExtension) {
    await run(`create extension if not exists pgtap with schema ${PGTAP_SCHEMA}`, 'create extension pgtap');
    return;
  }
  const script = await pgTapInstallScript();
  const tag = '$mentora_pgtap_install$';
  if (script.includes(tag)) throw new Error(`pgTAP's install script contains ${tag}`);
  // One transaction, skipped when pgTAP is already there: the script itself is not re-runnable.
  await run(
    `create schema if not exists ${PGTAP_SCHEMA};
     set local search_path = ${PGTAP_SCHEMA};
     do $install$
     begin
       if to_regprocedure('${PGTAP_SCHEMA}.plan(integer)') is null then
         execute ${tag}${script}${tag};
       end if;
     end
     $install$;`,
    'pgTAP install script',
  );
}

export interface PgProveResult {
  /** pg_prove's verbose TAP output. */
  output: string;
  files: number;
  tests: number;
  durationMs: number;
}

export class PgProveError extends Error {
  readonly code = 'PGTAP_FAILED';
  readonly output: string;
  constructor(output: string, options?: { cause?: unknown }) {
    // The failing tests and pgTAP's diagnostics, then the summary: what a reviewer needs first.
    const lines = output.split('\n');
    const failures = lines.filter((line) => /^(not ok|#|psql:)|Failed|Wstat|Dubious/.test(line.trim()));
    super(`pg_prove failed:\n${failures.slice(0, 80).join('\n')}`, options);
    this.name = 'PgProveError';
    this.output = output;
  }
}

/**
 * Runs test files with pg_prove (sequentially, each file through Postgres 15's psql) against
 * `databaseUrl`. Resolves with the counts when every test passes; rejects with a PgProveError
 * listing the failures otherwise.
 */
export async function runPgProve(options: {
  databaseUrl: string;
  files: readonly string[];
  timeoutMs?: number;
}): Promise<PgProveResult> {
  const { pgProve, psql } = await ensurePgTap();
  const started = performance.now();
  try {
    const { stdout, stderr } = await runCommand(
      pgProve,
      ['--verbose', '--psql-bin', psql, '--dbname', options.databaseUrl, ...options.files],
      { env: { PATH: SYSTEM_PATH, LANG: 'C.UTF-8' }, timeoutMs: options.timeoutMs ?? 300_000 },
    );
    const output = `${stdout}${stderr}`;
    const summary = /Files=(\d+), Tests=(\d+)/.exec(output);
    return {
      output,
      files: Number(summary?.[1] ?? 0),
      tests: Number(summary?.[2] ?? 0),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (error instanceof CommandError)
      throw new PgProveError(`${error.stdout}${error.stderr}`, { cause: error });
    throw error;
  }
}
