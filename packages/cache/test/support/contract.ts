import { InvalidArgumentError, isMentoraError } from '@mentora/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cache,
  type CacheStatisticsRow,
  type CacheStore,
  CacheTTL,
  type CreateCacheOptions,
  createCache,
  createCborCodec,
  escapeGlob,
  type InvalidationEvent,
} from '../../src/index.js';
import { CacheInvalidator, CacheKeys, CacheTags } from '../../src/mentora/index.js';
import { captureLogger, deferred, sleep, uniqueNamespace, waitUntil } from './helpers.js';

/**
 * Two stores on one backend: `store` and `peer` stand for two processes (for Redis: two connections;
 * for memory: the same in-process store, which is what two caches in one process share).
 */
export interface StoreHarness {
  store: CacheStore;
  peer: CacheStore;
  close(): Promise<void>;
}

/** The one contract every store must meet: memory, Redis and a Redis Cluster all run it. */
export function describeCacheContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`cache contract: ${name}`, () => {
    let h: StoreHarness;
    const caches: Cache[] = [];

    beforeAll(async () => {
      h = await makeStore();
      await h.store.ready();
      await h.peer.ready();
    });

    afterAll(async () => {
      await Promise.all(caches.map((c) => c.close()));
      await h?.close();
    });

    function cache(options: Partial<CreateCacheOptions> = {}, peer = false): Cache {
      const c = createCache({
        store: peer ? h.peer : h.store,
        namespace: uniqueNamespace(name.replace(/[^a-z]/gi, '')),
        logger: captureLogger(),
        ...options,
      });
      caches.push(c);
      return c;
    }

    // --------------------------------------------------------------------------------------------------
    // get / set / delete / TTL / codec
    // --------------------------------------------------------------------------------------------------

    it('misses with null and round-trips rich values', async () => {
      const c = cache();
      expect(await c.get('nothing')).toBeNull();
      const value = {
        when: new Date('2026-11-21T10:00:00.000Z'),
        tags: new Set(['a', 'b']),
        byId: new Map<string, unknown>([['x', { n: 1n << 70n }]]),
        list: [1, undefined, Number.NaN, Number.NEGATIVE_INFINITY],
        text: 'héllo 👋',
      };
      expect(await c.set('rich', value, CacheTTL.MEDIUM)).toBe(true);
      const back = await c.get<typeof value>('rich');
      expect(back).toEqual(value);
      expect(back?.when).toBeInstanceOf(Date);
      expect(back?.byId.get('x')).toEqual({ n: 1n << 70n });
      expect(c.stats()).toMatchObject({ hits: 1, misses: 1, sets: 1 });
    });

    it('caches null results of getOrCompute (no recompute on a stored null)', async () => {
      const c = cache();
      let computes = 0;
      const compute = async () => {
        computes++;
        return null;
      };
      expect(await c.getOrCompute('absent-user', compute, 60)).toBeNull();
      expect(await c.getOrCompute('absent-user', compute, 60)).toBeNull();
      expect(computes).toBe(1);
      expect(await c.getOrCompute('undef', async () => undefined, 60)).toBeUndefined();
      expect(await c.getOrCompute('undef', async () => 'recomputed', 60)).toBeUndefined();
    });

    it('expires entries after their TTL; PERMANENT never expires', async () => {
      const c = cache();
      await c.set('short', 'v', 0.05);
      await c.set('forever', 'v', CacheTTL.PERMANENT);
      await c.set('hour', 'v', CacheTTL.LONG);
      expect(await c.ttl('forever')).toBe(Number.POSITIVE_INFINITY);
      const hour = await c.ttl('hour');
      expect(hour).toBeGreaterThan(3000);
      expect(hour).toBeLessThanOrEqual(3600);
      expect(await c.ttl('missing')).toBeNull();
      await sleep(120); // past the 50 ms TTL: whatever the machine speed, it must be gone
      expect(await c.get('short')).toBeNull();
      expect(await c.get('forever')).toBe('v');
    });

    it("rejects invalid TTLs (the seeds' -1) with an InvalidArgumentError", async () => {
      const c = cache();
      await expect(c.set('k', 1, -1)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.set('k', 1, 0)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.set('k', 1, Number.NaN)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.getOrCompute('k', () => 1, -1)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.increment('k', CacheTTL.PERMANENT)).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('refuses values over the size limit with sizes in the error; getOrCompute still answers', async () => {
      const c = cache({ maxValueBytes: 1024 });
      const big = 'x'.repeat(2000);
      const err = await c.set('big', big).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).code).toBe('CACHE_VALUE_TOO_LARGE');
      const size = createCborCodec().encode(big).byteLength; // the default codec's encoding of it
      expect((err as InvalidArgumentError).context).toMatchObject({ size, limit: 1024 });
      expect(await c.getOrCompute('big', async () => big, 60)).toBe(big);
      expect(await c.get('big')).toBeNull(); // not stored
      expect(c.stats().errors).toBe(1);
    });

    it('deletes a key and says whether it existed', async () => {
      const c = cache();
      await c.set('k', 1, 60);
      expect(await c.delete('k')).toBe(true);
      expect(await c.delete('k')).toBe(false);
      expect(await c.get('k')).toBeNull();
    });

    it('keeps namespaces apart when one namespace extends another with ":"', async () => {
      const base = uniqueNamespace('iso');
      const outer = cache({ namespace: base });
      const inner = cache({ namespace: `${base}:web` });
      await inner.set('x', 'inner', 300);
      // Same text once prefixed ("<base>:web:x"), but another namespace's entry.
      expect(await outer.get('web:x')).toBeNull();
      await outer.set('web:x', 'outer', 300);
      expect(await inner.get('x')).toBe('inner');
      // A pattern delete in one namespace never reaches into another.
      expect(await outer.deletePattern('*')).toBe(1);
      expect(await inner.get('x')).toBe('inner');
    });

    it('reports health with a latency', async () => {
      const result = await cache().healthCheck();
      expect(result.healthy).toBe(true);
      expect(result.latency).toBeGreaterThanOrEqual(0);
    });

    // --------------------------------------------------------------------------------------------------
    // getOrCompute
    // --------------------------------------------------------------------------------------------------

    it('computes once for 1,000 concurrent callers on a cold key', async () => {
      const c = cache();
      let computes = 0;
      const gate = deferred();
      const compute = async () => {
        computes++;
        await gate.promise;
        return { answer: 42 };
      };
      const all = Array.from({ length: 1000 }, () => c.getOrCompute('cold', compute, 60));
      gate.resolve();
      const results = await Promise.all(all);
      expect(computes).toBe(1);
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      expect(await c.get('cold')).toEqual({ answer: 42 });
    });

    it('does not cache a failing compute; every waiter gets its error; the next call computes again', async () => {
      const c = cache();
      const boom = new Error('database down');
      let computes = 0;
      const gate = deferred();
      const failing = async () => {
        computes++;
        await gate.promise;
        throw boom;
      };
      const waiters = Array.from({ length: 10 }, () => c.getOrCompute('flaky', failing, 60));
      gate.resolve();
      const outcomes = await Promise.allSettled(waiters);
      expect(computes).toBe(1);
      for (const o of outcomes) expect(o).toEqual({ status: 'rejected', reason: boom });
      expect(await c.get('flaky')).toBeNull();
      expect(await c.getOrCompute('flaky', async () => 'ok', 60)).toBe('ok');
    });

    for (const op of ['delete', 'set', 'deletePattern', 'invalidateTags'] as const) {
      it(`a ${op} during a compute keeps the computed value out of the store; later callers compute afresh`, async () => {
        const c = cache();
        const keys = op === 'invalidateTags' ? [CacheKeys.video('race')] : ['race', CacheKeys.video('race')];
        for (const key of keys) {
          const started = deferred();
          const release = deferred();
          const first = c.getOrCompute(
            key,
            async () => {
              started.resolve();
              await release.promise;
              return 'stale'; // read before the write below
            },
            300,
          );
          await started.promise;
          if (op === 'delete') await c.delete(key);
          else if (op === 'set') await c.set(key, 'written', 300);
          else if (op === 'deletePattern') await c.deletePattern('*');
          else await c.invalidateTags([CacheTags.video('race')]);
          // Asked after the invalidation: must not be handed the flight that started before it.
          const second = c.getOrCompute(key, async () => 'fresh', 300);
          release.resolve();
          expect(await first).toBe('stale'); // its own caller still gets an answer
          const expected = op === 'set' ? 'written' : 'fresh';
          expect(await second).toBe(expected);
          expect(await c.get(key)).toBe(expected);
        }
      });
    }

    it('bounds a compute that never settles: its callers get a typed timeout, the next call computes afresh', async () => {
      const c = cache({ computeTimeoutMs: 50 });
      let calls = 0;
      const hangs = () => {
        calls++;
        return new Promise<string>(() => {}); // e.g. a query without a timeout of its own
      };
      const waiters = Array.from({ length: 5 }, () => c.getOrCompute('hung', hangs, 60));
      const outcomes = await Promise.allSettled(waiters);
      expect(calls).toBe(1);
      for (const o of outcomes) {
        expect(o.status).toBe('rejected');
        const reason = (o as PromiseRejectedResult).reason as { code?: string; retryable?: boolean };
        expect(isMentoraError(reason)).toBe(true);
        expect(reason).toMatchObject({ code: 'CACHE_COMPUTE_TIMEOUT', retryable: true });
      }
      // The key is not held by the hung compute forever.
      expect(await c.getOrCompute('hung', async () => 'answered', 60)).toBe('answered');
      expect(await c.get('hung')).toBe('answered');
    });

    it('with a lease, computes once across two processes', async () => {
      const ns = uniqueNamespace('lease');
      const a = cache({ namespace: ns, lease: { waitMs: 30_000 } });
      const b = cache({ namespace: ns, lease: { waitMs: 30_000 } }, true);
      const started = deferred();
      const release = deferred();
      let computes = 0;
      const compute = async () => {
        computes++;
        started.resolve();
        await release.promise;
        return 'shared';
      };
      const first = a.getOrCompute('report', compute, 60, { lease: true });
      await started.promise; // a holds the lease now
      const second = b.getOrCompute('report', compute, 60, { lease: true });
      release.resolve();
      expect(await Promise.all([first, second])).toEqual(['shared', 'shared']);
      expect(computes).toBe(1);
      expect(b.stats().computes).toBe(0);
    });

    it('with a lease, a waiter takes over when the holder fails', async () => {
      const ns = uniqueNamespace('lease');
      const a = cache({ namespace: ns, lease: { waitMs: 30_000 } });
      const b = cache({ namespace: ns, lease: { waitMs: 30_000 } }, true);
      const started = deferred();
      const release = deferred();
      const first = a.getOrCompute(
        'report',
        async () => {
          started.resolve();
          await release.promise;
          throw new Error('holder failed');
        },
        60,
        { lease: true },
      );
      await started.promise;
      const second = b.getOrCompute('report', async () => 'from b', 60, { lease: true });
      release.resolve();
      await expect(first).rejects.toThrow('holder failed');
      expect(await second).toBe('from b');
      expect(await a.get('report')).toBe('from b');
    });

    // --------------------------------------------------------------------------------------------------
    // Counters
    // --------------------------------------------------------------------------------------------------

    it('fixes the counter window at the first increment; later increments never extend it', async () => {
      const c = cache();
      expect(await c.increment('hits', 10)).toBe(1);
      const first = (await c.ttl('hits')) as number;
      expect(first).toBeGreaterThan(9);
      await sleep(50);
      expect(await c.increment('hits', 10)).toBe(2);
      expect(await c.increment('hits', 10)).toBe(3);
      const later = (await c.ttl('hits')) as number;
      // Had the increments re-armed the expiry, `later` would be back at ~10 s.
      expect(later).toBeLessThanOrEqual(first - 0.04);

      expect(await c.increment('short', 0.05)).toBe(1);
      await sleep(120);
      expect(await c.increment('short', 0.05)).toBe(1); // a new window
    });

    // --------------------------------------------------------------------------------------------------
    // Invalidation
    // --------------------------------------------------------------------------------------------------

    it('counts concurrent first increments exactly, in one window that later increments do not extend', async () => {
      const c = cache();
      const results = await Promise.all(Array.from({ length: 200 }, () => c.increment('burst', 30)));
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const ttl = (await c.ttl('burst')) as number;
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
    });

    it('stores keys with spaces, newlines, unicode and glob characters; deletePattern matches them literally when escaped', async () => {
      const c = cache();
      const odd = [
        'with space',
        'line\nbreak',
        'ünïcødé 👋',
        'star*key',
        'q?mark',
        '[brackets]',
        'back\\slash',
      ];
      for (const k of odd) await c.set(k, k, 300);
      for (const k of odd) expect(await c.get(k)).toBe(k);
      await c.set('starXkey', 'similar', 300);
      expect(await c.deletePattern(escapeGlob('star*key'))).toBe(1);
      expect(await c.get('star*key')).toBeNull();
      expect(await c.get('starXkey')).toBe('similar');
      expect(await c.deletePattern(escapeGlob('[brackets]'))).toBe(1);
      expect(await c.deletePattern(escapeGlob('back\\slash'))).toBe(1);
      expect(await c.deletePattern('line\n*')).toBe(1);
      expect(await c.get('with space')).toBe('with space');
    });

    it('deletePattern removes exactly the matching keys of its namespace, across scan batches', async () => {
      const c = cache();
      const other = cache();
      const n = 2500;
      await Promise.all(Array.from({ length: n }, (_, i) => c.set(`video:${i}`, i, 300)));
      await c.set('chat:1', 'keep', 300);
      await other.set('video:1', 'other namespace', 300);
      expect(await c.deletePattern('video:*')).toBe(n);
      expect(await c.get('video:7')).toBeNull();
      expect(await c.get('video:2499')).toBeNull();
      expect(await c.get('chat:1')).toBe('keep');
      expect(await other.get('video:1')).toBe('other namespace');
      expect(await c.deletePattern('video:*')).toBe(0);
    });

    it('invalidateTags drops every key scoped to the tag, in every namespace, and nothing else', async () => {
      const c = cache();
      const other = cache();
      await c.set(CacheKeys.studentProgress('s1'), { pct: 10 }, 300);
      await c.set(CacheKeys.studentAchievements('s1'), ['first'], CacheTTL.PERMANENT);
      await other.set(CacheKeys.studentProgress('s1'), { pct: 99 }, 300);
      await c.set(CacheKeys.studentProgress('s2'), { pct: 20 }, 300);
      await c.invalidateTags([CacheTags.student('s1')]);
      expect(await c.get(CacheKeys.studentProgress('s1'))).toBeNull();
      expect(await c.get(CacheKeys.studentAchievements('s1'))).toBeNull();
      expect(await other.get(CacheKeys.studentProgress('s1'))).toBeNull();
      expect(await c.get(CacheKeys.studentProgress('s2'))).toEqual({ pct: 20 });
      // Scoped keys work normally after an invalidation.
      await c.set(CacheKeys.studentProgress('s1'), { pct: 11 }, 300);
      expect(await c.get(CacheKeys.studentProgress('s1'))).toEqual({ pct: 11 });
    });

    it('never stores a value computed before an invalidation that happened during the compute', async () => {
      const c = cache();
      const key = CacheKeys.video('v1');
      const value = await c.getOrCompute(
        key,
        async () => {
          const readBeforeUpdate = { title: 'old' };
          await c.invalidateTags([CacheTags.video('v1')]); // the row changes while we compute
          return readBeforeUpdate;
        },
        300,
      );
      expect(value).toEqual({ title: 'old' }); // the caller still gets its answer
      expect(await c.get(key)).toBeNull(); // but it was not stored
      expect(await c.getOrCompute(key, async () => ({ title: 'new' }), 300)).toEqual({ title: 'new' });
    });

    it('CacheInvalidator runs Mentora’s operations on CacheKeys, without touching other entities', async () => {
      const c = cache();
      const inv = new CacheInvalidator(c);
      const keys = {
        progress: CacheKeys.studentProgress('s1'),
        achievements: CacheKeys.studentAchievements('s1'),
        otherStudent: CacheKeys.studentProgress('s2'),
        video: CacheKeys.video('v1'),
        otherVideo: CacheKeys.video('v2'),
        page1: CacheKeys.videosByCreator('c1', 1),
        page2: CacheKeys.videosByCreator('c1', 2),
        settings: CacheKeys.creatorSettings('c1'),
        analytics: CacheKeys.analytics('c1', '2026-11'),
        membership: CacheKeys.membership('u1'),
        plan: CacheKeys.userPlan('u1'),
        profile: CacheKeys.userProfile('u1'),
        session: CacheKeys.chatSession('cs1'),
        history: CacheKeys.chatHistory('cs1'),
        embedding: CacheKeys.embedding('some text'),
      };
      const setAll = () => Promise.all(Object.entries(keys).map(([name, key]) => c.set(key, name, 300)));
      const present = async () => {
        const out: string[] = [];
        for (const [name, key] of Object.entries(keys)) if ((await c.get(key)) !== null) out.push(name);
        return out.sort();
      };
      const all = Object.keys(keys).sort();
      const without = (...names: string[]) => all.filter((n) => !names.includes(n));

      await setAll();
      await inv.invalidateStudent('s1');
      expect(await present()).toEqual(without('progress', 'achievements'));

      await setAll();
      await inv.invalidateVideo('v1', 'c1');
      expect(await present()).toEqual(without('video', 'page1', 'page2'));

      await setAll();
      await inv.invalidateCreator('c1');
      expect(await present()).toEqual(without('page1', 'page2', 'settings', 'analytics'));

      await setAll();
      await inv.invalidateMembership('u1');
      expect(await present()).toEqual(without('membership', 'plan'));

      await setAll();
      await inv.invalidateChatSession('cs1');
      expect(await present()).toEqual(without('session', 'history'));

      await setAll();
      await inv.invalidateStudent('s1');
      await inv.invalidateMembership('u1');
      expect(await present()).toEqual(without('progress', 'achievements', 'membership', 'plan'));
    });

    // --------------------------------------------------------------------------------------------------
    // L1 coherence
    // --------------------------------------------------------------------------------------------------

    it('keeps two instances’ L1 coherent through invalidation messages', async () => {
      const ns = uniqueNamespace('l1');
      const waiters: Array<{ match: (e: InvalidationEvent) => boolean; resolve: () => void }> = [];
      const received = (match: (e: InvalidationEvent) => boolean) => {
        const d = deferred();
        waiters.push({ match, resolve: d.resolve });
        return d.promise;
      };
      const l1 = { maxEntries: 1000, ttlMs: 60_000 };
      const a = cache({ namespace: ns, l1 });
      const b = cache(
        {
          namespace: ns,
          l1,
          onInvalidation: (e) => {
            for (const w of waiters.filter((x) => x.match(e))) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve();
            }
          },
        },
        true,
      );
      await Promise.all([a.ready(), b.ready()]);
      const loadIntoL1 = async (key: string, expected: unknown) => {
        expect(await b.get(key)).toEqual(expected);
        const before = b.stats().l1Hits;
        expect(await b.get(key)).toEqual(expected);
        expect(b.stats().l1Hits).toBe(before + 1); // b now answers from its L1
      };

      // Every write on a is announced; b must have heard it before we look, or the test would race it.
      const onA = async (write: () => Promise<unknown>, match: (e: InvalidationEvent) => boolean) => {
        const heard = received(match);
        await write();
        await heard;
      };
      const keyEvent = (key: string) => (e: InvalidationEvent) => e.kind === 'key' && e.key === key;

      // set on a → b drops its copy
      await onA(() => a.set('profile', { v: 1 }, 300), keyEvent('profile'));
      await loadIntoL1('profile', { v: 1 });
      await onA(() => a.set('profile', { v: 2 }, 300), keyEvent('profile'));
      expect(await b.get('profile')).toEqual({ v: 2 });

      // delete on a
      await loadIntoL1('profile', { v: 2 });
      await onA(() => a.delete('profile'), keyEvent('profile'));
      expect(await b.get('profile')).toBeNull();

      // tag invalidation on a
      const scoped = CacheKeys.creatorSettings('c9');
      await onA(() => a.set(scoped, { theme: 'dark' }, 300), keyEvent(scoped));
      await loadIntoL1(scoped, { theme: 'dark' });
      await onA(
        () => new CacheInvalidator(a).invalidateCreator('c9'),
        (e) => e.kind === 'tags' && e.tags.includes(CacheTags.creator('c9')),
      );
      expect(await b.get(scoped)).toBeNull();

      // deletePattern on a
      await onA(() => a.set('video:1', 'v', 300), keyEvent('video:1'));
      await loadIntoL1('video:1', 'v');
      await onA(
        () => a.deletePattern('video:*'),
        (e) => e.kind === 'pattern',
      );
      expect(await b.get('video:1')).toBeNull();
    });

    it('after close, an instance stops serving from its L1 (it no longer hears invalidations)', async () => {
      const ns = uniqueNamespace('l1closed');
      const l1 = { maxEntries: 100, ttlMs: 600_000 };
      const a = cache({ namespace: ns, l1 });
      const b = cache({ namespace: ns, l1 }, true);
      await Promise.all([a.ready(), b.ready()]);
      await b.set('k', 'v1', 300);
      await a.close(); // unsubscribed from now on
      expect(await a.get('k')).toBe('v1');
      expect(await a.get('k')).toBe('v1');
      await b.set('k', 'v2', 300); // announced, but a cannot hear it any more
      expect(await a.get('k')).toBe('v2');
      expect(await a.getOrCompute('k', () => 'computed', 300)).toBe('v2');
    });

    it('L1 serves hits from memory', async () => {
      const c = cache({ l1: { maxEntries: 10, ttlMs: 60_000 } });
      expect(await c.getOrCompute('k', async () => 'v', 60)).toBe('v');
      expect(await c.get('k')).toBe('v');
      expect(c.stats().l1Hits).toBe(1);
    });

    it('L1 never outlives the entry TTL it was given', async () => {
      // The L1 TTL is a minute, the entry's 50 ms: once the entry has expired, L1 must not serve it. However
      // slow the machine, this only waits (bounded) for a null; an L1 keeping its own minute never gets there.
      const c = cache({ l1: { maxEntries: 10, ttlMs: 60_000 } });
      expect(await c.getOrCompute('k', async () => 'v', 0.05)).toBe('v');
      await waitUntil('the entry to expire, in L1 too', async () => (await c.get('k')) === null, 10_000);
      expect(await c.getOrCompute('k', async () => 'fresh', 60)).toBe('fresh');
    });

    it('L1 keeps nothing the store refused: a value the codec rejects is returned, and neither stored nor held', async () => {
      const c = cache({ maxValueBytes: 1024, l1: { maxEntries: 10, ttlMs: 60_000 } });
      const big = 'x'.repeat(2000);
      let computes = 0;
      const compute = async () => {
        computes++;
        return big;
      };
      expect(await c.getOrCompute('big', compute, 60)).toBe(big);
      expect(await c.get('big')).toBeNull();
      expect(await c.getOrCompute('big', compute, 60)).toBe(big);
      expect(computes).toBe(2); // computed again: nothing kept it
      expect(c.stats().l1Hits).toBe(0);
    });

    // --------------------------------------------------------------------------------------------------
    // Statistics
    // --------------------------------------------------------------------------------------------------

    it('flushes per-namespace statistics periodically and on close, losing nothing when the sink fails', async () => {
      const rows: CacheStatisticsRow[] = [];
      let failNext = true;
      const flushed = deferred();
      const c = cache({
        statsFlushIntervalMs: 60_000,
        statsSink: (batch) => {
          if (failNext) {
            failNext = false;
            throw new Error('insert failed');
          }
          rows.push(...batch);
          flushed.resolve();
        },
      });
      await c.set('a', 1, 60);
      await c.get('a');
      await c.get('b');
      await c.flushStats(); // the sink fails: counts stay
      expect(rows).toHaveLength(0);
      await c.flushStats();
      await flushed.promise;
      expect(rows).toEqual([
        expect.objectContaining({
          namespace: c.namespace,
          hits: 1,
          misses: 1,
          sets: 1,
          deletes: 0,
          errors: 0,
        }),
      ]);
      expect(Date.parse(rows[0]?.period_end ?? '')).toBeGreaterThanOrEqual(
        Date.parse(rows[0]?.period_start ?? ''),
      );
      await c.get('a');
      await c.close();
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ hits: 1, misses: 0, sets: 0 });
      expect(c.stats()).toMatchObject({ hits: 2, misses: 1, hitRatio: 2 / 3 });
    });

    it('flushes on its interval', async () => {
      const got = deferred<CacheStatisticsRow[]>();
      const c = cache({ statsFlushIntervalMs: 20, statsSink: (rows) => got.resolve(rows) });
      await c.get('x');
      const rows = await got.promise;
      expect(rows[0]).toMatchObject({ namespace: c.namespace, misses: 1 });
    });

    it('is a typed error, not a crash, to use a bad namespace or tag', async () => {
      expect(() => createCache({ store: h.store, namespace: 'has{brace}' })).toThrow(InvalidArgumentError);
      const err = await cache()
        .invalidateTags(['a{b'])
        .catch((e: unknown) => e);
      expect(isMentoraError(err)).toBe(true);
    });
  });
}
