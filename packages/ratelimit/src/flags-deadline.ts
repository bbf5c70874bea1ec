/**
 * Bounds `FeatureFlags.getUserPlan` calls (not Redis commands: those are bounded by the Redis connection's
 * watchdog) with ONE shared timer instead of a setTimeout per call: a check that resolves the user's plan
 * through FeatureFlags is on the hot path, and a timer per call cost ~6% of a check.
 * A pending await is failed between `timeoutMs` and 1.25 × `timeoutMs` after it started. The timer stops by
 * itself once nothing is pending, and is unref'd, so there is nothing to close.
 */
export interface DeadlineTracker {
  within<T>(work: Promise<T>, onTimeout: () => Error): Promise<T>;
}

interface Pending {
  deadline: number;
  fail: () => void;
}

export function createDeadlineTracker(timeoutMs: number, now: () => number = Date.now): DeadlineTracker {
  const pending = new Set<Pending>();
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const sweep = () => {
    if (pending.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
      return;
    }
    const t = now();
    for (const p of pending) if (p.deadline <= t) p.fail();
  };

  return {
    within<T>(work: Promise<T>, onTimeout: () => Error): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const entry: Pending = {
          deadline: now() + timeoutMs,
          fail: () => {
            pending.delete(entry);
            reject(onTimeout());
          },
        };
        pending.add(entry);
        if (sweeper === undefined) {
          sweeper = setInterval(sweep, Math.max(1, Math.ceil(timeoutMs / 4)));
          // Never keeps a process alive on its own.
          sweeper.unref?.();
        }
        work.then(
          (value) => {
            pending.delete(entry);
            resolve(value);
          },
          (error: unknown) => {
            pending.delete(entry);
            reject(error);
          },
        );
      });
    },
  };
}
