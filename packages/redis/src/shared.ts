import { InvalidArgumentError } from '@mentora/errors';
import { createRedisConnection, type RedisConnection } from './connection.ts';
import type { RedisConnectionOptions } from './options.ts';

/** A connection made elsewhere and shared: the store that takes it never closes it. */
export interface SharedConnection {
  connection: RedisConnection;
  url?: never;
  nodes?: never;
  client?: never;
}

/** What a Redis-backed store accepts: a shared connection, or what it takes to create one of its own. */
export type RedisConnectionInput = SharedConnection | RedisConnectionOptions;

/**
 * The connection a store runs on: the one it was given (`owned: false`), or one it creates from
 * `url` / `nodes` / `client` (`owned: true`: the store closes it, which closes only what it created).
 */
export function connectionFor(input: RedisConnectionInput): { connection: RedisConnection; owned: boolean } {
  if (typeof input === 'object' && input !== null && 'connection' in input) {
    const connection = input.connection;
    if (typeof connection?.op !== 'function' || typeof connection.ready !== 'function') {
      throw new InvalidArgumentError('connection must come from createRedisConnection', {
        argument: 'connection',
      });
    }
    return { connection, owned: false };
  }
  return { connection: createRedisConnection(input), owned: true };
}
