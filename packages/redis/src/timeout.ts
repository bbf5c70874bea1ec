/** Raised when a command got no answer in time (a hung connection, a stalled server). */
export class CommandTimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
    this.name = 'CommandTimeoutError';
  }
}

function expire(reject: (err: unknown) => void, ms: number): void {
  reject(new CommandTimeoutError(ms));
}

/**
 * Settles like `p`, or rejects with CommandTimeoutError after `ms`. `p` keeps its handlers, so its
 * late outcome is absorbed (never an unhandled rejection).
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(expire, ms, reject, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
