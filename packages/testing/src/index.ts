// @mentora/testing: throwaway real services on free loopback ports, for tests and `pnpm dev`.
// Vitest fixtures live on the `./vitest` entry so this one never imports vitest.
export * from './binaries.ts';
export * from './exec.ts';
export * from './gateway.ts';
export * from './keys.ts';
export * from './migrate.ts';
export * from './pg-probe.ts';
export * from './pglite.ts';
export * from './ports.ts';
export * from './postgres.ts';
export * from './postgrest.ts';
export * from './process.ts';
export * from './redis.ts';
export * from './services.ts';
export * from './stack.ts';
export * from './supabase-roles.ts';
