import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isPortOpen } from '../src/ports.ts';
import type { ServicesInfo } from '../src/services.ts';
import { servicesGlobalSetup, useRedis, useSupabaseStack } from '../src/vitest.ts';

describe('useSupabaseStack / useRedis fixtures', () => {
  const stack = useSupabaseStack('embedded');
  const redis = useRedis();

  it('fills the handles once beforeAll has run', async () => {
    const response = await fetch(`${stack.url}/rest/v1/`, { headers: { apikey: stack.serviceRoleKey } });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const client = new Redis(redis.port, redis.host, { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});

describe('lazy handles', () => {
  const early = useRedis();
  // Read at collection time, before beforeAll: a clear error, not an undefined port.
  const earlyError = (() => {
    try {
      return String(early.port);
    } catch (error) {
      return (error as Error).message;
    }
  })();

  it('say so when used before the service started', () => {
    expect(earlyError).toMatch(/not started yet/);
  });
});

describe('servicesGlobalSetup', () => {
  it('provides the URLs and keys and its teardown stops everything', async () => {
    const provided = new Map<string, ServicesInfo>();
    const setup = servicesGlobalSetup({ supabase: { mode: 'embedded' }, redis: true });
    const teardown = await setup({ provide: (key, value) => provided.set(key, value) });
    const info = provided.get('mentora:services');
    if (!info?.supabase || !info.redis) throw new Error('services were not provided');
    // Plain JSON: it crosses from the main process to the test workers.
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    const response = await fetch(`${info.supabase.url}/rest/v1/`, {
      headers: { apikey: info.supabase.anonKey },
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();

    await teardown();
    for (const url of [info.supabase.url, info.supabase.databaseUrl, info.redis.url]) {
      expect(await isPortOpen(Number(new URL(url).port))).toBe(false);
    }
  });
});
