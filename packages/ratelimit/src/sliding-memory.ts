import { RateLimiterCompatibleAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { type SlidingState, slidingWindowDecide } from './sliding.ts';

/** RateLimiterRes plus the wait before *any* request fits (sliding windows don't count denials). */
export type SlidingRes = RateLimiterRes & { msBeforeAny?: number };

export function toRateLimiterRes(
  limit: number,
  consumed: number,
  msBeforeNext: number,
  msBeforeAny: number,
): SlidingRes {
  const res: SlidingRes = new RateLimiterRes(Math.max(limit - consumed, 0), msBeforeNext, consumed, false);
  res.msBeforeAny = msBeforeAny;
  return res;
}

interface Entry extends SlidingState {
  expiresAt: number;
}

export interface SlidingWindowMemoryOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  clock?: () => number;
}

/**
 * In-process sliding window (see sliding.ts) with rate-limiter-flexible's limiter interface, so it serves
 * both as the memory store's sliding limiter and as the `insuranceLimiter` of the Redis one.
 * Only consume/get/delete are meaningful for a sliding window; the rest are refused loudly.
 */
export class SlidingWindowMemory extends RateLimiterCompatibleAbstract {
  readonly points: number;
  readonly duration: number;
  // Own fields (define semantics) shadow the base class's throwing accessors; rate-limiter-flexible copies
  // blockDuration/execEvenly onto an insurance limiter, and a sliding window ignores both.
  override readonly keyPrefix: string;
  override blockDuration = 0;
  override execEvenly = false;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  // Expired entries are swept when the map doubles since the last sweep: amortised O(1), no timers.
  #sweepAt = 1024;

  constructor(options: SlidingWindowMemoryOptions) {
    super();
    this.points = options.points;
    this.duration = options.duration;
    this.keyPrefix = options.keyPrefix;
    this.#clock = options.clock ?? Date.now;
  }

  #key(key: string | number): string {
    return this.keyPrefix.length > 0 ? `${this.keyPrefix}:${key}` : String(key);
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    this.#sweepAt = Math.max(1024, this.#entries.size * 2);
  }

  override consume(key: string | number, pointsToConsume = 1): Promise<RateLimiterRes> {
    const rlKey = this.#key(key);
    const now = this.#clock();
    const D = this.duration * 1000;
    const found = this.#entries.get(rlKey);
    const state = found !== undefined && found.expiresAt > now ? found : undefined;
    const d = slidingWindowDecide(state, now, D, this.points, pointsToConsume);
    const res = toRateLimiterRes(this.points, d.consumed, d.msBeforeNext, d.msBeforeAny);
    if (!d.allowed || d.next === undefined) return Promise.reject(res);
    const expiresAt = now + d.ttlMs;
    if (found !== undefined) {
      found.w = d.next.w;
      found.c = d.next.c;
      found.p = d.next.p;
      found.expiresAt = expiresAt;
    } else {
      this.#entries.set(rlKey, { ...d.next, expiresAt });
      if (this.#entries.size > this.#sweepAt) this.#sweep(now);
    }
    return Promise.resolve(res);
  }

  override get(key: string | number): Promise<RateLimiterRes | null> {
    const now = this.#clock();
    const entry = this.#entries.get(this.#key(key));
    if (entry === undefined || entry.expiresAt <= now) return Promise.resolve(null);
    const D = this.duration * 1000;
    const w = Math.floor(now / D);
    const e = now - w * D;
    const c = entry.w === w ? entry.c : 0;
    const p = entry.w === w ? entry.p : entry.w === w - 1 ? entry.c : 0;
    const consumed = Math.ceil((c * D + p * (D - e)) / D);
    return Promise.resolve(toRateLimiterRes(this.points, consumed, D - e, 0));
  }

  override delete(key: string | number): Promise<boolean> {
    return Promise.resolve(this.#entries.delete(this.#key(key)));
  }

  override penalty(): Promise<RateLimiterRes> {
    return Promise.reject(new Error('SlidingWindowMemory does not support penalty()'));
  }
  override reward(): Promise<RateLimiterRes> {
    return Promise.reject(new Error('SlidingWindowMemory does not support reward()'));
  }
  override set(): Promise<RateLimiterRes> {
    return Promise.reject(new Error('SlidingWindowMemory does not support set()'));
  }
  override block(): Promise<RateLimiterRes> {
    return Promise.reject(new Error('SlidingWindowMemory does not support block()'));
  }
}
