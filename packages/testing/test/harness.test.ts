import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary } from '../src/binaries.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../src/gateway.ts';
import { isAddressInUse, isPortOpen } from '../src/ports.ts';
import { startPostgres } from '../src/postgres.ts';
import { startRedis, startRedisCluster } from '../src/redis.ts';
import { type SupabaseStack, type SupabaseStackMode, startSupabaseStack } from '../src/stack.ts';
import {
  childPids,
  USER_A,
  USER_B,
  waitForNoNewChildren,
  waitForPortClosed,
  writeNotesSchema,
} from './helpers.ts';

const execFileAsync = promisify(execFile);

async function psql(url: string, sql: string): Promise<string> {
  const bin = await findBinary('psql');
  if (!bin) throw new Error('psql not found');
  const { stdout } = await execFileAsync(bin, [url, '-X', '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return stdout.trim();
}

function client(stack: SupabaseStack, key: string, accessToken?: string): SupabaseClient {
  return createClient(stack.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(accessToken ? { global: { headers: { Authorization: `Bearer ${accessToken}` } } } : {}),
  });
}

describe.each<SupabaseStackMode>(['postgres', 'embedded'])(
  'Supabase stack (%s) through supabase-js',
  (mode) => {
    let stack: SupabaseStack;
    let anon: SupabaseClient;
    let admin: SupabaseClient;
    let userA: SupabaseClient;
    let schemaDir: string | undefined;

    beforeAll(async () => {
      const { dir, migrationsDir, seedFile } = await writeNotesSchema();
      schemaDir = dir;
      stack = await startSupabaseStack({ mode, migrationsDir, seedFile });
      console.info(`[${mode}] stack started in ${stack.timings.totalMs} ms`, stack.timings);
      anon = client(stack, stack.anonKey);
      admin = client(stack, stack.serviceRoleKey);
      userA = client(stack, stack.anonKey, await stack.signUserToken(USER_A));
    });

    afterAll(async () => {
      if (schemaDir) await rm(schemaDir, { recursive: true, force: true });
      if (!stack) return;
      const ports = [stack.url, stack.postgrestUrl, stack.databaseUrl].map((url) =>
        Number(new URL(url).port),
      );
      await stack.stop();
      for (const port of ports) expect(await isPortOpen(port)).toBe(false);
    });

    it('applied the migrations in name order and then the seed', async () => {
      const { data, error } = await admin.from('notes').select('owner, body').order('body');
      expect(error).toBeNull();
      expect(data).toEqual([
        { owner: USER_A, body: 'note of A' },
        { owner: USER_B, body: 'note of B' },
      ]);
    });

    it('anon: RLS hides every row and refuses writes', async () => {
      const read = await anon.from('notes').select('*');
      expect(read.error).toBeNull();
      expect(read.data).toEqual([]);
      const write = await anon.from('notes').insert({ owner: USER_A, body: 'by anon' });
      expect(write.error?.code).toBe('42501');
      expect(write.status).toBe(401);
    });

    it('a user sees only their own row and cannot write as someone else', async () => {
      const read = await userA.from('notes').select('owner, body');
      expect(read.error).toBeNull();
      expect(read.data).toEqual([{ owner: USER_A, body: 'note of A' }]);

      const forged = await userA.from('notes').insert({ owner: USER_B, body: 'forged' });
      expect(forged.error?.code).toBe('42501');
      expect(forged.status).toBe(403);

      const own = await userA
        .from('notes')
        .insert({ owner: USER_A, body: 'second of A' })
        .select('owner, body');
      expect(own.error).toBeNull();
      expect(own.data).toEqual([{ owner: USER_A, body: 'second of A' }]);
    });

    it('service_role bypasses RLS and sees every row', async () => {
      const { data, error } = await admin.from('notes').select('owner');
      expect(error).toBeNull();
      expect(data?.filter((row) => row.owner === USER_B)).toHaveLength(1);
      expect(data?.filter((row) => row.owner === USER_A).length).toBeGreaterThanOrEqual(1);
    });

    it('a JWT naming a role authenticator may not become is refused, as on Supabase', async () => {
      const { signSupabaseJwt } = await import('../src/keys.ts');
      const superuser = client(stack, await signSupabaseJwt(stack.jwtSecret, { role: 'postgres' }));
      const { data, error, status } = await superuser.from('notes').select('owner');
      expect(data).toBeNull();
      expect(error?.code).toBe('42501');
      expect(status).toBe(403);
    });

    it('auth.uid(), auth.role() and auth.jwt() read the claims as on Supabase', async () => {
      await stack.runSql(
        `create function public.whoami() returns jsonb language sql stable as $$
         select jsonb_build_object('uid', auth.uid(), 'role', auth.role(), 'iss', auth.jwt() ->> 'iss')
       $$;`,
      );
      await stack.reloadSchema();
      const { data, error } = await userA.rpc('whoami');
      expect(error).toBeNull();
      expect(data).toEqual({ uid: USER_A, role: 'authenticated', iss: 'supabase' });
    });

    it('the gateway maps a lone apikey header to Authorization, as Supabase does', async () => {
      const asKey = async (key: string) => {
        const response = await fetch(`${stack.url}/rest/v1/notes?select=owner`, { headers: { apikey: key } });
        return { status: response.status, rows: (await response.json()) as unknown[] };
      };
      const service = await asKey(stack.serviceRoleKey);
      expect(service.status).toBe(200);
      expect(service.rows.length).toBeGreaterThanOrEqual(2);
      expect(await asKey(stack.anonKey)).toEqual({ status: 200, rows: [] });
    });

    it('the gateway forwards Prefer and Range and serves the OpenAPI document', async () => {
      const response = await fetch(`${stack.url}/rest/v1/notes?select=id&order=id`, {
        headers: { apikey: stack.serviceRoleKey, Prefer: 'count=exact', Range: '0-0' },
      });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toMatch(/^0-0\/\d+$/);
      expect(await response.json()).toHaveLength(1);

      const openapi = await fetch(`${stack.url}/rest/v1/`, { headers: { apikey: stack.serviceRoleKey } });
      expect(openapi.status).toBe(200);
      const document = (await openapi.json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toContain('/notes');
    });

    it('the gateway refuses a body over its limit with 413 problem+json before PostgREST sees it', async () => {
      const body = JSON.stringify({ owner: USER_A, body: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
      const post = (init: RequestInit & { duplex?: 'half' }) =>
        fetch(`${stack.url}/rest/v1/notes`, {
          method: 'POST',
          headers: { apikey: stack.serviceRoleKey, 'content-type': 'application/json' },
          ...init,
        });
      const declared = await post({ body });
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toBe('application/problem+json');
      expect(await declared.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      // Streamed without a Content-Length: counted on the way, refused all the same.
      const bytes = new TextEncoder().encode(body);
      const streamed = await post({
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 64 * 1024)
              controller.enqueue(bytes.subarray(i, i + 64 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      });
      expect(streamed.status).toBe(413);
      expect(await streamed.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      // supabase-js sees the gateway's answer as an error with its code.
      const viaClient = await admin
        .from('notes')
        .insert({ owner: USER_A, body: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
      expect(viaClient.status).toBe(413);
      expect(viaClient.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(
        await psql(stack.databaseUrl, 'select count(*) from public.notes where length(body) > 100000'),
      ).toBe('0');
      // A body under the limit still goes through.
      const small = await admin.from('notes').insert({ owner: USER_A, body: 'x'.repeat(100_000) });
      expect(small.error).toBeNull();
    });

    it('a function created after start is served once the schema cache is reloaded', async () => {
      // PostgREST 12 serves plain table reads without its cache, but functions need it.
      await stack.runSql(
        'create function public.answer() returns int language sql immutable as $$ select 42 $$;',
      );
      const before = await admin.rpc('answer');
      expect(before.error?.code).toBe('PGRST202');
      await stack.reloadSchema();
      const after = await admin.rpc('answer');
      expect(after.error).toBeNull();
      expect(after.data).toBe(42);
    });

    it('answers 503 at once while PostgREST is down, and works again after it restarts', async () => {
      await stack.postgrest.stop();
      try {
        // The abort is a hang guard: a gateway that waited for PostgREST would trip it.
        const response = await fetch(`${stack.url}/rest/v1/notes`, {
          headers: { apikey: stack.serviceRoleKey },
          signal: AbortSignal.timeout(15_000),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await response.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
        // supabase-js surfaces it as an error (a write is not retried by the client).
        const write = await admin.from('notes').insert({ owner: USER_A, body: 'while down' });
        expect(write.status).toBe(503);
        expect(write.error).not.toBeNull();
      } finally {
        await stack.postgrest.start();
      }
      const { data, error } = await admin.from('notes').select('owner').eq('owner', USER_B);
      expect(error).toBeNull();
      expect(data).toHaveLength(1);
    });
  },
);

describe('PostgreSQL 15', () => {
  it('runs a throwaway server; stopServer/startServer keep port and data; stop closes the port', async () => {
    const pg = await startPostgres({ database: 'app' });
    try {
      expect(await psql(pg.url, 'select current_database()')).toBe('app');
      expect(await psql(pg.url, "select current_setting('fsync')")).toBe('off');
      expect(await psql(pg.url, 'show server_version_num')).toMatch(/^15/);
      await psql(pg.url, 'create table kept (v text); insert into kept values ($$survives$$)');
      await pg.stopServer();
      expect(await isPortOpen(pg.port)).toBe(false);
      await pg.startServer();
      expect(await psql(pg.url, 'select v from kept')).toBe('survives');
    } finally {
      await pg.stop();
    }
    expect(await isPortOpen(pg.port)).toBe(false);
  });
});

describe('PostgreSQL 15 start failures', () => {
  it('a failure after the server is up (creating the database) stops the server again', async () => {
    const before = await childPids();
    // template1 always exists, so CREATE DATABASE fails once the server is already running.
    await expect(startPostgres({ database: 'template1' })).rejects.toThrow(/already exists/);
    expect(await waitForNoNewChildren(before)).toEqual([]);
  });
});

describe('Redis', () => {
  it('single node works with ioredis and its port closes on stop', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.port, redis.host, { maxRetriesPerRequest: 1 });
    try {
      await client.set('greeting', 'hello');
      expect(await client.get('greeting')).toBe('hello');
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(await waitForPortClosed(redis.port)).toBe(true);
  });

  it('a start on a taken port fails as "address in use", which is what makes the free-port retry work', async () => {
    // Accepts connections and never answers: the readiness probe must not hang on it either.
    const sockets = new Set<Socket>();
    const blocker = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const error = await startRedis({ port }).then(
        async (redis) => {
          await redis.stop();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(isAddressInUse(error)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a 3-master cluster works with ioredis Cluster and its ports close on stop', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    const client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
    try {
      expect(cluster.nodes).toHaveLength(3);
      // Keys chosen to hash to slots owned by different masters.
      const keys = Array.from({ length: 30 }, (_, i) => `key:${i}`);
      await Promise.all(keys.map((key) => client.set(key, key.toUpperCase())));
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(
        keys.map((key) => key.toUpperCase()),
      );
      const masters = client.nodes('master');
      expect(masters).toHaveLength(3);
      const perMaster = await Promise.all(masters.map((node) => node.dbsize()));
      expect(perMaster.every((count) => count > 0)).toBe(true);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
    for (const node of cluster.nodes) expect(await waitForPortClosed(node.port)).toBe(true);
  });
});
