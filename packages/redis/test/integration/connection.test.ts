// The connection layer against a real Redis: configuration as @mentora/config hands it out, the first
// connection, silent and stopped servers, health probes, and who closes what.
import { loadConfig, Secret } from '@mentora/config';
import { InvalidArgumentError, ServiceUnavailableError } from '@mentora/errors';
import { startRedis } from '@mentora/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisConnection, RedisErrorCode } from '../../src/index.ts';
import { recordingLogger, until } from '../support/helpers.ts';

let redis: Awaited<ReturnType<typeof startRedis>>;
let admin: Redis;
const open: RedisConnection[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

function connect(options: Parameters<typeof createRedisConnection>[0]): RedisConnection {
  const c = createRedisConnection({ logger: recordingLogger().logger, ...options });
  open.push(c);
  return c;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redis = await startRedis();
  admin = new Redis(redis.url, { lazyConnect: true });
  admin.on('error', () => {});
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await redis.startServer();
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  admin?.disconnect();
  await redis?.stop();
});

async function adminCall<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
  if (admin.status === 'wait' || admin.status === 'end') await admin.connect().catch(() => {});
  await until('admin connection', () => admin.status === 'ready');
  return fn(admin);
}

describe('configuration as @mentora/config hands it out', () => {
  it('connects to the server of a Secret URL (config.cache.redisUrl), not to localhost:6379', async () => {
    const config = loadConfig({ MENTORA_ENV: 'test', REDIS_URL: redis.url });
    const c = connect({ url: config.cache.redisUrl, keyPrefix: config.cache.keyPrefix });
    expect(c.client.options).toMatchObject({ host: '127.0.0.1', port: redis.port });
    await c.ready();
    await c.op('set').call('set', ['secret-url-probe', 'here']);
    expect(await adminCall((r) => r.get('secret-url-probe'))).toBe('here');
    expect(c.keyPrefix).toBe(config.cache.keyPrefix);
  });

  it('takes a Secret password', async () => {
    await adminCall((r) => r.config('SET', 'requirepass', 's3cret-pw'));
    try {
      const c = connect({ url: redis.url, password: new Secret('s3cret-pw') });
      await c.ready();
      expect(await c.op('ping').call('ping', [])).toBe('PONG');
    } finally {
      await adminCall(async (r) => {
        await r.auth('s3cret-pw');
        await r.config('SET', 'requirepass', '');
      });
    }
  });

  it('refuses a given client with an ioredis keyPrefix (SCAN patterns would miss every key)', () => {
    const prefixed = new Redis(redis.url, { keyPrefix: 'x:', lazyConnect: true });
    expect(() => createRedisConnection({ client: prefixed })).toThrow(InvalidArgumentError);
    prefixed.disconnect();
  });
});

describe('the first connection', () => {
  it('commands issued while it is being made wait for it, then run (none fails, none is queued)', async () => {
    const c = connect({ url: redis.url });
    expect(c.client.status).not.toBe('ready');
    const set = c.op('set');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => set.call('set', [`first:${i}`, 'v'])),
    );
    expect(results).toEqual(Array.from({ length: 20 }, () => 'OK'));
    expect(await adminCall((r) => r.exists(...Array.from({ length: 20 }, (_, i) => `first:${i}`)))).toBe(20);
  });

  it('a refused first connection fails commands with a typed error instead of waiting on', async () => {
    await redis.stopServer();
    const c = connect({ url: redis.url, redisOptions: { retryStrategy: () => 60_000 } });
    const err = await c
      .op('get')
      .call('get', ['k'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).code).toBe(RedisErrorCode.UNAVAILABLE);
    await expect(c.ready(50)).rejects.toMatchObject({ code: RedisErrorCode.NOT_READY });
    expect((await c.health()).healthy).toBe(false);
  });

  it('a lazily created client that is given connects on the first command', async () => {
    const lazy = new Redis(redis.url, { lazyConnect: true });
    const c = connect({ client: lazy });
    expect(await c.op('ping').call('ping', [])).toBe('PONG');
    lazy.disconnect();
  });
});

