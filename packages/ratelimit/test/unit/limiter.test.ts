// Behaviour of the limiter around the store: plan resolution fallbacks, the violation sink, config checks.
import { createStaticFeatureFlags, type FeatureFlags } from '@mentora/config';
import { ConfigError, InvalidArgumentError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, createRateLimiter, type RateLimitViolation } from '../../src/index.ts';
import { fakeClock, until } from '../support/contract.ts';
import { recordingLogger } from '../support/logger.ts';

describe('plan resolution', () => {
  it('falls back to the fallback plan (logged, throttled) when the flags fail or answer nonsense', async () => {
    const { logger, lines } = recordingLogger();
    const broken: FeatureFlags = {
      getUserPlan: async (userId) => {
        if (userId === 'weird') return 'platinum' as 'pro';
        throw new Error('flags database down');
      },
      isEnabled: async () => false,
    };
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags: broken,
      logger,
      fallbackPlan: 'basic',
    });
    for (let i = 0; i < 5; i++) expect((await rl.checkRateLimit('u', 'chat')).limit).toBe(10);
    expect((await rl.checkRateLimit('weird', 'chat')).limit).toBe(10);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.message)).toEqual([
      'feature flags failed to resolve a plan; using the fallback plan',
      'feature flags returned an unknown plan; using the fallback plan',
    ]);
    await rl.close();
  });

  it('falls back to the fallback plan when the flags never answer (the check is bounded)', async () => {
    const { logger, lines } = recordingLogger();
    let asked = 0;
    const hung: FeatureFlags = {
      getUserPlan: () => {
        asked++;
        return new Promise(() => {}); // a provider whose database never answers
      },
      isEnabled: async () => false,
    };
    const rl = createRateLimiter({ store: createMemoryStore(), flags: hung, logger, flagsTimeoutMs: 20 });
    // Without a bound these never settle and the test fails on its own (hang-guard) timeout.
    const results = await Promise.all([rl.checkRateLimit('u', 'chat'), rl.checkRateLimit('v', 'chat')]);
    expect(results.map((r) => [r.allowed, r.limit, r.rule.plan])).toEqual([
      [true, 10, 'basic'],
      [true, 10, 'basic'],
    ]);
    expect(asked).toBe(2);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'feature flags failed to resolve a plan; using the fallback plan',
    ]);
    expect(() => createRateLimiter({ store: createMemoryStore(), flags: hung, flagsTimeoutMs: 0 })).toThrow(
      InvalidArgumentError,
    );
    await rl.close();
  }, 10_000);

  it('says the memory store is not shared across processes', async () => {
    const { logger, lines } = recordingLogger();
    const rl = createRateLimiter({ store: createMemoryStore(), flags: createStaticFeatureFlags(), logger });
    expect(lines.some((l) => l.level === 'info' && l.message.includes('not shared across processes'))).toBe(
      true,
    );
    await rl.close();
  });
});

describe('seed-compatible names', () => {
  it('work destructured from the limiter (no `this`)', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore(), flags: createStaticFeatureFlags() });
    const { checkRateLimit, enforceRateLimit, getLimitConfig, resetLimit } = limiter;
    expect(getLimitConfig('chat', 'basic')).toMatchObject({ limit: 10, window: '1 m' });
    expect((await checkRateLimit('user-123', 'chat')).remaining).toBe(9);
    expect((await enforceRateLimit('user-123', 'videoUpload')).remaining).toBe(4);
    await resetLimit('user-123', 'chat');
    expect((await checkRateLimit('user-123', 'chat')).remaining).toBe(9);
    await limiter.close();
  });
});

