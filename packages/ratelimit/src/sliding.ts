/**
 * Sliding window, two-window weighted approximation (the algorithm Cloudflare and Upstash use).
 *
 * Time is cut into aligned windows of D ms (window index = floor(now / D)). Per key we keep the count of
 * the current window `c` and of the previous one `p`. At elapsed time e into the current window the
 * estimated count over the last D ms is
 *
 *     estimate = p × (D − e) / D + c
 *
 * i.e. the previous window's requests are assumed to be spread evenly and only the part still inside the
 * sliding window is counted. A request of `cost` is admitted iff estimate + cost ≤ limit, computed in
 * integers as (c + cost)·D + p·(D − e) ≤ limit·D. Denied requests consume nothing.
 *
 * Accuracy (see README): inside one aligned window at most `limit` units are ever admitted. Over an
 * arbitrary trailing D-long span the true count is estimate + error, where the error is the difference
 * between where the previous window's p requests really were and the even spread assumed:
 *   - over-admission: at most p·e/D extra (all of p at the very end of the previous window), so never
 *     more than 2 × limit in any D-long span — the fixed window's bound, reached only by adversarial
 *     timing, while the fixed window reaches it with any burst at a boundary;
 *   - under-admission: at most p·(D − e)/D too few (all of p at the very start of the previous window).
 * Both vanish for uniform traffic, where the admitted rate converges to limit / D.
 *
 * This module is the reference implementation: the memory store runs it directly and the Redis Lua
 * scripts in sliding-lua.ts take the same decisions (the tests check them against it step by step).
 */

export interface SlidingState {
  /** Window index the counts belong to. */
  w: number;
  /** Count in window w. */
  c: number;
  /** Count in window w − 1. */
  p: number;
}

export interface SlidingDecision {
  allowed: boolean;
  /** ceil(estimate) after the request (allowed) or with it (denied, then > limit). */
  consumed: number;
  /** Allowed: ms to the end of the current window. Denied: ms until a request of this cost fits. */
  msBeforeNext: number;
  /** Denied: ms until a request of cost 1 fits (0 if one fits now). Allowed: 0. */
  msBeforeAny: number;
  /** State to store when allowed (denials change nothing). */
  next: SlidingState | undefined;
  /** How long the stored state matters: to the end of the next window. */
  ttlMs: number;
}

function waitFor(cost: number, c: number, p: number, e: number, D: number, limit: number): number {
  if (cost > limit) return 2 * D - e;
  if (c + cost <= limit) {
    // Fits in this window once enough of the previous window's weight has slid out.
    if (p === 0) return 0;
    const need = D - Math.floor(((limit - c - cost) * D) / p);
    return Math.max(0, need - e);
  }
  // Only in the next window, where this window's count becomes the weighted previous (c > 0 here).
  const need = D - Math.floor(((limit - cost) * D) / c);
  return D - e + need;
}

export function slidingWindowDecide(
  state: SlidingState | undefined,
  nowMs: number,
  windowMs: number,
  limit: number,
  cost: number,
): SlidingDecision {
  const D = windowMs;
  let w = Math.floor(nowMs / D);
  let e = nowMs - w * D;
  let c = 0;
  let p = 0;
  if (state !== undefined) {
    if (state.w === w) {
      c = state.c;
      p = state.p;
    } else if (state.w === w - 1) {
      p = state.c;
    } else if (state.w > w) {
      // The clock went back (e.g. failover to a host whose clock is behind): stay in the stored window
      // and assume it just started, which can only make the limiter stricter.
      w = state.w;
      e = 0;
      c = state.c;
      p = state.p;
    }
  }
  const weighted = p * (D - e);
  if ((c + cost) * D + weighted <= limit * D) {
    c += cost;
    return {
      allowed: true,
      consumed: Math.ceil((c * D + weighted) / D),
      msBeforeNext: D - e,
      msBeforeAny: 0,
      next: { w, c, p },
      ttlMs: 2 * D - e,
    };
  }
  return {
    allowed: false,
    consumed: Math.ceil(((c + cost) * D + weighted) / D),
    msBeforeNext: Math.max(1, waitFor(cost, c, p, e, D, limit)),
    msBeforeAny: waitFor(1, c, p, e, D, limit),
    next: undefined,
    ttlMs: 2 * D - e,
  };
}