describe('a silent server', () => {
  it('bounds a command of a paused Redis (REDIS_TIMEOUT), opens the circuit, and a probe closes it again', async () => {
    const { logger, lines } = recordingLogger();
    const c = connect({
      url: redis.url,
      commandTimeoutMs: 100,
      breaker: { failureThreshold: 2, coolDownMs: 600_000 },
      logger,
    });
    await c.ready();
    await adminCall((r) => r.client('PAUSE', 60_000, 'WRITE'));
    try {
      const set = c.op('set');
      for (let i = 0; i < 2; i++) {
        await expect(set.call('set', ['paused', '1'])).rejects.toMatchObject({
          code: RedisErrorCode.TIMEOUT,
        });
      }
      expect(c.breakerState).toBe('open');
      await expect(set.call('set', ['paused', '1'])).rejects.toMatchObject({
        code: RedisErrorCode.CIRCUIT_OPEN,
        retryable: true,
      });
      expect(lines.some((l) => l.level === 'error' && /circuit opened/.test(l.message))).toBe(true);
    } finally {
      await adminCall((r) => r.client('UNPAUSE'));
    }
    // A health probe goes through an open circuit: it is how recovery is seen.
    expect(await c.health()).toMatchObject({ healthy: true, breaker: 'closed' });
    expect(await c.op('set').call('set', ['paused', '2'])).toBe('OK');
  });

  it('stays bounded when the server process is frozen (SIGSTOP): old and new connections, then recovers', async () => {
    const frozen = await startRedis();
    const probe = new Redis(frozen.url);
    const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))?.[1]);
    probe.disconnect();
    expect(pid).toBeGreaterThan(0);
    const settings = { commandTimeoutMs: 100, connectTimeoutMs: 300, breaker: { coolDownMs: 50 } };
    const before = connect({ url: frozen.url, ...settings });
    let stopped = false;
    try {
      await before.ready();
      process.kill(pid, 'SIGSTOP');
      stopped = true;
      await expect(before.op('get').call('get', ['k'])).rejects.toBeInstanceOf(ServiceUnavailableError);
      expect((await before.health()).healthy).toBe(false);
      // The kernel accepts a new TCP connection; nobody answers its ready check.
      const after = connect({ url: frozen.url, ...settings });
      await expect(after.ready()).rejects.toMatchObject({ code: RedisErrorCode.NOT_READY });
      await expect(after.op('get').call('get', ['k'])).rejects.toBeInstanceOf(ServiceUnavailableError);
      process.kill(pid, 'SIGCONT');
      stopped = false;
      await until(
        'both healthy again',
        async () => (await before.health()).healthy && (await after.health()).healthy,
      );
      expect(await after.op('set').call('set', ['k', 'v'])).toBe('OK');
    } finally {
      if (stopped) process.kill(pid, 'SIGCONT');
      await Promise.all(open.splice(0).map((c) => c.close()));
      await frozen.stop();
    }
  });
});

describe('an outage', () => {
  it('fails fast while down (nothing queued), and a reconnect closes the open circuit at once', async () => {
    const c = connect({ url: redis.url, breaker: { failureThreshold: 2, coolDownMs: 600_000 } });
    await c.ready();
    const set = c.op('set');
    await redis.stopServer();
    await until('the client to notice', () => c.client.status !== 'ready');
    for (let i = 0; i < 2; i++) {
      await expect(set.call('set', ['outage', 'lost'])).rejects.toMatchObject({
        code: RedisErrorCode.UNAVAILABLE,
      });
    }
    expect(c.breakerState).toBe('open');
    await redis.startServer();
    await until('the client to reconnect', () => c.client.status === 'ready');
    // The reconnect's ready check was a round trip: no need to wait out the 10-minute cool-down.
    expect(c.breakerState).toBe('closed');
    // The restarted server is empty: the writes that failed were never replayed into it.
    await c.op('ping').call('ping', []); // after anything the client could have had queued
    expect(await adminCall((r) => r.exists('outage'))).toBe(0);
    expect(await set.call('set', ['outage', 'after'])).toBe('OK');
  });
});

describe('close', () => {
  it('closes a client it created, never one it was given', async () => {
    const owned = connect({ url: redis.url });
    await owned.ready();
    await owned.close();
    expect(owned.client.status).toBe('end');
    const given = new Redis(redis.url);
    const shared = connect({ client: given });
    await shared.ready();
    await shared.close();
    expect(await given.ping()).toBe('PONG');
    given.disconnect();
  });

  it('finishes while Redis is down and the client waits between reconnect attempts', async () => {
    const c = connect({ url: redis.url, redisOptions: { retryStrategy: () => 60_000 } });
    await c.ready();
    await redis.stopServer();
    await until('the client to wait for its next attempt', () => c.client.status === 'reconnecting');
    // ioredis emits no 'end' here (no socket left): an unbounded close never settles and the hang guard fails it.
    await c.close();
    expect(c.client.status).not.toBe('ready');
    await expect(c.op('get').call('get', ['k'])).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
