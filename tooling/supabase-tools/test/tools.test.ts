// Each tool against a real throwaway server: a test that passes proves the tool works here, and the
// failing inputs prove each one reports what it should (a tool that cannot fail checks nothing).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PgliteService,
  type PostgresService,
  pgliteRunner,
  psqlRunner,
  startPglite,
  startPostgres,
  supabaseRolesSql,
} from '@mentora/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateTypescriptTypes,
  installPgTap,
  PgProveError,
  runPgProve,
  supabaseDbLint,
  supabaseDbPush,
} from '../src/index.ts';

let dir: string;
let postgres: PostgresService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mentora-supabase-tools-'));
  postgres = await startPostgres();
  await (await psqlRunner(postgres.url))(supabaseRolesSql(), 'Supabase roles');
});

afterAll(async () => {
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A Supabase project folder holding these migrations. */
async function project(name: string, migrations: Record<string, string>): Promise<string> {
  const workdir = join(dir, name);
  await mkdir(join(workdir, 'supabase', 'migrations'), { recursive: true });
  await writeFile(join(workdir, 'supabase', 'config.toml'), 'project_id = "tools-test"\n');
  for (const [file, sql] of Object.entries(migrations)) {
    await writeFile(join(workdir, 'supabase', 'migrations', file), sql);
  }
  return workdir;
}

describe('supabase db push / db lint (the pinned CLI)', () => {
  const applied = {
    '20300101000000_tables.sql': 'create table public.notes (id int primary key, body text);\n',
    '20300101000001_functions.sql': `
      create function public.clean() returns int language plpgsql as $$ begin return 1; end $$;
      create function public.broken() returns text language plpgsql
        as $$ begin return (select missing_column from public.notes limit 1); end $$;
    `,
  };

  it('applies pending migrations once, records them, and lint reports plpgsql_check findings', async () => {
    const workdir = await project('push', applied);
    const first = await supabaseDbPush(postgres.url, { workdir });
    expect(first.applied).toEqual(['20300101000000_tables.sql', '20300101000001_functions.sql']);
    expect((await supabaseDbPush(postgres.url, { workdir })).applied).toEqual([]);

    const lint = await supabaseDbLint(postgres.url, { workdir });
    expect(lint.findings.map((f) => f.function)).toEqual(['public.broken']);
    expect(lint.findings[0]?.issues[0]).toMatchObject({ level: 'error', sqlState: '42703' });
  });

  it('a migration that fails stops the push with the error', async () => {
    const workdir = await project('failing', {
      ...applied,
      '20300101000002_bad.sql': 'alter table public.no_such_table add column x int;\n',
    });
    await expect(supabaseDbPush(postgres.url, { workdir })).rejects.toThrow(/no_such_table/);
  });
});

describe('postgres-meta type generation', () => {
  it('prints what `supabase gen types typescript` prints for the schema', async () => {
    await (await psqlRunner(postgres.url))(
      "create table public.settings (id int primary key, data jsonb not null default '{}', note jsonb);",
      'fixture',
    );
    const types = await generateTypescriptTypes({ databaseUrl: postgres.url });
    expect(types).toMatch(/^export type Json =/);
    expect(types).toContain('data: NonNullable<Json>');
    expect(types).toContain('note: Json | null');
  });
});

describe('pgTAP with pg_prove', () => {
  const passing = `begin;
set local search_path = public, extensions;
select plan(2);
select ok(true, 'always true');
select has_table('public', 'notes', 'the table exists');
select * from finish();
rollback;
`;
  const failing = `begin;
set local search_path = public, extensions;
select plan(2);
select ok(true, 'fine');
select is(1 + 1, 3, 'arithmetic is off');
select * from finish();
rollback;
`;

  async function files() {
    await writeFile(join(dir, 'passing.sql'), passing);
    await writeFile(join(dir, 'failing.sql'), failing);
    return { passing: join(dir, 'passing.sql'), failing: join(dir, 'failing.sql') };
  }

  it('runs on Postgres 15 (the extension) and names failing tests', async () => {
    await installPgTap(await psqlRunner(postgres.url), { asExtension: true });
    const f = await files();
    expect(await runPgProve({ databaseUrl: postgres.url, files: [f.passing] })).toMatchObject({
      files: 1,
      tests: 2,
    });
    const error = await runPgProve({ databaseUrl: postgres.url, files: [f.passing, f.failing] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgProveError);
    expect((error as PgProveError).message).toContain('not ok 2 - arithmetic is off');
  });

  it('runs on PGlite (the install script as plain SQL), installed once', async () => {
    let pglite: PgliteService | undefined;
    try {
      pglite = await startPglite({ pgvector: false });
      const run = pgliteRunner(pglite.db);
      await run('create table public.notes (id int primary key);', 'fixture');
      await installPgTap(run, { asExtension: false });
      await installPgTap(run, { asExtension: false });
      const f = await files();
      expect(await runPgProve({ databaseUrl: pglite.url, files: [f.passing] })).toMatchObject({ tests: 2 });
      await expect(runPgProve({ databaseUrl: pglite.url, files: [f.failing] })).rejects.toThrow(
        /not ok 2 - arithmetic is off/,
      );
    } finally {
      await pglite?.stop();
    }
  });
});
