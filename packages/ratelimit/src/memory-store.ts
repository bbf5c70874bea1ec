import { RateLimiterMemory } from 'rate-limiter-flexible';
import { SlidingWindowMemory } from './sliding-memory.ts';
import type { RateLimitAlgorithm, RateLimitStore, StoreLimiter } from './types.ts';

export interface MemoryStoreOptions {
  /**
   * Clock of the sliding windows (ms since epoch; default Date.now). For deterministic tests and
   * simulations; fixed windows use rate-limiter-flexible's RateLimiterMemory, which reads Date.now.
   */
  clock?: () => number;
}

export interface MemoryLimiterSpec {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  algorithm: RateLimitAlgorithm;
  clock?: (() => number) | undefined;
}

/** One in-process limiter: rate-limiter-flexible's RateLimiterMemory (fixed) or our sliding window. */
export function createMemoryLimiter(spec: MemoryLimiterSpec): StoreLimiter & object {
  const base = { keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.durationSeconds };
  return spec.algorithm === 'sliding-window'
    ? new SlidingWindowMemory({ ...base, clock: spec.clock })
    : new RateLimiterMemory(base);
}

/**
 * Counters in this process's memory: right for tests, development and a single instance; NOT shared
 * across processes (each instance would allow the full limit), which createRateLimiter logs.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): RateLimitStore {
  return {
    name: 'memory',
    sharedAcrossProcesses: false,
    createLimiter: (spec) => createMemoryLimiter({ ...spec, clock: options.clock }),
    close: async () => {},
  };
}