describe('configuration', () => {
  it('refuses invalid rules and options up front', () => {
    const flags = createStaticFeatureFlags();
    const store = createMemoryStore();
    expect(() =>
      createRateLimiter({ store, flags, plans: { basic: { rateLimits: { chat: { limit: 0 } } } } }),
    ).toThrow(ConfigError);
    expect(() =>
      createRateLimiter({ store, flags, plans: { basic: { rateLimits: { chat: { windowSeconds: 1.5 } } } } }),
    ).toThrow(ConfigError);
    // Options passed by code (not configuration): a programmer mistake.
    expect(() => createRateLimiter({ store, flags, insurance: { processes: 0 } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => createRateLimiter({ store, flags, maxPendingViolationWrites: 0 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('merges overrides per field and derives a window label', () => {
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags: createStaticFeatureFlags(),
      plans: {
        basic: { rateLimits: { chat: { windowSeconds: 90 } } },
        enterprise: { rateLimits: { chat: { limit: 1000 } } },
      },
    });
    expect(rl.getLimitConfig('chat', 'basic')).toMatchObject({
      limit: 10,
      windowSeconds: 90,
      window: '90 s',
    });
    expect(rl.getLimitConfig('chat', 'enterprise')).toMatchObject({ limit: 1000, unlimited: false });
    expect(rl.getLimitConfig('api', 'enterprise')).toMatchObject({ unlimited: true });
  });
});

describe('violation sink', () => {
  const flags = createStaticFeatureFlags();

  it('logs sink failures (sync throw and rejection) and never fails the check', async () => {
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags,
      logger,
      violationSink: {
        record() {
          calls++;
          if (calls === 1) throw new Error('sync sink failure');
          return Promise.reject(new Error('async sink failure'));
        },
      },
    });
    for (let i = 0; i < 10; i++) await rl.checkRateLimit('a', 'chat');
    expect((await rl.checkRateLimit('a', 'chat')).allowed).toBe(false); // sink threw synchronously
    for (let i = 0; i < 10; i++) await rl.checkRateLimit('b', 'chat');
    expect((await rl.checkRateLimit('b', 'chat')).allowed).toBe(false); // sink rejected
    await rl.close(); // awaits pending sink calls
    expect(rl.stats().sinkErrors).toBe(2);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1); // throttled to one line per 10 s
    expect(errors[0]?.message).toBe('rate-limit violation sink failed');
  });

  it('bounds the sink calls in flight when the sink hangs, and close() still finishes', async () => {
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags,
      logger,
      maxTrackedViolations: 50,
      maxPendingViolationWrites: 8,
      violationCloseTimeoutMs: 50,
      violationSink: {
        record: () => {
          calls++;
          return new Promise<void>(() => {}); // a database write that never answers
        },
      },
    });
    // A flood of denials from many identities (each evicting an older dedup entry).
    for (let who = 0; who < 300; who++) {
      for (let i = 0; i < 12; i++) await rl.checkRateLimit(`flood-${who}`, 'chat');
    }
    expect(calls).toBe(8);
    // Without a bound on the wait, close() never settles and the test fails on its hang guard.
    await rl.close();
    expect(rl.stats().violationsDropped).toBeGreaterThan(0);
    expect(lines.some((l) => l.message.includes('still pending at close'))).toBe(true);
  }, 10_000);

  it('defers interim reports while the sink is saturated; the final call carries the exact count', async () => {
    const rows: RateLimitViolation[] = [];
    const release: (() => void)[] = [];
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags,
      maxPendingViolationWrites: 1,
      violationSink: {
        record: (v) => {
          rows.push(v);
          return new Promise<void>((resolve) => release.push(resolve));
        },
      },
    });
    for (let i = 0; i < 10 + 5; i++) await rl.checkRateLimit({ ip: '192.0.2.1' }, 'chat'); // 5 denials
    expect(rows.map((r) => r.count)).toEqual([1]); // the 2nd and 4th waited for the first to settle
    for (const r of release.splice(0)) r();
    await new Promise((r) => setImmediate(r));
    const closing = rl.close();
    await until('the final report', async () => rows.length === 2);
    for (const r of release.splice(0)) r();
    await closing;
    expect(rows.map((r) => [r.count, r.delta])).toEqual([
      [1, 1],
      [5, 4],
    ]);
    expect(rl.stats().violationsDropped).toBe(0);
  });

  it('bounds the dedup map, flushing the exact count of an evicted entry', async () => {
    const rows: RateLimitViolation[] = [];
    const rl = createRateLimiter({
      store: createMemoryStore(),
      flags,
      maxTrackedViolations: 2,
      violationSink: { record: (v) => void rows.push(v) },
    });
    const deny = async (who: string, n: number) => {
      for (let i = 0; i < 10 + n; i++) await rl.checkRateLimit(who, 'chat');
    };
    await deny('a', 3); // reported at 1 and 2; the 3rd is pending
    expect(rows.map((r) => [r.identity, r.count])).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    await deny('b', 1);
    await deny('c', 1); // the map holds 2: 'a' is evicted and flushed with its exact count
    expect(rows.map((r) => [r.identity, r.count, r.delta])).toEqual([
      ['a', 1, 1],
      ['a', 2, 1],
      ['b', 1, 1],
      ['a', 3, 1],
      ['c', 1, 1],
    ]);
    await rl.close();
  });

  it('flushes final counts of finished windows on a timer', async () => {
    const D = 60_000;
    const clock = fakeClock(Math.ceil(Date.now() / D) * D);
    const rows: RateLimitViolation[] = [];
    const rl = createRateLimiter({
      store: createMemoryStore({ clock: clock.now }),
      flags,
      clock: clock.now,
      violationFlushIntervalMs: 20,
      violationSink: { record: (v) => void rows.push(v) },
    });
    for (let i = 0; i < 13; i++) await rl.checkRateLimit('a', 'chat'); // 3 denials: reported at 1, 2
    expect(rows.map((r) => r.count)).toEqual([1, 2]);
    clock.set(clock.now() + D); // the window is over
    await until('the final count', async () => rows.length === 3);
    expect(rows[2]).toMatchObject({ count: 3, delta: 1 });
    await rl.close();
    expect(rows).toHaveLength(3); // nothing left to flush
  });
});
