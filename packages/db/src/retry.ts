/** Retry policy for transient failures: a few attempts, exponential backoff with full jitter. */
export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  attempts?: number;
  /** Backoff base. Default 100 ms. */
  baseDelayMs?: number;
  /** Backoff cap. Default 2 000 ms. */
  maxDelayMs?: number;
  /** Source of randomness for the jitter, in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface ResolvedRetry {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  const attempts = options?.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError('retry.attempts must be an integer >= 1');
  return {
    attempts,
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 100),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 2_000),
    random: options?.random ?? Math.random,
  };
}

/**
 * "Full jitter" (AWS architecture blog): sleep a uniform random time in [0, min(cap, base * 2^n)).
 * Spreads the retries of many clients hitting the same outage instead of synchronising them.
 * `retryNumber` counts from 1 (the wait before the second attempt).
 */
export function backoffDelay(retry: ResolvedRetry, retryNumber: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(retry.random() * ceiling);
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
