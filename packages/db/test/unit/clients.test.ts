import { ConfigError, DatabaseError } from '@mentora/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { createSupabaseClients } from '../../src/clients.js';

const jwt = (sub: string) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.sig`;
const SERVICE_KEY = 'service-role-key-value-that-must-not-leak';

describe('createSupabaseClients', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('reuses clients within a factory and never across factories', async () => {
    const a = createSupabaseClients({
      url: 'http://127.0.0.1:1',
      anonKey: 'anon',
      serviceRoleKey: SERVICE_KEY,
    });
    const b = createSupabaseClients({
      url: 'http://127.0.0.1:1',
      anonKey: 'anon',
      serviceRoleKey: SERVICE_KEY,
    });
    expect(a.anon()).toBe(a.anon());
    expect(a.getSupabaseClient()).toBe(a.anon());
    expect(a.admin()).toBe(a.getSupabaseAdmin());
    expect(a.forUser(jwt('u1'))).toBe(a.forUser(jwt('u1')));
    expect(a.forUser(jwt('u1'))).not.toBe(a.forUser(jwt('u2')));
    expect(a.anon()).not.toBe(b.anon());
    expect(a.admin()).not.toBe(a.anon());
    await a.close();
    await b.close();
  });

  it('evicts the least recently used user client past maxUserClients', async () => {
    const f = createSupabaseClients({ url: 'http://127.0.0.1:1', anonKey: 'anon', maxUserClients: 2 });
    const one = f.forUser(jwt('1'));
    f.forUser(jwt('2'));
    f.forUser(jwt('1')); // 1 is now the most recently used
    f.forUser(jwt('3')); // evicts 2
    expect(f.forUser(jwt('1'))).toBe(one);
    await f.close();
  });

  it('refuses the admin client without a key, and in a browser', async () => {
    const noKey = createSupabaseClients({ url: 'http://127.0.0.1:1', anonKey: 'anon' });
    expect(() => noKey.admin()).toThrow(ConfigError);
    const f = createSupabaseClients({ url: 'http://127.0.0.1:1', anonKey: 'anon' });
    (globalThis as { window?: unknown }).window = {};
    expect(() => f.admin()).toThrow(ConfigError);
    expect(() =>
      createSupabaseClients({ url: 'http://127.0.0.1:1', anonKey: 'anon', serviceRoleKey: SERVICE_KEY }),
    ).toThrow(ConfigError);
    await noKey.close();
    await f.close();
  });

  it('accepts a Secret-like wrapper and never exposes the key on the factory', async () => {
    const f = createSupabaseClients({
      url: 'http://127.0.0.1:1',
      anonKey: 'anon',
      serviceRoleKey: { reveal: () => SERVICE_KEY, toJSON: () => '[redacted]' } as { reveal(): string },
    });
    expect(f.admin()).toBeDefined();
    expect(JSON.stringify(f)).not.toContain(SERVICE_KEY);
    const { inspect } = await import('node:util');
    expect(inspect(f, { depth: 5 })).not.toContain(SERVICE_KEY);
    await f.close();
  });

  it('validates options and refuses use after close', async () => {
    expect(() => createSupabaseClients({ url: 'not a url', anonKey: '' })).toThrow(ConfigError);
    const f = createSupabaseClients({ url: 'http://127.0.0.1:1', anonKey: 'anon' });
    expect(() => f.forUser('not-a-jwt')).toThrow(ConfigError);
    await f.close();
    await f.close();
    expect(() => f.anon()).toThrow(DatabaseError);
  });
});
