import { ServiceUnavailableError } from '@mentora/errors';
import {
  connectionFor,
  type RedisCommands,
  type RedisConnection,
  type RedisConnectionInput,
  RedisErrorCode,
  type RedisOp,
} from '@mentora/redis';
import { escapeGlob } from '../keys.js';
import type { CacheLocks, CachePayload, CacheStore } from '../types.js';
import { RedisInvalidationBus } from './bus.js';
import { INCREMENT, isNoScript, type LuaScript, RELEASE_LOCK, SET_VERSIONED } from './scripts.js';

/**
 * A shared connection (`{ connection }`, e.g. the one the rate limiter uses) or what it takes to create one
 * (`{ url }` — a `Secret` such as `config.cache.redisUrl` is fine —, `{ nodes }` or `{ client }`, with the
 * connection settings of `@mentora/redis`: `keyPrefix`, `commandTimeoutMs`, `breaker`, `logger`…).
 */
export type RedisStoreOptions = RedisConnectionInput & {
  /** Pub/sub channel of invalidation messages, after the connection's keyPrefix. Default 'mentora:cache:invalidate'. */
  channel?: string;
  /** SCAN batch size of `deletePattern`. Default 1,000. */
  scanCount?: number;
};

export interface RedisCacheStore extends CacheStore {
  readonly connection: RedisConnection;
  /** Leases: SET NX PX and a compare-and-delete script. */
  readonly locks: CacheLocks;
  /** Invalidation messages over pub/sub on `channel`, on the same connection. */
  readonly bus: RedisInvalidationBus;
}

const OPS = [
  'get',
  'getVersioned',
  'set',
  'setVersioned',
  'bumpVersion',
  'delete',
  'increment',
  'deletePattern',
  'pttl',
  'lock',
] as const;
type Op = (typeof OPS)[number];

class RedisStore implements RedisCacheStore {
  readonly kind: string;
  readonly connection: RedisConnection;
  readonly #owned: boolean;
  /** Prepended to every key (the connection's keyPrefix). */
  readonly #prefix: string;
  readonly #scanCount: number;
  readonly bus: RedisInvalidationBus;
  readonly locks: CacheLocks = {
    acquire: async (key, token, ttlMs) =>
      (await this.#op.lock.call('set', [this.#key(key), token, 'PX', ttlMs, 'NX'])) === 'OK',
    release: async (key, token) => {
      await this.#script('lock', RELEASE_LOCK, [this.#key(key)], [token]);
    },
  };
  readonly #op: Record<Op, RedisOp>;
  #closed: Promise<void> | undefined;

  constructor(options: RedisStoreOptions) {
    const { connection, owned } = connectionFor(options);
    this.connection = connection;
    this.#owned = owned;
    this.kind = connection.kind;
    this.#prefix = connection.keyPrefix;
    this.#scanCount = options.scanCount ?? 1_000;
    this.#op = Object.fromEntries(OPS.map((op) => [op, connection.op(op)])) as Record<Op, RedisOp>;
    this.bus = new RedisInvalidationBus(connection, options.channel ?? 'mentora:cache:invalidate');
  }

  #key(key: string): string {
    return this.#prefix === '' ? key : this.#prefix + key;
  }

