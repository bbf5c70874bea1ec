// @mentora/supabase-tools: Supabase's own tools, run the way the Supabase CLI runs them, without Docker.
export * from './pgtap.ts';
export * from './postgres-meta.ts';
export * from './supabase-cli.ts';
