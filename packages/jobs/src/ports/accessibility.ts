/** Tells whether a video's URL still serves the video (the weekly content health check). */
export interface VideoAccessibilityChecker {
  isAccessible(videoUrl: string, signal?: AbortSignal): Promise<boolean>;
}

/**
 * The local checker: every URL is reachable unless it is listed in `unreachable` (or `isUnreachable`
 * says so). No network.
 */
export function createLocalAccessibilityChecker(
  options: { unreachable?: Iterable<string>; isUnreachable?: (url: string) => boolean } = {},
): VideoAccessibilityChecker {
  const unreachable = new Set(options.unreachable ?? []);
  return {
    async isAccessible(url) {
      return !(unreachable.has(url) || options.isUnreachable?.(url));
    },
  };
}

/**
 * Checks with an HTTP HEAD request (falling back to a one-byte ranged GET when HEAD is refused): 2xx/3xx
 * is accessible; 4xx/5xx, a network error or no answer within `timeoutMs` is not.
 */
export function createHttpAccessibilityChecker(
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): VideoAccessibilityChecker {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async isAccessible(url, signal) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
      try {
        let res = await doFetch(url, { method: 'HEAD', redirect: 'follow', signal: combined });
        if (res.status === 405 || res.status === 501) {
          res = await doFetch(url, { headers: { range: 'bytes=0-0' }, redirect: 'follow', signal: combined });
          await res.body?.cancel();
        }
        return res.status < 400;
      } catch {
        return false;
      }
    },
  };
}
