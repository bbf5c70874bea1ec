import { describe, expect, it } from 'vitest';
import { DeadlineWatch } from '../../src/deadline.ts';
import { CommandTimeoutError } from '../../src/timeout.ts';

describe('DeadlineWatch', () => {
  it('passes values and errors through, mapped', async () => {
    const watch = new DeadlineWatch(10_000);
    let ok = 0;
    const wrap = (err: unknown) => new Error(`wrapped: ${(err as Error).message}`);
    expect(await watch.watch(Promise.resolve('v'), () => ok++, wrap)).toBe('v');
    await expect(watch.watch(Promise.reject(new Error('boom')), () => ok++, wrap)).rejects.toThrow(
      'wrapped: boom',
    );
    expect(ok).toBe(1);
    watch.stop();
  });

  it('rejects commands that never answer, oldest first, leaving answered ones alone', async () => {
    const watch = new DeadlineWatch(40);
    const never = new Promise<string>(() => {});
    const seen: unknown[] = [];
    const hung = watch.watch(
      never,
      () => {},
      (err) => {
        seen.push(err);
        return err;
      },
    );
    const answered = watch.watch(
      Promise.resolve('fast'),
      () => {},
      (err) => err,
    );
    expect(await answered).toBe('fast');
    const err = await hung.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandTimeoutError);
    expect(seen).toHaveLength(1);
    // Many in flight at once: each settles exactly once.
    const many = Array.from({ length: 100 }, (_, i) =>
      watch.watch(
        i % 2 ? Promise.resolve(i) : new Promise<number>(() => {}),
        () => {},
        (e) => e,
      ),
    );
    const outcomes = await Promise.allSettled(many);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(50);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(50);
    watch.stop();
  });
});
