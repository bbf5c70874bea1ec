import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient, RedisSettings } from './options.ts';
import type { ResolvedSource } from './validate.ts';

/**
 * The commands the packages send, typed once: `Redis | Cluster` unions of ioredis's overloads are not
 * callable in TypeScript, and both classes answer these the same way.
 */
export interface RedisCommands {
  readonly status: string;
  readonly isCluster: boolean;
  get(key: string): Promise<string | null>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string | Buffer, ...args: (string | number)[]): Promise<string | null>;
  incr(key: string): Promise<number>;
  unlink(...keys: string[]): Promise<number>;
  pttl(key: string): Promise<number>;
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown>;
  eval(source: string, numberOfKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown>;
  ping(): Promise<string>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]>;
  pipeline(): { unlink(key: string): unknown; exec(): Promise<[Error | null, unknown][] | null> };
  quit(): Promise<unknown>;
  connect(): Promise<void>;
  disconnect(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export function commands(client: RedisClient): RedisCommands {
  return client as unknown as RedisCommands;
}

/** Master connections (a Cluster's masters, or the one server): where SCAN and health probes go. */
export function masters(client: RedisClient): RedisCommands[] {
  if (!client.isCluster) return [commands(client)];
  const nodes = (client as Cluster).nodes('master').map((n) => commands(n));
  return nodes.length > 0 ? nodes : [commands(client)];
}

/** Reconnect backoff: 50 ms doubling to 2 s, with jitter so a fleet restarted together spreads out. */
export function backoff(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 6), 2_000) + Math.floor(Math.random() * 50);
}

/**
 * The one set of client defaults. Fail fast instead of queueing while disconnected (an unbounded offline
 * queue turns an outage into memory growth and minutes-late commands, replayed over newer data), one retry
 * per command, capped jittered reconnects. No ioredis `commandTimeout`: the connection's watchdog bounds
 * every command with one shared timer instead of a timer per command.
 */
export function createClient(
  source: Exclude<ResolvedSource, { kind: 'client' }>,
  settings: RedisSettings,
  connectTimeoutMs: number,
): RedisClient {
  const nodeDefaults: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    retryStrategy: backoff,
    ...(source.password === undefined ? {} : { password: source.password }),
  };
  if (source.kind === 'nodes') {
    const clusterOptions: ClusterOptions = settings.clusterOptions ?? {};
    return new Cluster(source.nodes, {
      enableOfflineQueue: false,
      clusterRetryStrategy: backoff,
      retryDelayOnClusterDown: 100,
      maxRedirections: 4,
      ...clusterOptions,
      redisOptions: { ...nodeDefaults, ...clusterOptions.redisOptions, ...settings.redisOptions },
    });
  }
  return new Redis(source.url, { ...nodeDefaults, ...settings.redisOptions });
}
