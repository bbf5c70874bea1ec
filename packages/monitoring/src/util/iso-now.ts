let lastMs = 0;
let lastIso = '';
// One Date, moved to each new millisecond: no allocation per call, and no trip through a `Date`
// constructor a host may have wrapped (Next.js instruments `new Date()` on the request path).
const clock = new Date(0);

/**
 * The current time as an ISO 8601 string, formatted at most once per millisecond: metric rows and log
 * lines are stamped on the request path, often many in the same millisecond.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    clock.setTime(now);
    lastIso = clock.toISOString();
  }
  return lastIso;
}