  /** EVALSHA, falling back to EVAL when the server lost its script cache (SCRIPT FLUSH, restart). */
  #script(op: Op, s: LuaScript, keys: string[], args: (string | number | Buffer)[]): Promise<unknown> {
    const c = this.connection.client as unknown as RedisCommands;
    return this.#op[op].run(async () => {
      try {
        return await c.evalsha(s.sha, s.numberOfKeys, ...keys, ...args);
      } catch (err) {
        if (!isNoScript(err)) throw err;
        return c.eval(s.source, s.numberOfKeys, ...keys, ...args);
      }
    });
  }

  ready(): Promise<void> {
    return this.connection.ready();
  }

  /** The hot path: one GET with a binary reply, built and tracked by the connection. */
  get(key: string): Promise<CachePayload | null> {
    return this.#op.get.callBuffer<Buffer | null>('get', [this.#key(key)]);
  }

  getVersioned(key: string, versionKey: string): Promise<[CachePayload | null, string | null]> {
    return this.#op.getVersioned
      .callBuffer<[Buffer | null, Buffer | null]>('mget', [this.#key(key), this.#key(versionKey)])
      .then(versioned);
  }

  async set(key: string, value: CachePayload, ttlMs: number): Promise<void> {
    const k = this.#key(key);
    const v = asBuffer(value);
    await this.#op.set.call('set', ttlMs > 0 ? [k, v, 'PX', ttlMs] : [k, v]);
  }

  async setVersioned(
    key: string,
    versionKey: string,
    value: CachePayload,
    ttlMs: number,
    expectedVersion: string | null,
  ): Promise<boolean> {
    const keys = [this.#key(key), this.#key(versionKey)];
    const args = [asBuffer(value), ttlMs, expectedVersion ?? ''];
    return (await this.#script('setVersioned', SET_VERSIONED, keys, args)) === 1;
  }

  async bumpVersion(versionKey: string): Promise<string> {
    return String(await this.#op.bumpVersion.call<number>('incr', [this.#key(versionKey)]));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#op.delete.call<number>('unlink', [this.#key(key)])) > 0;
  }

  async increment(key: string, windowMs: number): Promise<number> {
    return Number(await this.#script('increment', INCREMENT, [this.#key(key)], [windowMs]));
  }

  pttl(key: string): Promise<number> {
    return this.#op.pttl.call<number>('pttl', [this.#key(key)]);
  }

  /** SCAN every master (never KEYS) and UNLINK each batch; every command guarded on its own. */
  async deletePattern(pattern: string): Promise<number> {
    const glob = escapeGlob(this.#prefix) + pattern;
    const counts = await Promise.all(
      this.connection.masters().map((node) => this.#scanAndUnlink(node, glob)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async #scanAndUnlink(node: RedisCommands, glob: string): Promise<number> {
    const op = this.#op.deletePattern;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await op.run(() => node.scan(cursor, 'MATCH', glob, 'COUNT', this.#scanCount));
      cursor = next;
      if (keys.length === 0) continue;
      if (this.connection.kind === 'redis-cluster') {
        // One UNLINK per key in one pipeline: keys of one node span many slots, and a multi-key
        // UNLINK across slots is a CROSSSLOT error.
        const results =
          (await op.run(() => {
            const pipe = node.pipeline();
            for (const k of keys) pipe.unlink(k);
            return pipe.exec();
          })) ?? [];
        for (const [err, n] of results) {
          if (err) throw op.failure(err);
          deleted += Number(n);
        }
      } else {
        deleted += await op.run(() => node.unlink(...keys));
      }
    } while (cursor !== '0');
    return deleted;
  }

  /** Probes every master, through the breaker's accounting but not its gate: it is how we see recovery. */
  async ping(): Promise<void> {
    const health = await this.connection.health();
    if (!health.healthy) {
      throw new ServiceUnavailableError(`Redis health probe failed: ${health.error ?? 'unknown'}`, {
        code: RedisErrorCode.UNAVAILABLE,
        service: this.kind,
        context: { op: 'ping', breaker: health.breaker },
      });
    }
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.bus.close();
      if (this.#owned) await this.connection.close();
    })();
    return this.#closed;
  }
}

/** ioredis sends a Buffer as bytes and anything else as its string form: a view, never a copy. */
function asBuffer(value: CachePayload): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function versioned([value, version]: [Buffer | null, Buffer | null]): [CachePayload | null, string | null] {
  return [value, version === null ? null : version.toString()];
}

/**
 * A cache store on Redis or Redis Cluster, on a `@mentora/redis` connection: a shared one
 * (`{ connection }`, never closed here) or one it creates from `{ url }` / `{ nodes }` / `{ client }` and
 * closes on close() (which closes only a client that connection created).
 */
export function createRedisStore(options: RedisStoreOptions): RedisCacheStore {
  return new RedisStore(options);
}
