import { InvalidArgumentError } from '@mentora/errors';
import type { LogFields, MentoraLogger } from './logger/types.js';

/** Named stopwatches: `start(label)`, then `end(label)` returns the milliseconds since. */
export class PerformanceTimer {
  readonly #marks = new Map<string, number>();

  start(label: string): void {
    this.#marks.set(label, performance.now());
  }

  /** Milliseconds since `start(label)`; the mark is removed. Throws when `label` was never started. */
  end(label: string): number {
    const started = this.#marks.get(label);
    if (started === undefined) {
      throw new InvalidArgumentError(`PerformanceTimer.end: no start mark for "${label}"`, {
        argument: 'label',
      });
    }
    this.#marks.delete(label);
    return performance.now() - started;
  }

  /** Runs `fn` between `start(label)` and `end(label)`; the mark is removed whether it resolves or throws. */
  async measure<T>(label: string, fn: () => Promise<T> | T): Promise<{ result: T; duration: number }> {
    this.start(label);
    try {
      const result = await fn();
      return { result, duration: this.end(label) };
    } catch (err) {
      this.#marks.delete(label);
      throw err;
    }
  }
}

/**
 * Runs `fn`, and returns its result with the milliseconds it took. With a logger, the timing is logged
 * through `logPerformance` (warn over 5 s, info over 1 s, debug otherwise), failures included.
 */
export async function measureAsync<T>(
  operation: string,
  fn: () => Promise<T> | T,
  fields?: LogFields,
  logger?: Pick<MentoraLogger, 'logPerformance'>,
): Promise<{ result: T; duration: number }> {
  const started = performance.now();
  try {
    const result = await fn();
    const duration = performance.now() - started;
    logger?.logPerformance(operation, duration, fields);
    return { result, duration };
  } catch (err) {
    logger?.logPerformance(operation, performance.now() - started, { ...fields, failed: true });
    throw err;
  }
}
