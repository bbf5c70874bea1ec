import { isSecret } from '@mentora/config';
import { ConfigError, InvalidArgumentError } from '@mentora/errors';
import type { RedisConnectionOptions, RedisNode } from './options.ts';

/** What the options resolve to before a client exists. */
export type ResolvedSource =
  | { kind: 'url'; url: string; password: string | undefined }
  | { kind: 'nodes'; nodes: RedisNode[]; password: string | undefined }
  | { kind: 'client' };

function reveal(value: unknown): unknown {
  return isSecret(value) ? value.reveal() : value;
}

function configError(what: string, message: string): ConfigError {
  // Never the value: a Redis URL may hold a password.
  return new ConfigError(`Redis connection: ${what} ${message}`, {
    issues: [{ variable: what, message }],
  });
}

/**
 * The URL, nodes or client of `options`, checked. A URL or node list comes from configuration, so an
 * unusable one is a ConfigError at construction: handed to ioredis, a Secret object or `undefined` is read
 * as "no options" and silently connects to localhost:6379.
 */
export function resolveSource(options: RedisConnectionOptions): ResolvedSource {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createRedisConnection needs options: { url }, { nodes } or { client }', {
      argument: 'options',
    });
  }
  const given = (['url', 'nodes', 'client'] as const).filter((k) => k in options);
  if (given.length !== 1) {
    throw new InvalidArgumentError(
      `createRedisConnection needs exactly one of url, nodes, client (got ${given.length === 0 ? 'none' : given.join(', ')})`,
      { argument: 'options' },
    );
  }
  const password = reveal(options.password);
  if (password !== undefined && (typeof password !== 'string' || password === '')) {
    throw configError('password', 'must be a non-empty string or Secret');
  }
  if ('client' in options && options.client !== undefined) {
    const client = options.client as { isCluster?: unknown; sendCommand?: unknown; options?: unknown };
    if (typeof client?.sendCommand !== 'function' || typeof client.isCluster !== 'boolean') {
      throw new InvalidArgumentError('client must be an ioredis Redis or Cluster', { argument: 'client' });
    }
    return { kind: 'client' };
  }
  if ('nodes' in options) return { kind: 'nodes', nodes: checkNodes(options.nodes), password };
  const url = reveal(options.url);
  if (url === undefined || url === '') throw configError('url', 'is not set (is REDIS_URL set?)');
  if (typeof url !== 'string') throw configError('url', 'must be a string or a Secret holding one');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError('url', 'is not a URL (expected redis:// or rediss://)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw configError('url', `must use redis:// or rediss://, not ${parsed.protocol}//`);
  }
  if (parsed.hostname === '') throw configError('url', 'has no host');
  return { kind: 'url', url, password };
}

function checkNodes(nodes: unknown): RedisNode[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw configError('nodes', 'must be a non-empty list of { host, port }');
  }
  return nodes.map((n: unknown, i) => {
    const { host, port } = (n ?? {}) as { host?: unknown; port?: unknown };
    if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || (port as number) < 1) {
      throw configError(`nodes[${i}]`, 'must be { host: string, port: 1..65535 }');
    }
    if ((port as number) > 65_535)
      throw configError(`nodes[${i}]`, 'must be { host: string, port: 1..65535 }');
    return { host, port: port as number };
  });
}

/** A positive number of milliseconds (server code passes these: a bad one is a programmer mistake). */
export function positiveMs(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${argument} must be a positive number of ms, got ${String(value)}`, {
      argument,
    });
  }
  return value;
}

/**
 * Key prefixes join keys verbatim; a brace would change which part of a key Redis Cluster hashes. The
 * prefix usually comes from configuration (`config.cache.keyPrefix`), hence a ConfigError.
 */
export function checkKeyPrefix(keyPrefix: unknown): string {
  if (keyPrefix === undefined) return '';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw configError('keyPrefix', 'must be a string without { or }');
  }
  return keyPrefix;
}
