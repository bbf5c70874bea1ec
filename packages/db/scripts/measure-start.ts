// Measures startLocalSupabase() in both modes: the figures the README reports.
// Usage: pnpm --filter @mentora/db measure:start [runs]   (default 5 runs per mode, run one after another)
// Prints min / median / max of the total and the median of each phase (database, migrations + seed,
// PostgREST + gateway), as returned in `timings`.
import { cpus } from 'node:os';
import { type LocalSupabase, type LocalSupabaseMode, startLocalSupabase } from '../src/testing.ts';

const runs = Number(process.argv[2] ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`startLocalSupabase, ${runs} runs per mode, ${cpus().length} cores, Node ${process.version}`);
for (const mode of ['postgres', 'embedded'] as LocalSupabaseMode[]) {
  const timings: LocalSupabase['timings'][] = [];
  for (let i = 0; i < runs; i++) {
    const stack = await startLocalSupabase({ mode });
    timings.push({ ...stack.timings, totalMs: stack.startupMs });
    await stack.stop();
  }
  const totals = timings.map((t) => t.totalMs).sort((a, b) => a - b);
  const phase = (key: keyof LocalSupabase['timings']) => median(timings.map((t) => t[key]));
  console.log(
    `${mode.padEnd(8)} total min ${totals[0]} / median ${median(totals)} / max ${totals.at(-1)} ms;` +
      ` database ${phase('databaseMs')} ms, migrations + seed ${phase('migrationsMs')} ms,` +
      ` PostgREST + gateway ${phase('postgrestMs')} ms (medians)`,
  );
}
