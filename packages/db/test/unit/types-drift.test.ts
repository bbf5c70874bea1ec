// The committed database.types.ts (the Supabase CLI's generator output) and table-metadata.ts must be
// exactly what the migrations produce. Same check as `pnpm --filter @mentora/db check:types`, run with
// the tests so CI cannot skip it; and proof that the check does fail when a migration changes without
// regenerating.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/typegen.ts';

const packageDir = join(import.meta.dirname, '..', '..');
const migrationsDir = join(packageDir, '..', '..', 'supabase', 'migrations');

/** Runs the CI check (`gen-types.ts --check`) against `dir`; returns its exit code and output. */
async function check(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(packageDir, 'scripts', 'gen-types.ts'), '--check', '--migrations', dir],
      { cwd: packageDir },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('generated database types', () => {
  it('match supabase/migrations (run `pnpm --filter @mentora/db gen:types` when this fails)', async () => {
    const generated = await generate(migrationsDir);
    expect(await readFile(join(packageDir, 'src', 'database.types.ts'), 'utf8')).toBe(
      generated.databaseTypes,
    );
    expect(await readFile(join(packageDir, 'src', 'table-metadata.ts'), 'utf8')).toBe(
      generated.tableMetadata,
    );
  }, 120_000);

  it('the CI check fails once a migration drifts from the committed files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mentora-drift-'));
    try {
      await cp(migrationsDir, dir, { recursive: true });
      await writeFile(
        join(dir, '99999999999999_drift.sql'),
        'alter table public.videos add column drift_probe text;\n',
      );
      const drifted = await check(dir);
      expect(drifted.code).toBe(1);
      expect(drifted.output).toContain('database.types.ts is out of date');
      expect(drifted.output).toContain('table-metadata.ts is out of date');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
