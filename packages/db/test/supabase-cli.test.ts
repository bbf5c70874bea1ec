// What a deploy does, proven on every test run with Supabase's own tools: the pinned Supabase CLI
// applies supabase/migrations to a fresh Postgres 15 that has Supabase's roles
// (`supabase db push --db-url … --yes`), `supabase db lint` (plpgsql_check) reports nothing, and the
// pgTAP tests of supabase/tests pass on the result. Then a migration that opens a table, a view and a
// sequence to the API roles proves that the catalog tests and the linter do catch it.
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  installPgTap,
  PgProveError,
  runPgProve,
  supabaseCliVersion,
  supabaseDbLint,
  supabaseDbPush,
} from '@mentora/supabase-tools';
import { type PostgresService, psqlRunner, startPostgres, supabaseRolesSql } from '@mentora/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlTestFiles, supabaseDir, withPg } from './contract/fixtures.js';

const repoRoot = join(supabaseDir, '..');

describe(`supabase/migrations through the Supabase CLI ${supabaseCliVersion()} (db push, db lint) and pg_prove`, () => {
  let postgres: PostgresService;
  let scratch: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mentora-cli-'));
    postgres = await startPostgres();
    // What every Supabase database has before the first migration: its roles and auth helpers.
    await (await psqlRunner(postgres.url))(supabaseRolesSql(), 'Supabase roles');
  });

  afterAll(async () => {
    console.info('[supabase cli] step timings (ms):', timings);
    await postgres?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('db push applies every migration in order and records each in its history table', async () => {
    const migrations = (await readdir(join(supabaseDir, 'migrations')))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const pushed = await supabaseDbPush(postgres.url, { workdir: repoRoot });
    timings.dbPush = pushed.durationMs;
    expect(pushed.applied).toEqual(migrations);
    const history = await withPg(postgres.url, async (pg) =>
      (
        await pg.query<{ version: string }>(
          'select version from supabase_migrations.schema_migrations order by version',
        )
      ).rows.map((r) => r.version),
    );
    expect(history).toEqual(migrations.map((f) => f.split('_')[0]));
  });

  it('db lint reports no finding (plpgsql_check, warnings included)', async () => {
    const lint = await supabaseDbLint(postgres.url, { workdir: repoRoot });
    timings.dbLint = lint.durationMs;
    expect(lint.findings).toEqual([]);
  });

  it('every pgTAP file of supabase/tests passes on the pushed schema', async () => {
    await installPgTap(await psqlRunner(postgres.url), { asExtension: true });
    const files = await sqlTestFiles();
    const result = await runPgProve({ databaseUrl: postgres.url, files });
    timings.pgProve = result.durationMs;
    console.info(`[supabase cli] pg_prove: ${result.files} files, ${result.tests} tests`);
    expect(result.files).toBe(files.length);
  });

  it('a later migration that opens a table, a view and a sequence to the API roles fails the catalog tests and the linter', async () => {
    // The project as it would be with one more migration.
    const workdir = join(scratch, 'project');
    await cp(join(supabaseDir, 'config.toml'), join(workdir, 'supabase', 'config.toml'));
    await cp(join(supabaseDir, 'migrations'), join(workdir, 'supabase', 'migrations'), { recursive: true });
    await writeFile(
      join(workdir, 'supabase', 'migrations', '29991231000000_careless.sql'),
      `create table public.careless_open (id int primary key, note text);
       grant all on public.careless_open to anon, authenticated;
       create table public.careless_no_rls (id int primary key);
       create view public.careless_view as select id from public.careless_open;
       grant select on public.careless_view to anon;
       create sequence public.careless_seq;
       grant usage, update on sequence public.careless_seq to authenticated;
       create function public.careless_broken() returns text language plpgsql
         as $$ begin return (select missing_column from public.careless_open limit 1); end $$;
       revoke all on function public.careless_broken() from public, anon, authenticated;`,
    );
    expect((await supabaseDbPush(postgres.url, { workdir })).applied).toEqual([
      '29991231000000_careless.sql',
    ]);

    // The project's schemas only: pgTAP, installed in `extensions` by now, is not the project's code.
    const lint = await supabaseDbLint(postgres.url, { workdir, schemas: ['public', 'private'] });
    expect(lint.findings.map((f) => f.function)).toEqual(['public.careless_broken']);

    const catalog = (await sqlTestFiles()).filter((f) => /catalog_privileges|size_limits/.test(f));
    const failure = await runPgProve({ databaseUrl: postgres.url, files: catalog }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PgProveError);
    const report = (failure as PgProveError).output;
    expect(report).toMatch(/not ok \d+ - every table in public has row level security enabled/);
    expect(report).toContain('careless_open');
    expect(report).toContain('careless_no_rls');
    expect(report).toMatch(
      /not ok \d+ - anon and authenticated hold no table or view privilege outside the allow-list/,
    );
    expect(report).toMatch(/not ok \d+ - no sequence is updatable \(setval\) by anon or authenticated/);
    expect(report).toContain('careless_seq');
    expect(report).toMatch(/not ok \d+ - every view in public is security_invoker/);
    expect(report).toContain('careless_view');
    expect(report).toMatch(
      /not ok \d+ - every text, JSON or array column anon or authenticated may write has a size CHECK/,
    );
  });
});
