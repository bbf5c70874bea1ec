import { rm } from 'node:fs/promises';
import { DEV_DEFAULTS, loadConfig, validateConfig } from '@mentora/config';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../src/ports.ts';
import { servicesEnv } from '../src/services.ts';
import { type SupabaseStack, startSupabaseStack } from '../src/stack.ts';
import { USER_A, writeNotesSchema } from './helpers.ts';

// The config's development and test defaults name a fixed URL and keys signed with a fixed secret.
// A stack started with that secret (and, for an app with no variables at all, port 54321) must accept
// those keys, and a stack on a random port and secret must hand out variables the config accepts.
describe('Supabase stack and @mentora/config agree', () => {
  let stack: SupabaseStack;
  let port: number;
  let schemaDir: string | undefined;

  beforeAll(async () => {
    const { dir, migrationsDir, seedFile } = await writeNotesSchema();
    schemaDir = dir;
    port = await getFreePort();
    stack = await startSupabaseStack({
      mode: 'embedded',
      migrationsDir,
      seedFile,
      port,
      jwtSecret: DEV_DEFAULTS.jwtSecret,
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (schemaDir) await rm(schemaDir, { recursive: true, force: true });
  });

  it('serves the gateway on the requested port', () => {
    expect(new URL(stack.url).port).toBe(String(port));
  });

  it('env() is accepted by validateConfig and names this stack', () => {
    const env = stack.env();
    for (const profile of ['development', 'test'] as const) {
      const config = validateConfig({ ...env }, { profile });
      expect(config.database.supabaseUrl).toBe(stack.url);
      expect(config.database.anonKey).toBe(stack.anonKey);
      expect(config.database.serviceRoleKey.reveal()).toBe(stack.serviceRoleKey);
      expect(config.database.jwtSecret?.reveal()).toBe(DEV_DEFAULTS.jwtSecret);
      expect(config.database.databaseUrl?.reveal()).toBe(stack.databaseUrl);
    }
  });

  it('servicesEnv() (what `mentora-testing env` prints) is accepted by validateConfig, Redis included', () => {
    const env = servicesEnv({
      supabase: {
        mode: stack.mode,
        url: stack.url,
        anonKey: stack.anonKey,
        serviceRoleKey: stack.serviceRoleKey,
        jwtSecret: stack.jwtSecret,
        databaseUrl: stack.databaseUrl,
        postgrestUrl: stack.postgrestUrl,
        startMs: stack.timings.totalMs,
      },
      redis: { url: 'redis://127.0.0.1:6390', host: '127.0.0.1', port: 6390 },
    });
    for (const profile of ['development', 'test'] as const) {
      const config = validateConfig({ ...env }, { profile });
      expect(config.database.supabaseUrl).toBe(stack.url);
      expect(config.cache.driver).toBe('redis');
      expect(config.cache.redisUrl?.reveal()).toBe('redis://127.0.0.1:6390');
    }
  });

  it("the development defaults' keys work against a stack signed with the development secret", async () => {
    // Only the URL is given (the port is free here, 54321 in `pnpm dev`); the keys are the defaults.
    const config = loadConfig({ MENTORA_ENV: 'development', NEXT_PUBLIC_SUPABASE_URL: stack.url });
    expect(config.database.anonKey).toBe(DEV_DEFAULTS.anonKey);
    const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };
    const admin = createClient(stack.url, config.database.serviceRoleKey.reveal(), options);
    const inserted = await admin.from('notes').insert({ owner: USER_A, body: 'dev defaults' }).select('body');
    expect(inserted.error).toBeNull();
    expect(inserted.data).toEqual([{ body: 'dev defaults' }]);

    // The default anon key is accepted (RLS applies, so the anon role sees no notes) ...
    const anon = createClient(stack.url, config.database.anonKey, options);
    const read = await anon.from('notes').select('body');
    expect(read.error).toBeNull();
    expect(read.data).toEqual([]);
    // ... while a key signed with another secret is refused.
    const other = await startSupabaseStack({ mode: 'embedded' });
    try {
      const refused = await createClient(other.url, config.database.anonKey, options)
        .from('notes')
        .select('*');
      expect(refused.error?.code).toBe('PGRST301');
    } finally {
      await other.stop();
    }
  });
});
