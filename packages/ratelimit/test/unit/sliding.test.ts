import { describe, expect, it } from 'vitest';
import { type SlidingState, slidingWindowDecide } from '../../src/sliding.ts';

const D = 10_000;
const L = 10;
const T0 = 1_000 * D; // an aligned window start

/** Runs requests through the reference decision, keeping state like a store would. */
function simulator(limit = L, windowMs = D) {
  let state: SlidingState | undefined;
  return (now: number, cost = 1) => {
    const d = slidingWindowDecide(state, now, windowMs, limit, cost);
    if (d.next) state = d.next;
    return d;
  };
}

describe('slidingWindowDecide', () => {
  it('admits `limit` in a fresh window and reports the rest', () => {
    const hit = simulator();
    for (let i = 1; i <= L; i++) {
      const d = hit(T0 + i);
      expect(d.allowed).toBe(true);
      expect(d.consumed).toBe(i);
      expect(d.msBeforeNext).toBe(D - i);
    }
    const denied = hit(T0 + 20);
    expect(denied.allowed).toBe(false);
    expect(denied.consumed).toBe(L + 1);
  });

  it('weights the previous window by the part still inside the sliding window', () => {
    const hit = simulator();
    for (let i = 0; i < L; i++) hit(T0);
    // Next window starts: estimate = 10 × (D − e)/D. At e = D/2 it is 5, so 5 more fit.
    const half = T0 + D + D / 2;
    const admitted = Array.from({ length: 8 }, () => hit(half).allowed).filter(Boolean).length;
    expect(admitted).toBe(5);
  });

  it('tells exactly when the next request fits, and denials consume nothing', () => {
    const hit = simulator();
    for (let i = 0; i < L; i++) hit(T0);
    const start = T0 + D; // e = 0, p = 10: a request fits once 10 × (D − e)/D ≤ 9 → e ≥ D/10
    const denied = hit(start);
    expect(denied.allowed).toBe(false);
    expect(denied.msBeforeNext).toBe(D / 10);
    expect(denied.msBeforeAny).toBe(D / 10);
    // Hammering while denied changes nothing (denials are not counted).
    for (let i = 0; i < 50; i++) expect(hit(start + D / 10 - 1).allowed).toBe(false);
    const ok = hit(start + D / 10);
    expect(ok.allowed).toBe(true);
    expect(ok.consumed).toBe(L);
  });

  it('gives a later retry time to a larger cost than to a single unit', () => {
    const hit = simulator();
    for (let i = 0; i < 8; i++) hit(T0);
    const big = hit(T0 + 1, 5); // 8 + 5 > 10 → only in the next window, where p = 8 weighs in
    expect(big.allowed).toBe(false);
    expect(big.msBeforeAny).toBe(0); // a single unit still fits now
    // next window: 8 × (D − e)/D + 5 ≤ 10 → e ≥ D − floor(5D/8)
    expect(big.msBeforeNext).toBe(D - 1 + (D - Math.floor((5 * D) / 8)));
    expect(hit(T0 + 2).allowed).toBe(true);
  });

  it('forgets everything after two idle windows', () => {
    const hit = simulator();
    for (let i = 0; i < L; i++) hit(T0);
    expect(hit(T0 + 2 * D).consumed).toBe(1);
  });

  it('stays in the stored window when the clock goes backwards (never looser)', () => {
    const hit = simulator();
    for (let i = 0; i < L; i++) hit(T0 + D + 5);
    const back = hit(T0 + 5); // earlier window index than stored
    expect(back.allowed).toBe(false);
  });

  it('never admits more than limit per aligned window nor 2 × limit in any window-long span', () => {
    // Deterministic pseudo-random traffic (LCG), bursts included.
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const hit = simulator();
    const admitted: number[] = [];
    let t = T0;
    for (let i = 0; i < 20_000; i++) {
      t += rand() < 0.1 ? Math.floor(rand() * 3_000) : Math.floor(rand() * 50);
      const cost = rand() < 0.1 ? 3 : 1;
      if (hit(t, cost).allowed) for (let k = 0; k < cost; k++) admitted.push(t);
    }
    const perWindow = new Map<number, number>();
    for (const at of admitted)
      perWindow.set(Math.floor(at / D), (perWindow.get(Math.floor(at / D)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(L);
    let lo = 0;
    let worst = 0;
    for (let hi = 0; hi < admitted.length; hi++) {
      while ((admitted[hi] as number) - (admitted[lo] as number) >= D) lo++;
      worst = Math.max(worst, hi - lo + 1);
    }
    expect(worst).toBeLessThanOrEqual(2 * L);
    expect(worst).toBeGreaterThan(L); // the approximation is not exact: the test can tell
  });

  it('converges to the limit under steady traffic', () => {
    const hit = simulator(100, 60_000);
    let allowed = 0;
    // 10 requests/s for 10 minutes against 100/min: about 100 per minute get through.
    for (let t = 0; t < 600_000; t += 100) if (hit(T0 * 6 + t).allowed) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(990);
    expect(allowed).toBeLessThanOrEqual(1_010);
  });
});
