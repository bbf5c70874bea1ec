import type { RedisOp } from '@mentora/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import {
  decodeSlidingReply,
  SLIDING_PACKED_LIMIT_MAX,
  SLIDING_WINDOW_LUA,
  SLIDING_WINDOW_WIDE_LUA,
} from '../sliding-lua.ts';
import { toRateLimiterRes } from '../sliding-memory.ts';
import type { InsuranceLimiter, StoreHealth } from '../types.ts';

/**
 * rate-limiter-flexible 11.4 internals we hook into. They are underscore-"protected" methods of its
 * RateLimiterStoreAbstract/RateLimiterRedis (not in its .d.ts); the version is pinned in the catalog and
 * the Redis contract and fault tests exercise every one of them.
 */
interface RedisLimiterInternals {
  _handleError(
    error: unknown,
    funcName: string,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
    params: unknown[],
  ): void;
  _afterConsume(...args: unknown[]): void;
  _upsert(...args: unknown[]): Promise<unknown>;
}

const base = RateLimiterRedis.prototype as unknown as RedisLimiterInternals;

interface DeletableLimiter {
  readonly insuranceLimiter?: InsuranceLimiter | undefined;
  getKey(key: string | number): string;
  _delete(rlKey: string): Promise<boolean>;
}

/**
 * `resetLimit` must really clear the shared counter. rate-limiter-flexible's own delete() hands a Redis
 * failure to the insurance limiter, whose in-memory delete resolves: the reset would report success while
 * the Redis counter (and so the user's block) stays. Here the insurance copy is cleared too (a later
 * outage must not bring the old count back), and a Redis failure rejects, reported as a store error.
 */
async function deleteShared(
  limiter: DeletableLimiter,
  key: string | number,
  health: StoreHealth,
  op: RedisOp,
) {
  await limiter.insuranceLimiter?.delete(String(key));
  try {
    return await op.run(() => limiter._delete(limiter.getKey(key)));
  } catch (error) {
    health.onStoreError(error);
    throw error;
  }
}

export interface RedisLimiterOptions {
  // biome-ignore lint/suspicious/noExplicitAny: an ioredis Redis or Cluster (rate-limiter-flexible types it any).
  storeClient: any;
  keyPrefix: string;
  points: number;
  duration: number;
  insuranceLimiter?: InsuranceLimiter | undefined;
  health: StoreHealth;
  /**
   * The connection's guard for every command: circuit breaker, a bounded wait for the first connection,
   * the deadline. Its typed rejections reach `_handleError`, so the insurance limiter (or a 503) answers.
   */
  op: RedisOp;
}

function rlfOptions(options: RedisLimiterOptions) {
  return {
    storeClient: options.storeClient,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.duration,
    // ioredis, not node-redis (rate-limiter-flexible guesses from the constructor name otherwise).
    useRedisPackage: false,
    // While ioredis reconnects, fail fast to the insurance limiter instead of queueing commands (the
    // guard already does; this keeps rate-limiter-flexible's own paths from ever queueing either).
    rejectIfRedisNotReady: true,
    ...(options.insuranceLimiter === undefined
      ? {}
      : { insuranceLimiter: options.insuranceLimiter as unknown as RateLimiterRedis }),
  };
}

/**
 * Fixed window: rate-limiter-flexible's own RateLimiterRedis (atomic INCRBY + EXPIRE NX script; later
 * increments never extend the window), plus store-health reporting. Denied requests count, as in
 * rate-limiter-flexible.
 */
export class FixedWindowRedis extends RateLimiterRedis {
  readonly #health: StoreHealth;
  readonly #op: RedisOp;

  constructor(options: RedisLimiterOptions) {
    super(rlfOptions(options));
    this.#health = options.health;
    this.#op = options.op;
  }

  _upsert(...args: unknown[]): Promise<unknown> {
    return this.#op.run(() => base._upsert.apply(this, args));
  }

  _handleError(...args: Parameters<RedisLimiterInternals['_handleError']>): void {
    if (!(args[0] instanceof RateLimiterRes)) this.#health.onStoreError(args[0]);
    base._handleError.apply(this, args);
  }

