// Unusable connection settings fail at construction with a typed error, before any client exists.
import { Secret } from '@mentora/config';
import { ConfigError, InvalidArgumentError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisConnectionOptions } from '../../src/index.ts';

const silent = { error() {}, warn() {}, info() {}, debug() {}, child: () => silent };

function errorOf(options: unknown): unknown {
  try {
    createRedisConnection({ logger: silent, ...(options as RedisConnectionOptions) });
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('createRedisConnection options', () => {
  it.each([
    ['an unset REDIS_URL (undefined)', { url: undefined }],
    ['an empty URL', { url: '' }],
    ['a Secret holding nothing', { url: new Secret('') }],
    ['not a URL', { url: 'localhost' }],
    ['another scheme', { url: 'http://127.0.0.1:6379' }],
    ['a Secret holding another scheme', { url: new Secret('postgres://u:p@db/x') }],
    ['an empty node list', { nodes: [] }],
    ['a node without a port', { nodes: [{ host: '127.0.0.1' }] }],
    ['a node with port 70000', { nodes: [{ host: '127.0.0.1', port: 70_000 }] }],
    ['a key prefix with a brace', { url: 'redis://127.0.0.1:6379', keyPrefix: 'app{1}:' }],
  ])('%s is a ConfigError that never shows the value', (_label, options) => {
    const err = errorOf(options);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).not.toContain('u:p@');
  });

  it.each([
    ['no source at all', {}],
    ['two sources', { url: 'redis://127.0.0.1:6379', nodes: [{ host: '127.0.0.1', port: 7000 }] }],
    ['a client that is not an ioredis client', { client: { get() {} } }],
    ['a negative command timeout', { url: 'redis://127.0.0.1:6379', commandTimeoutMs: -1 }],
    ['a connect timeout of NaN', { url: 'redis://127.0.0.1:6379', connectTimeoutMs: Number.NaN }],
  ])('%s is an InvalidArgumentError (a programmer mistake)', (_label, options) => {
    expect(errorOf(options)).toBeInstanceOf(InvalidArgumentError);
  });
});
