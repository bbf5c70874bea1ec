import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * The commands the store sends, typed once: `Redis | Cluster` unions of ioredis's overloads are not
 * callable in TypeScript, and both classes answer these the same way.
 */
export interface Commands {
  readonly status: string;
  readonly isCluster: boolean;
  get(key: string): Promise<string | null>;
  mget(...keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ...args: (string | number)[]): Promise<string | null>;
  incr(key: string): Promise<number>;
  unlink(...keys: string[]): Promise<number>;
  pttl(key: string): Promise<number>;
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(source: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  ping(): Promise<string>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]>;
  pipeline(): { unlink(key: string): unknown; exec(): Promise<[Error | null, unknown][] | null> };
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export function commands(client: RedisClient): Commands {
  return client as unknown as Commands;
}

/** Master connections to SCAN (a Cluster's masters, or the one server). */
export function masters(client: RedisClient): Commands[] {
  return client.isCluster ? (client as Cluster).nodes('master').map((n) => commands(n)) : [commands(client)];
}

/** Reconnect backoff for clients we create: 50 ms doubling to 2 s, with jitter so fleets spread out. */
export function backoff(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 6), 2_000) + Math.floor(Math.random() * 50);
}
