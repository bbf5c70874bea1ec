// The one contract suite every store passes: memory, a real Redis, a real 3-master Redis Cluster.
import { randomUUID } from 'node:crypto';
import { createStaticFeatureFlags } from '@mentora/config';
import { InvalidArgumentError, RateLimitError } from '@mentora/errors';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type CreateRateLimiterOptions,
  createRateLimiter,
  type PlanCatalogOverride,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitStore,
  type RateLimitViolation,
  rateLimitHeaders,
} from '../../src/index.ts';
import { recordingLogger } from './logger.ts';

export interface ContractBackend {
  /** A store over the backend; `clock` drives its sliding windows when given. */
  store(options?: { clock?: () => number }): RateLimitStore;
}

/** Counts the store calls a limiter makes (a pass-through decorator over the real store). */
export function countingStore(store: RateLimitStore) {
  const calls = { consume: 0, delete: 0 };
  const wrapped: RateLimitStore = {
    name: store.name,
    sharedAcrossProcesses: store.sharedAcrossProcesses,
    createLimiter(spec) {
      const limiter = store.createLimiter(spec);
      return {
        consume: (key, points) => {
          calls.consume++;
          return limiter.consume(key, points);
        },
        delete: (key) => {
          calls.delete++;
          return limiter.delete(key);
        },
      };
    },
    close: () => store.close(),
  };
  return { store: wrapped, calls };
}

export function fakeClock(start: number) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

