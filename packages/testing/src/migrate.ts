import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { DatabaseError } from '@mentora/errors';
import { ensureBinary, SYSTEM_PATH } from './binaries.ts';
import { runCommand } from './exec.ts';

export interface SqlFile {
  name: string;
  path: string;
}

/** The `*.sql` files of a folder in name order (timestamped names sort chronologically). */
export async function listSqlFiles(dir: string): Promise<SqlFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql'));
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => ({ name, path: join(dir, name) }));
}

/** Something that runs one SQL script atomically: all of it or none of it. */
export type SqlRunner = (sql: string, label: string) => Promise<void>;

/** Runs SQL in PGlite in one transaction (rolled back on error). */
export function pgliteRunner(db: PGlite): SqlRunner {
  return async (sql, label) => {
    try {
      await db.transaction(async (tx) => {
        await tx.exec(sql);
      });
    } catch (error) {
      throw new DatabaseError(
        `${label} failed: ${(error as Error).message}`,
        { script: label },
        { cause: error },
      );
    }
  };
}

/**
 * Runs SQL through psql in one transaction (`--single-transaction`, stop at the first error).
 * psql rather than a driver because it executes any script a migration tool would, including
 * `do $$ ... $$` blocks and psql's own meta-commands, exactly as `psql -f` does by hand.
 */
export async function psqlRunner(databaseUrl: string): Promise<SqlRunner> {
  const psql = await ensureBinary('psql', 'postgresql-client-15');
  return async (sql, label) => {
    try {
      await runCommand(
        psql,
        [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', '-'],
        {
          input: sql,
          // Only what psql needs: a caller's PG* variables must not change the target.
          env: { PATH: SYSTEM_PATH, PGCONNECT_TIMEOUT: '10', PGAPPNAME: 'mentora-testing' },
        },
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
      throw new DatabaseError(
        `${label} failed: ${stderr || (error as Error).message}`,
        { script: label },
        { cause: error },
      );
    }
  };
}

/** Applies every `*.sql` of `dir` in name order, each in its own transaction. Returns the names applied. */
export async function applyMigrations(run: SqlRunner, dir: string): Promise<string[]> {
  const files = await listSqlFiles(dir);
  for (const file of files) {
    await run(await readFile(file.path, 'utf8'), `migration ${file.name}`);
  }
  return files.map((file) => file.name);
}

export async function applySqlFile(run: SqlRunner, path: string): Promise<void> {
  await run(await readFile(path, 'utf8'), path);
}
