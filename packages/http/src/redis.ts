// '@mentora/http/redis': the replay store shared by every process, on a @mentora/redis connection
// (@mentora/redis and ioredis are optional peer dependencies, needed only here).
import { InvalidArgumentError } from '@mentora/errors';
import type { RedisConnection } from '@mentora/redis';
import type { ReplayStore } from './webhook.js';

export interface RedisReplayStoreOptions {
  /** The shared connection (the one the cache and the rate limiter use). Not closed by the store. */
  connection: RedisConnection;
  /** Key prefix after the connection's own (default `webhook:seen:`). */
  prefix?: string;
}

/**
 * A ReplayStore on Redis: `SET key 1 PX ttl NX` — atomic, so two processes receiving the same delivery
 * at once cannot both accept it. Commands go through the connection's guard (breaker, deadline); a Redis
 * failure rejects with ServiceUnavailableError, so the webhook answers 503 and the sender retries later,
 * rather than a replay getting through.
 */
export function createRedisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  const connection = options?.connection;
  if (!connection || typeof connection.op !== 'function') {
    throw new InvalidArgumentError('createRedisReplayStore: connection (@mentora/redis) is required', {
      argument: 'connection',
    });
  }
  const prefix = `${connection.keyPrefix}${options.prefix ?? 'webhook:seen:'}`;
  const op = connection.op('webhook-replay');
  return {
    async setIfAbsent(key, ttlMs) {
      const reply = await op.call('set', [`${prefix}${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX']);
      return reply === 'OK';
    },
    async delete(key) {
      await op.call('del', [`${prefix}${key}`]);
    },
  };
}