/** Polls `check` until it holds; a hang guard, never an assertion about duration. */
export async function until(what: string, check: () => Promise<boolean>, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A failure shows in afterEach's storeErrors check and in the assertions, not on stderr. */
const quiet = recordingLogger().logger;
const flags = createStaticFeatureFlags({ plans: { 'pro-user': 'pro', 'ent-user': 'enterprise' } });

async function times(n: number, fn: () => Promise<RateLimitResult>): Promise<RateLimitResult[]> {
  const out: RateLimitResult[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}
const allowedCount = (rs: RateLimitResult[]) => rs.filter((r) => r.allowed).length;

export function rateLimitContract(name: string, backend: () => ContractBackend): void {
  describe(`rate-limit contract: ${name}`, () => {
    const limiters: RateLimiter[] = [];
    function make(options: Partial<CreateRateLimiterOptions> & { clock?: () => number } = {}): RateLimiter {
      const store = options.store ?? backend().store({ ...(options.clock ? { clock: options.clock } : {}) });
      // No insurance: a store that silently failed over to process memory would pass a contract test for
      // the wrong reason. A store failure throws instead (and afterEach checks none happened).
      const limiter = createRateLimiter({
        flags,
        logger: quiet,
        namespace: `test:${randomUUID()}`,
        insurance: false,
        ...options,
        store,
      });
      limiters.push(limiter);
      return limiter;
    }
    const id = () => `user-${randomUUID()}`;
    afterEach(() => {
      for (const limiter of limiters) expect(limiter.stats().storeErrors).toBe(0);
    });
    afterAll(async () => {
      await Promise.all(limiters.map((l) => l.close()));
    });

    it('resolves plans through feature flags; an explicit plan wins; IPs use the anonymous plan', async () => {
      const rl = make();
      const basic = id();
      expect(allowedCount(await times(11, () => rl.checkRateLimit(basic, 'chat')))).toBe(10);
      expect(allowedCount(await times(51, () => rl.checkRateLimit('pro-user', 'chat')))).toBe(50);
      // The plan is part of the key: pro-user checked as basic gets basic's fresh counter.
      expect(
        allowedCount(await times(11, () => rl.checkRateLimit({ userId: 'pro-user' }, 'chat', 'basic'))),
      ).toBe(10);
      expect(allowedCount(await times(101, () => rl.checkRateLimit({ ip: '203.0.113.9' }, 'api')))).toBe(100);
    });

    it('reports the catalog rules through getLimitConfig', () => {
      const rl = make();
      expect(rl.getLimitConfig('chat', 'basic')).toMatchObject({
        limit: 10,
        window: '1 m',
        algorithm: 'sliding-window',
      });
      expect(rl.getLimitConfig('videoUpload', 'pro')).toMatchObject({
        limit: 20,
        window: '1 h',
        algorithm: 'fixed-window',
      });
      expect(rl.getLimitConfig('chat', 'enterprise')).toMatchObject({
        unlimited: true,
        limit: Number.POSITIVE_INFINITY,
      });
      for (const plan of ['basic', 'pro', 'enterprise'] as const) {
        expect(rl.getLimitConfig('auth', plan)).toMatchObject({ limit: 5, window: '5 m', unlimited: false });
      }
      expect(() => rl.getLimitConfig('nope' as 'chat', 'basic')).toThrow(InvalidArgumentError);
    });

    it('never calls the store for an unlimited plan (auth stays limited)', async () => {
      const { store, calls } = countingStore(backend().store());
      const rl = make({ store });
      const results = await times(300, () => rl.checkRateLimit('ent-user', 'chat'));
      expect(results.every((r) => r.allowed && r.limit === Number.POSITIVE_INFINITY)).toBe(true);
      expect(calls.consume).toBe(0);
      expect(allowedCount(await times(6, () => rl.checkRateLimit('ent-user', 'auth')))).toBe(5);
      expect(calls.consume).toBe(6);
    });

    it('consumes `cost` units; a cost above the limit is refused without touching the counter', async () => {
      const rl = make();
      const who = id();
      expect(await rl.checkRateLimit(who, 'chat', 'basic', { cost: 4 })).toMatchObject({
        allowed: true,
        remaining: 6,
      });
      expect((await rl.checkRateLimit(who, 'chat', 'basic', { cost: 11 })).allowed).toBe(false);
      // Sliding windows don't count denials: 6 units are still there.
      expect((await rl.checkRateLimit(who, 'chat', 'basic', { cost: 7 })).allowed).toBe(false);
      expect(await rl.checkRateLimit(who, 'chat', 'basic', { cost: 6 })).toMatchObject({
        allowed: true,
        remaining: 0,
      });
      for (const cost of [0, -1, 1.5, Number.NaN]) {
        // A bad cost is a server bug: a generic 500, never a 400 that shows the caller's internals.
        await expect(rl.checkRateLimit(who, 'chat', 'basic', { cost })).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          status: 500,
          expose: false,
        });
      }
    });

    it('fixed windows count a denied cost, as rate-limiter-flexible does', async () => {
      const rl = make({ blockInMemory: false });
      const who = id();
      expect(await rl.checkRateLimit(who, 'quizGeneration', 'basic', { cost: 2 })).toMatchObject({
        remaining: 1,
      });
      expect((await rl.checkRateLimit(who, 'quizGeneration', 'basic', { cost: 2 })).allowed).toBe(false);
      expect((await rl.checkRateLimit(who, 'quizGeneration', 'basic')).allowed).toBe(false);
    });

    it('a fixed window resets completely when it ends, and denials never extend it', async () => {
      const plans: PlanCatalogOverride = {
        basic: { rateLimits: { videoUpload: { limit: 3, windowSeconds: 1 } } },
      };
      // No memory block: every denied check below increments the store counter, as hammering would.
      const rl = make({ plans, blockInMemory: false });
      const who = id();
      expect(allowedCount(await times(3, () => rl.checkRateLimit(who, 'videoUpload', 'basic')))).toBe(3);
      const denied = await rl.checkRateLimit(who, 'videoUpload', 'basic');
      expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfter: 1 });
      let fresh: RateLimitResult | undefined;
      // If increments extended the window, this loop would never see an allowed check.
      await until('the 1 s window to end', async () => {
        fresh = await rl.checkRateLimit(who, 'videoUpload', 'basic');
        return fresh.allowed;
      });
      expect(fresh?.remaining).toBe(2);
    });

    it('a sliding window weighs the previous window instead of resetting at the boundary', async () => {
      const D = 10_000;
      const clock = fakeClock(Math.ceil(Date.now() / D) * D);
      const T0 = clock.now();
      const plans: PlanCatalogOverride = {
        basic: { rateLimits: { chat: { limit: 10, windowSeconds: 10 } } },
      };
      const rl = make({ plans, clock: clock.now });
      const who = id();
      const check = () => rl.checkRateLimit(who, 'chat', 'basic');
      expect(allowedCount(await times(10, check))).toBe(10);
      // Full window: the next unit fits once 10 × (D − e)/D ≤ 9 in the next window, 11 s from now.
      expect(await check()).toMatchObject({ allowed: false, retryAfter: 11 });
      clock.set(T0 + D); // a fixed window would start over here
      expect(await check()).toMatchObject({ allowed: false, retryAfter: 1 });
      clock.set(T0 + D + 999);
      expect((await check()).allowed).toBe(false);
      clock.set(T0 + D + 1_000);
      expect(await check()).toMatchObject({ allowed: true, remaining: 0 });
      clock.set(T0 + D + D / 2); // estimate = 10 × 0.5 + 1 = 6 → 4 more
      expect(allowedCount(await times(6, check))).toBe(4);
      clock.set(T0 + 3 * D); // two idle windows later: all forgotten
      expect(await check()).toMatchObject({ allowed: true, remaining: 9 });
    });

    it('shares counters between limiters exactly when the store is shared', async () => {
      const namespace = `test:${randomUUID()}`;
      const backendA = backend();
      const a = make({ namespace, store: backendA.store() });
      const b = make({ namespace, store: backendA.store() });
      const who = id();
      expect(allowedCount(await times(6, () => a.checkRateLimit(who, 'chat', 'basic')))).toBe(6);
      const fromB = await times(6, () => b.checkRateLimit(who, 'chat', 'basic'));
      const shared = backendA.store().sharedAcrossProcesses;
      expect(allowedCount(fromB)).toBe(shared ? 4 : 6);
    });

    it('admits exactly the limit out of many concurrent checks', async () => {
      const rl = make();
      const who = id();
      const chat = await Promise.all(
        Array.from({ length: 40 }, () => rl.checkRateLimit(who, 'chat', 'basic')),
      );
      expect(allowedCount(chat)).toBe(10);
      const uploads = await Promise.all(
        Array.from({ length: 20 }, () => rl.checkRateLimit(who, 'videoUpload', 'basic')),
      );
      expect(allowedCount(uploads)).toBe(5);
    });

    it('answers a denied identity from memory, with no store call, until it may retry', async () => {
      const D = 60_000;
      const clock = fakeClock(Math.ceil(Date.now() / D) * D);
      const { store, calls } = countingStore(backend().store({ clock: clock.now }));
      const rl = make({ store, clock: clock.now });
      const who = id();
      await times(11, () => rl.checkRateLimit(who, 'chat', 'basic'));
      expect(calls.consume).toBe(11);
      const blocked = await times(200, () => rl.checkRateLimit(who, 'chat', 'basic'));
      expect(blocked.every((r) => !r.allowed && r.retryAfter > 0)).toBe(true);
      expect(calls.consume).toBe(11);
      expect(rl.stats().memoryBlocked).toBe(200);
      clock.set(clock.now() + D + D / 10); // the store's retry point
      expect((await rl.checkRateLimit(who, 'chat', 'basic')).allowed).toBe(true);
      expect(calls.consume).toBe(12);
    });

    it('resetLimit clears the counters and the memory block', async () => {
      const rl = make();
      const who = id();
      await times(11, () => rl.checkRateLimit(who, 'chat', 'basic'));
      await times(6, () => rl.checkRateLimit(who, 'videoUpload', 'basic'));
      expect((await rl.checkRateLimit(who, 'chat', 'basic')).allowed).toBe(false);
      await rl.resetLimit(who, 'chat');
      expect(await rl.checkRateLimit(who, 'chat', 'basic')).toMatchObject({ allowed: true, remaining: 9 });
      // Only the named endpoint is reset.
      expect((await rl.checkRateLimit(who, 'videoUpload', 'basic')).allowed).toBe(false);
    });

    it('sliding limits of any size: from 2^25 (the wide Redis script) as below it', async () => {
      for (const limit of [2 ** 25, 1_000_000_000]) {
        const rl = make({ plans: { basic: { rateLimits: { chat: { limit } } } } });
        const who = id();
        const half = limit / 2;
        expect(await rl.checkRateLimit(who, 'chat', 'basic', { cost: half })).toMatchObject({
          allowed: true,
          remaining: half,
        });
        expect((await rl.checkRateLimit(who, 'chat', 'basic', { cost: half })).allowed).toBe(true);
        expect((await rl.checkRateLimit(who, 'chat', 'basic')).allowed).toBe(false);
        await rl.resetLimit(who, 'chat'); // finds the key whatever layout it has
        expect(await rl.checkRateLimit(who, 'chat', 'basic', { cost: limit })).toMatchObject({
          allowed: true,
          remaining: 0,
        });
        // A full window plus another cost of `limit` is the largest count a script ever holds (2 × limit
        // before the denial takes it back): it must be denied, not wrap around the packed layout.
        expect((await rl.checkRateLimit(who, 'chat', 'basic', { cost: limit })).allowed).toBe(false);
      }
    });

    it('enforceRateLimit throws RateLimitError on denial and returns the result otherwise', async () => {
      const rl = make();
      const who = id();
      await expect(rl.enforceRateLimit(who, 'auth')).resolves.toMatchObject({ allowed: true, remaining: 4 });
      await times(4, () => rl.checkRateLimit(who, 'auth'));
      const error = await rl.enforceRateLimit(who, 'auth').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, limit: 5, window: '5 m' });
      expect((error as RateLimitError).retryAfter).toBeGreaterThan(0);
      await expect(rl.checkRateLimit('', 'chat')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        status: 500,
      });
      await expect(rl.checkRateLimit(who, 'nope' as 'chat')).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('renders headers from real results', async () => {
      const rl = make();
      const who = id();
      const rule = rl.getLimitConfig('chat', 'basic');
      const ok = await rl.checkRateLimit(who, 'chat', 'basic');
      const now = Date.now();
      const h = rateLimitHeaders(ok, rule, { now });
      expect(h.get('X-RateLimit-Limit')).toBe('10');
      expect(h.get('X-RateLimit-Remaining')).toBe('9');
      expect(h.get('X-RateLimit-Reset')).toBe(String(Math.ceil(ok.reset.getTime() / 1000)));
      expect(h.get('RateLimit-Policy')).toBe('"chat";q=10;w=60');
      expect(h.get('RateLimit')).toBe(`"chat";r=9;t=${Math.ceil((ok.reset.getTime() - now) / 1000)}`);
      expect(h.has('Retry-After')).toBe(false);
      // checkRateLimit results carry their rule: the headers need nothing else.
      expect(Object.fromEntries(rateLimitHeaders(ok, undefined, { now }))).toEqual(Object.fromEntries(h));
      expect(ok.rule).toBe(rule);
      await times(10, () => rl.checkRateLimit(who, 'chat', 'basic'));
      const denied = await rl.checkRateLimit(who, 'chat', 'basic');
      expect(rateLimitHeaders(denied, rule).get('Retry-After')).toBe(String(denied.retryAfter));
      const unlimited = await rl.checkRateLimit('ent-user', 'chat');
      expect([...rateLimitHeaders(unlimited, rl.getLimitConfig('chat', 'enterprise')).keys()]).toEqual([]);
    });

    it('deduplicates violations per identity, endpoint and window', async () => {
      const D = 60_000;
      const clock = fakeClock(Math.ceil(Date.now() / D) * D + 1_000);
      const rows: RateLimitViolation[] = [];
      const rl = make({ clock: clock.now, violationSink: { record: (v) => void rows.push(v) } });
      const who = id();
      await times(10, () => rl.checkRateLimit(who, 'chat', 'basic'));
      expect(rows).toHaveLength(0);
      await times(20, () => rl.checkRateLimit(who, 'chat', 'basic')); // 1 from the store, 19 from memory
      // Reported at counts 1, 2, 4, 8, 16: logarithmic in the flood, one row key.
      expect(rows.map((r) => r.count)).toEqual([1, 2, 4, 8, 16]);
      expect(new Set(rows.map((r) => r.windowStart.getTime()))).toEqual(new Set([clock.now() - 1_000]));
      expect(rows[0]).toMatchObject({
        identity: who,
        identityType: 'user',
        endpoint: 'chat',
        plan: 'basic',
        limit: 10,
      });
      await times(8, () => rl.checkRateLimit({ ip: '198.51.100.7' }, 'auth')); // 5 allowed, 3 denied
      const ipRows = rows.filter((r) => r.identity === '198.51.100.7');
      expect(ipRows.map((r) => [r.identityType, r.endpoint, r.count])).toEqual([
        ['ip', 'auth', 1],
        ['ip', 'auth', 2],
      ]);
      expect(new Set(ipRows.map((r) => r.windowStart.getTime())).size).toBe(1);
      clock.set(clock.now() + 3 * D); // a later window of the same identity is a new row
      await times(11, () => rl.checkRateLimit(who, 'chat', 'basic'));
      await rl.close(); // flushes final counts
      const chatRows = rows.filter((r) => r.identity === who);
      const starts = [...new Set(chatRows.map((r) => r.windowStart.getTime()))];
      expect(starts).toHaveLength(2);
      const finalFirst = chatRows.filter((r) => r.windowStart.getTime() === starts[0]).at(-1);
      expect(finalFirst).toMatchObject({ count: 20, delta: 4 });
    });
  });
}
