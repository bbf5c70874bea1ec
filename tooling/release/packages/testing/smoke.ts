// Smoke for @mentora/testing, run in a consumer project against the published package: the embedded
// stack (PGlite behind the real PostgREST, from the optional peers) serves a table it was given, its env
// block is what @mentora/config accepts, a throwaway Redis answers PING, and the bin runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { validateConfig } from '@mentora/config';
import { servicesEnv, startRedis, startSupabaseStack } from '@mentora/testing';

const stack = await startSupabaseStack({ mode: 'embedded' });
const redis = await startRedis().catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});
try {
  await stack.runSql('create table public.smoke (id int primary key, label text not null);');
  await stack.reloadSchema();
  const headers = {
    apikey: stack.serviceRoleKey,
    'content-type': 'application/json',
    prefer: 'return=representation',
  };
  const inserted = await fetch(`${stack.url}/rest/v1/smoke`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: 1, label: 'published' }),
  });
  assert.equal(inserted.status, 201);
  assert.deepEqual(await inserted.json(), [{ id: 1, label: 'published' }]);

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
    redis: { url: redis.url, host: redis.host, port: redis.port },
  });
  const config = validateConfig({ ...env }, { profile: 'test' });
  assert.equal(config.database.supabaseUrl, stack.url);
  assert.equal(config.cache.driver, 'redis');
  assert.deepEqual(
    Object.keys(stack.env()).sort(),
    Object.keys(env)
      .filter((k) => !/REDIS|CACHE/.test(k))
      .sort(),
  );

  const pong = await new Promise<string>((resolve, reject) => {
    const socket = connect(redis.port, redis.host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString('latin1'));
    });
    socket.once('error', reject);
  });
  assert.equal(pong, '+PONG\r\n');

  const help = spawnSync('node_modules/.bin/mentora-testing', ['help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: mentora-testing/);

  console.log(`testing smoke ok (embedded stack started in ${stack.timings.totalMs} ms)`);
} finally {
  await Promise.all([stack.stop(), redis.stop()]);
}
