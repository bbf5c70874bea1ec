let lastMs = 0;
let lastIso = '';

/**
 * The current time as an ISO 8601 string, formatted at most once per millisecond: metric rows and log
 * lines are stamped on the request path, often many in the same millisecond.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