  _afterConsume(...args: unknown[]): void {
    if (this.#health.degraded) this.#health.onStoreRecovered();
    base._afterConsume.apply(this, args);
  }

  override delete(key: string | number): Promise<boolean> {
    return deleteShared(this as unknown as DeletableLimiter, key, this.#health, this.#op);
  }
}

export interface SlidingWindowRedisOptions extends RedisLimiterOptions {
  /** Clock (epoch ms) passed to the script; default: the Redis server's TIME, shared by all processes. */
  clock?: (() => number) | undefined;
}

const COMMAND = 'mentoraSlidingWindow';
const WIDE_COMMAND = 'mentoraSlidingWindowWide';

/**
 * Sliding window (see ../sliding.ts and ../sliding-lua.ts) as a rate-limiter-flexible store limiter: our Lua
 * script replaces its INCR script, and everything else — insurance limiter, readiness check, error
 * handling — is its own. The scripts are registered with ioredis `defineCommand`, which sends EVALSHA and
 * falls back to EVAL on NOSCRIPT, so they survive SCRIPT FLUSH and a restarted (empty) server. One key per
 * identity, so it is Redis Cluster safe without hash tags.
 *
 * Limits above SLIDING_PACKED_LIMIT_MAX (2^25 − 1) use the wide script (three fields instead of one packed field);
 * their keys get a `:wide` suffix so a limit changed across that bound never reads the other layout.
 */
export class SlidingWindowRedis extends RateLimiterRedis {
  readonly #health: StoreHealth;
  readonly #op: RedisOp;
  readonly #clock: (() => number) | undefined;
  readonly #command: string;
  // Script arguments fixed for this limiter, as the strings ioredis would otherwise build on every call.
  readonly #windowMs: string;
  readonly #limit: string;

  constructor(options: SlidingWindowRedisOptions) {
    const wide = options.points > SLIDING_PACKED_LIMIT_MAX;
    super(rlfOptions(wide ? { ...options, keyPrefix: `${options.keyPrefix}:wide` } : options));
    this.#health = options.health;
    this.#op = options.op;
    this.#clock = options.clock;
    this.#command = wide ? WIDE_COMMAND : COMMAND;
    this.#windowMs = String(options.duration * 1000);
    this.#limit = String(options.points);
    const client = (this as unknown as { client: { defineCommand(n: string, d: object): void } }).client;
    client.defineCommand(this.#command, {
      numberOfKeys: 1,
      lua: wide ? SLIDING_WINDOW_WIDE_LUA : SLIDING_WINDOW_LUA,
    });
  }

  async _upsert(rlKey: string, points: number, _msDuration: number, forceExpire = false): Promise<unknown> {
    if (forceExpire) throw new Error('SlidingWindowRedis supports consume() and delete() only');
    const client = (this as unknown as { client: Record<string, (...a: unknown[]) => Promise<unknown>> })
      .client;
    return this.#op.run(() => {
      const now = this.#clock === undefined ? '' : String(this.#clock());
      return client[this.#command]!(rlKey, points, this.#windowMs, this.#limit, now);
    });
  }

  _getRateLimiterRes(_rlKey: string, _changedPoints: number, result: unknown): RateLimiterRes {
    if (typeof result === 'number') {
      // Every admitted check lands here: decodeSlidingReply's integer case, inline to skip its object.
      const consumed = result % (this.points + 1);
      return toRateLimiterRes(this.points, consumed, (result - consumed) / (this.points + 1), 0);
    }
    const reply = decodeSlidingReply(result, this.points);
    return toRateLimiterRes(this.points, reply.consumed, reply.msBeforeNext, reply.msBeforeAny);
  }

  override get(): Promise<RateLimiterRes | null> {
    return Promise.reject(new Error('SlidingWindowRedis supports consume() and delete() only'));
  }

  _handleError(...args: Parameters<RedisLimiterInternals['_handleError']>): void {
    if (!(args[0] instanceof RateLimiterRes)) this.#health.onStoreError(args[0]);
    base._handleError.apply(this, args);
  }

  _afterConsume(...args: unknown[]): void {
    if (this.#health.degraded) this.#health.onStoreRecovered();
    base._afterConsume.apply(this, args);
  }

  override delete(key: string | number): Promise<boolean> {
    return deleteShared(this as unknown as DeletableLimiter, key, this.#health, this.#op);
  }
}
