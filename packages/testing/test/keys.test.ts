import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateJwtSecret, signApiKeys, signSupabaseJwt, signUserToken } from '../src/keys.ts';

// The keys are signed with node:crypto; a JWT library must read them as Supabase's own.
describe('keys', () => {
  const secret = generateJwtSecret();
  const key = new TextEncoder().encode(secret);

  it('API keys are HS256 JWTs with iss supabase, the role, and a 10-year expiry', async () => {
    const { anonKey, serviceRoleKey } = await signApiKeys(secret);
    const anon = await jwtVerify(anonKey, key, { algorithms: ['HS256'], issuer: 'supabase' });
    expect(anon.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(anon.payload.role).toBe('anon');
    expect((anon.payload.exp as number) - (anon.payload.iat as number)).toBe(10 * 365 * 24 * 60 * 60);
    expect((await jwtVerify(serviceRoleKey, key)).payload.role).toBe('service_role');
    await expect(jwtVerify(anonKey, new TextEncoder().encode(generateJwtSecret()))).rejects.toThrow();
  });

  it('a user token is role authenticated, sub the user, aud authenticated, one hour', async () => {
    const token = await signUserToken(secret, '0a000000-0000-4000-a000-00000000000a', {
      claims: { email: 'a@example.com', role: 'ignored-by-order' },
    });
    const { payload } = await jwtVerify(token, key, { audience: 'authenticated' });
    expect(payload).toMatchObject({ sub: '0a000000-0000-4000-a000-00000000000a', email: 'a@example.com' });
    expect(payload.role).toBe('authenticated');
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
  });

  it("expiresIn takes seconds or a span like '30m'", async () => {
    const token = await signSupabaseJwt(secret, { role: 'anon', expiresIn: '30m' });
    const { payload } = await jwtVerify(token, key);
    expect((payload.exp as number) - (payload.iat as number)).toBe(1800);
    await expect(signSupabaseJwt(secret, { role: 'anon', expiresIn: 'soon' })).rejects.toThrow(/expiresIn/);
  });
});
