import type { Secret } from '@mentora/config';
import type { Logger } from '@mentora/monitoring';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { BreakerOptions } from './breaker.ts';

export type RedisClient = Redis | Cluster;

/** A seed node of a Redis Cluster. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Where the connection comes from: a URL (a `Secret` from `@mentora/config` is fine: `config.cache.redisUrl`),
 * the seed nodes of a Cluster, or a client you created and will close yourself.
 */
export type RedisSource =
  | {
      /** `redis://` or `rediss://`. `undefined` (an unset `REDIS_URL`) is a ConfigError, not localhost. */
      url: string | Secret<string> | undefined;
      nodes?: never;
      client?: never;
    }
  | { nodes: readonly RedisNode[]; url?: never; client?: never }
  | {
      /** Never closed by the connection, never reconfigured: whoever created it closes it. */
      client: RedisClient;
      url?: never;
      nodes?: never;
    };

export interface RedisSettings {
  /** Password for `url` / `nodes` (a `Secret` is fine); a password in the URL works too. */
  password?: string | Secret<string>;
  /**
   * Prefix of every key and channel the packages on this connection write (e.g. `config.cache.keyPrefix`),
   * so several apps can share one Redis. No braces (they would move keys out of their hash slots). Default ''.
   */
  keyPrefix?: string;
  /** Default `createDefaultLogger('@mentora/redis')`: warnings and errors on stderr. */
  logger?: Logger;
  /**
   * Upper bound on any one command: a command without a reply fails after 1× to 1.25× this, through one
   * shared watchdog timer (not a timer per command). Default 1,000 ms.
   */
  commandTimeoutMs?: number;
  /**
   * How long commands wait for the FIRST connection before failing (a process that just started must not
   * treat a Redis it is still connecting to as down), and the TCP connect timeout. Default 2,000 ms.
   */
  connectTimeoutMs?: number;
  breaker?: BreakerOptions;
  /** Merged over the defaults for a client the connection creates (ignored with `client`). */
  redisOptions?: RedisOptions;
  /** Merged over the Cluster defaults (with `nodes`). */
  clusterOptions?: ClusterOptions;
}

export type RedisConnectionOptions = RedisSource & RedisSettings;
