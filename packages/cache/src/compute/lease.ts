import { randomUUID } from 'node:crypto';
import type { CacheContext } from '../context.js';
import type { Flight } from '../flights.js';
import { lockKeyOf } from '../layout.js';
import { MISS, type Reads } from '../reads.js';
import type { CacheLocks } from '../types.js';

export interface LeaseSettings {
  ttlMs: number;
  waitMs: number;
  maxPollMs: number;
}

/** What waiting for the lease ended with: another process's value, or this one's turn to compute. */
export type LeaseOutcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'compute'; release: (() => Promise<void>) | undefined };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes the cross-process lease of `f`'s key, or waits (bounded by `waitMs`) for the process that holds it:
 * for its value, or for it to let go without one, then takes the lease over. After the wait, computes
 * anyway. A store failure means computing without the lease, and without writing back (`f.storeUp`).
 */
export async function acquireOrWait(
  cx: CacheContext,
  reads: Reads,
  locks: CacheLocks,
  settings: LeaseSettings,
  f: Flight,
): Promise<LeaseOutcome> {
  const lockKey = lockKeyOf(f.storeKey);
  const token = randomUUID();
  let held = false;
  const release = async () => {
    try {
      await locks.release(lockKey, token);
    } catch (err) {
      cx.failed('lease', err); // it expires on its own after ttlMs
    }
  };
  try {
    held = await locks.acquire(lockKey, token, settings.ttlMs);
    const deadline = Date.now() + settings.waitMs;
    let pause = 2;
    for (;;) {
      if (!held) {
        // Another process computes: wait (bounded), then look for its value or take the lease over.
        if (Date.now() >= deadline) {
          cx.logger.debug('Lease wait ran out; computing without the lease', {
            namespace: cx.namespace,
            key: f.key,
          });
          return { kind: 'compute', release: undefined };
        }
        await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
        pause = Math.min(pause * 2, settings.maxPollMs);
      }
      // Look again even right after acquiring: a holder stores its value *before* letting go, so a
      // lease we just got may follow a compute that finished after our first read missed.
      let payload: Awaited<ReturnType<typeof cx.store.get>>;
      if (f.tag === undefined) {
        payload = await cx.store.get(f.storeKey);
      } else {
        const scoped = await reads.readScoped(f.key, f.tag);
        f.version = scoped.version;
        payload = scoped.payload;
      }
      if (payload !== null) {
        // Already counted as a miss: this call did wait for a compute.
        const value = reads.decodeHit(f.key, payload, f.tag, f.epoch, false);
        if (value !== MISS) {
          if (held) await release();
          return { kind: 'value', value };
        }
      }
      if (held) return { kind: 'compute', release };
      held = await locks.acquire(lockKey, token, settings.ttlMs);
    }
  } catch (err) {
    f.storeUp = false;
    cx.failed('lease', err);
    return { kind: 'compute', release: held ? release : undefined };
  }
}
