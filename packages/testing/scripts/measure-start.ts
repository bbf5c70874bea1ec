// Measures how long startSupabaseStack takes in each mode with the repository's migrations and
// seed: `pnpm --filter @mentora/testing measure [runs]`. Runs the modes interleaved and prints medians.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SupabaseStackMode, type SupabaseStackTimings, startSupabaseStack } from '../src/stack.ts';

const runs = Number(process.argv[2] ?? 5);
const supabaseDir = join(import.meta.dirname, '..', '..', '..', 'supabase');
const migrationsDir = join(supabaseDir, 'migrations');
const seedFile = join(supabaseDir, 'seed.sql');
const withSql: { migrationsDir?: string; seedFile?: string } = existsSync(migrationsDir)
  ? { migrationsDir, ...(existsSync(seedFile) ? { seedFile } : {}) }
  : {};

const results: Record<SupabaseStackMode, SupabaseStackTimings[]> = { postgres: [], embedded: [] };
for (let i = 0; i < runs; i++) {
  for (const mode of ['postgres', 'embedded'] as const) {
    const stack = await startSupabaseStack({ mode, ...withSql });
    const response = await fetch(`${stack.url}/rest/v1/`, { headers: { apikey: stack.anonKey } });
    if (response.status !== 200) throw new Error(`${mode}: gateway answered ${response.status}`);
    await response.body?.cancel();
    results[mode].push(stack.timings);
    await stack.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
console.log(`startSupabaseStack, ${runs} runs per mode, migrations: ${withSql.migrationsDir ?? 'none'}`);
for (const mode of ['postgres', 'embedded'] as const) {
  const t = results[mode];
  const m = (key: keyof SupabaseStackTimings) => median(t.map((x) => x[key]));
  console.log(
    `${mode.padEnd(9)} total median ${m('totalMs')} ms (min ${Math.min(...t.map((x) => x.totalMs))}, max ${Math.max(...t.map((x) => x.totalMs))}); ` +
      `database ${m('databaseMs')} ms, roles+migrations+seed ${m('migrationsMs')} ms, PostgREST+gateway ${m('postgrestMs')} ms`,
  );
}
