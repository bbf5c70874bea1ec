// Starts a local Supabase (real PostgREST over PGlite or Postgres 15, migrations and seed applied),
// prints the environment an app needs, and runs until Ctrl-C.
// Usage: pnpm --filter @mentora/db supabase:local [embedded|postgres]
import { startLocalSupabase } from '../src/testing.ts';

const mode = process.argv[2] === 'postgres' ? 'postgres' : 'embedded';
const supabase = await startLocalSupabase({ mode });
console.log(`local Supabase (${mode}) ready in ${supabase.startupMs} ms`);
console.log(`NEXT_PUBLIC_SUPABASE_URL=${supabase.url}`);
console.log(`NEXT_PUBLIC_SUPABASE_ANON_KEY=${supabase.anonKey}`);
console.log(`SUPABASE_SERVICE_ROLE_KEY=${supabase.serviceRoleKey}`);
console.log(`SUPABASE_JWT_SECRET=${supabase.jwtSecret}`);
console.log(`DATABASE_URL=${supabase.databaseUrl}`);
const stop = async () => {
  await supabase.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
