import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortOpen } from '../src/ports.ts';

export const USER_A = '0a000000-0000-4000-a000-00000000000a';
export const USER_B = '0b000000-0000-4000-a000-00000000000b';

/**
 * A tiny Supabase-style schema in two migrations (the second needs the first, so name order
 * matters) and a seed: one note per user, readable and writable only by its owner.
 */
export async function writeNotesSchema(): Promise<{ dir: string; migrationsDir: string; seedFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mentora-testing-test-'));
  const migrationsDir = join(dir, 'migrations');
  await mkdir(migrationsDir);
  await writeFile(
    join(migrationsDir, '20250101000001_notes.sql'),
    `create table public.notes (
       id bigint generated always as identity primary key,
       owner uuid not null,
       body text not null
     );`,
  );
  await writeFile(
    join(migrationsDir, '20250101000002_notes_rls.sql'),
    `alter table public.notes enable row level security;
     create policy notes_select_own on public.notes for select to authenticated using (owner = auth.uid());
     create policy notes_insert_own on public.notes for insert to authenticated with check (owner = auth.uid());`,
  );
  // Not a migration: only *.sql files are applied.
  await writeFile(join(migrationsDir, 'README.md'), 'not SQL');
  const seedFile = join(dir, 'seed.sql');
  await writeFile(
    seedFile,
    `insert into public.notes (owner, body) values ('${USER_A}', 'note of A'), ('${USER_B}', 'note of B');`,
  );
  return { dir, migrationsDir, seedFile };
}

/** Polls until nothing listens on the port; the limit is a hang guard, not a timing assertion. */
export async function waitForPortClosed(port: number, limitMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (await isPortOpen(port)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** pids of the live direct children of `pid` (from /proc), e.g. the watchdogs this test process started. */
export async function childPids(pid = process.pid): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[1]) === pid) children.push(Number(entry));
  }
  return children;
}

/** Polls until none of the children that were not in `before` is alive; the limit is a hang guard. */
export async function waitForNoNewChildren(before: readonly number[], limitMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const extra = (await childPids()).filter((pid) => !before.includes(pid));
    if (extra.length === 0 || Date.now() > deadline) return extra;
    await sleep(50);
  }
}
