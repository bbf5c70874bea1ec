// Violations must not be lost at close: a slow sink (a database write of 20 ms) and many violating
// identities at shutdown. Every denial counted in memory reaches the sink, for every identity.
import { createStaticFeatureFlags } from '@mentora/config';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, createRateLimiter, type RateLimitViolation } from '../src/index.ts';

const IDENTITIES = 1_000;
const DENIALS_EACH = 3;
const LIMIT = 10; // basic plan, chat: 10 per minute

/** A sink whose every write takes `ms` (a database round trip); what it finished writing is `delivered`. */
function slowSink(ms: number) {
  const delivered: RateLimitViolation[] = [];
  let calls = 0;
  const write = (rows: RateLimitViolation[]) =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        delivered.push(...rows);
        resolve();
      }, ms),
    );
  return {
    delivered,
    calls: () => calls,
    single: {
      record(v: RateLimitViolation) {
        calls++;
        return write([v]);
      },
    },
    multi: {
      record(v: RateLimitViolation) {
        calls++;
        return write([v]);
      },
      recordMany(vs: RateLimitViolation[]) {
        calls++;
        return write(vs);
      },
    },
  };
}

async function flood(sink: { record(v: RateLimitViolation): unknown }) {
  const rl = createRateLimiter({
    store: createMemoryStore(),
    flags: createStaticFeatureFlags(),
    violationSink: sink as never,
    // A hang guard for the test only: the default deadline (5 s) is what the library promises; the
    // assertions must not depend on how fast this shared machine is.
    violationCloseTimeoutMs: 120_000,
  });
  for (let who = 0; who < IDENTITIES; who++) {
    for (let i = 0; i < LIMIT + DENIALS_EACH; i++) await rl.checkRateLimit(`user-${who}`, 'chat');
  }
  await rl.close();
  return rl;
}

function summary(delivered: RateLimitViolation[]) {
  const perIdentity = new Map<string, number>();
  for (const v of delivered) perIdentity.set(v.identity, (perIdentity.get(v.identity) ?? 0) + v.delta);
  return {
    identities: perIdentity.size,
    denials: [...perIdentity.values()].reduce((a, b) => a + b, 0),
    exact: [...perIdentity.values()].every((n) => n === DENIALS_EACH),
  };
}

describe('violations at close', () => {
  it(`${IDENTITIES} violating identities and a 20 ms sink: close() delivers all ${IDENTITIES * DENIALS_EACH} denials`, async () => {
    const sink = slowSink(20);
    const rl = await flood(sink.single);
    expect(summary(sink.delivered)).toEqual({
      identities: IDENTITIES,
      denials: IDENTITIES * DENIALS_EACH,
      exact: true,
    });
    expect(rl.stats().violationsDropped).toBe(0);
    expect(rl.stats().sinkErrors).toBe(0);
  }, 180_000);

  it('a sink with recordMany gets the aggregates left at close in multi-row calls', async () => {
    const sink = slowSink(20);
    const rl = await flood(sink.multi);
    expect(summary(sink.delivered)).toEqual({
      identities: IDENTITIES,
      denials: IDENTITIES * DENIALS_EACH,
      exact: true,
    });
    expect(rl.stats().violationsDropped).toBe(0);
    // Interim reports go one by one as denials happen; the final ones of 1,000 identities do not take
    // 1,000 more calls.
    const interim = sink.delivered.filter((v) => v.count < DENIALS_EACH).length;
    expect(sink.calls() - interim).toBeLessThan(50);
  }, 180_000);
});
