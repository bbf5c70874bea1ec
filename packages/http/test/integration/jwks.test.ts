// Tokens signed with an asymmetric key, verified against a JWKS served over real HTTP (as Supabase
// projects on the new signing keys publish it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWithInfrastructure } from '../../src/index.js';
import { recordingLogger } from '../support/recorders.js';

let server: Server;
let jwksUrl: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;
let up = true;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
  server = createServer((_req, res) => {
    if (!up) {
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

function sign(key: CryptoKey, sub: string, kid = 'key-1') {
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe('auth with a JWKS URL', () => {
  it('accepts tokens signed by a published key, refuses others with 401', async () => {
    const { logger } = recordingLogger();
    const GET = createWithInfrastructure({ logger, auth: { jwksUrl } })((_req, ctx) => ({
      user: ctx.user?.id,
    }));
    const call = async (token: string) =>
      GET(new Request('http://t/me', { headers: { authorization: `Bearer ${token}` } }));
    const ok = await call(await sign(privateKey, 'user-1'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ user: 'user-1' });
    expect((await call(await sign(otherKey, 'user-1'))).status).toBe(401);
    expect((await call(await sign(otherKey, 'user-1', 'unknown-kid'))).status).toBe(401);
  });

  it('answers 503 when the key set cannot be fetched (our failure, not the caller’s)', async () => {
    const { logger } = recordingLogger();
    const GET = createWithInfrastructure({ logger, auth: { jwksUrl } })(() => ({ ok: true }));
    up = false;
    try {
      const r = await GET(
        new Request('http://t/me', { headers: { authorization: `Bearer ${await sign(privateKey, 'u')}` } }),
      );
      expect(r.status).toBe(503);
    } finally {
      up = true;
    }
  });
});
