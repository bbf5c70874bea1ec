// @mentora/redis: one connection layer for every package that talks to Redis (ioredis is a peer
// dependency): one set of client defaults, one command deadline watchdog, one circuit breaker, a bounded
// ready() and close(). Stores of @mentora/cache and @mentora/ratelimit run on it, and can share one.
export type { BreakerOptions, BreakerState } from './breaker.ts';
export type { RedisCommands } from './client.ts';
export { createRedisConnection, type RedisConnection, type RedisHealth } from './connection.ts';
export { isAvailabilityFailure, RedisErrorCode } from './failure.ts';
export type { RedisArg, RedisOp } from './op.ts';
export type {
  RedisClient,
  RedisConnectionOptions,
  RedisNode,
  RedisSettings,
  RedisSource,
} from './options.ts';
export { connectionFor, type RedisConnectionInput, type SharedConnection } from './shared.ts';
export { CommandTimeoutError, withTimeout } from './timeout.ts';
