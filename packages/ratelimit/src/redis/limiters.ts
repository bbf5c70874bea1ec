import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { SLIDING_WINDOW_LUA } from '../sliding.ts';
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
  _isRedisReady(rlKey: string, isReadonly: boolean): boolean;
}

const base = RateLimiterRedis.prototype as unknown as RedisLimiterInternals;

export interface RedisLimiterOptions {
  // biome-ignore lint/suspicious/noExplicitAny: an ioredis Redis or Cluster (rate-limiter-flexible types it any).
  storeClient: any;
  keyPrefix: string;
  points: number;
  duration: number;
  insuranceLimiter?: InsuranceLimiter | undefined;
  health: StoreHealth;
}

function rlfOptions(options: RedisLimiterOptions) {
  return {
    storeClient: options.storeClient,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.duration,
    // ioredis, not node-redis (rate-limiter-flexible guesses from the constructor name otherwise).
    useRedisPackage: false,
    // While ioredis reconnects, fail fast to the insurance limiter instead of queueing commands.
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

  constructor(options: RedisLimiterOptions) {
    super(rlfOptions(options));
    this.#health = options.health;
  }

  _handleError(...args: Parameters<RedisLimiterInternals['_handleError']>): void {
    if (!(args[0] instanceof RateLimiterRes)) this.#health.onStoreError(args[0]);
    base._handleError.apply(this, args);
  }

  _afterConsume(...args: unknown[]): void {
    if (this.#health.degraded) this.#health.onStoreRecovered();
    base._afterConsume.apply(this, args);
  }
}

export interface SlidingWindowRedisOptions extends RedisLimiterOptions {
  /** Clock (epoch ms) passed to the script; default: the Redis server's TIME, shared by all processes. */
  clock?: (() => number) | undefined;
}

const COMMAND = 'mentoraSlidingWindow';

/**
 * Sliding window (see ../sliding.ts) as a rate-limiter-flexible store limiter: our Lua script replaces its
 * INCR script, and everything else — insurance limiter, readiness check, error handling — is its own.
 * The script is registered with ioredis `defineCommand`, which sends EVALSHA and falls back to EVAL on
 * NOSCRIPT, so it survives SCRIPT FLUSH and a restarted (empty) server. One key per identity, so it is
 * Redis Cluster safe without hash tags.
 */
export class SlidingWindowRedis extends RateLimiterRedis {
  readonly #health: StoreHealth;
  readonly #clock: (() => number) | undefined;

  constructor(options: SlidingWindowRedisOptions) {
    super(rlfOptions(options));
    this.#health = options.health;
    this.#clock = options.clock;
    const client = (this as unknown as { client: { defineCommand(n: string, d: object): void } }).client;
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  }

  async _upsert(rlKey: string, points: number, _msDuration: number, forceExpire = false): Promise<unknown> {
    if (forceExpire) throw new Error('SlidingWindowRedis supports consume() and delete() only');
    if (!base._isRedisReady.call(this, rlKey, false)) throw new Error('Redis connection is not ready');
    const client = (this as unknown as { client: Record<string, (...a: unknown[]) => Promise<unknown>> })
      .client;
    const now = this.#clock === undefined ? '' : String(this.#clock());
    return client[COMMAND]!(rlKey, points, this.duration * 1000, this.points, now);
  }

  _getRateLimiterRes(_rlKey: string, _changedPoints: number, result: unknown): RateLimiterRes {
    const [consumed, msBeforeNext, msBeforeAny] = result as [number, number, number, number];
    return toRateLimiterRes(this.points, Number(consumed), Number(msBeforeNext), Number(msBeforeAny));
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
}
