import type { Logger } from '@mentora/monitoring';

export interface CapturedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that records instead of printing, so tests can assert that failures were logged. */
export function captureLogger(): Logger & { logs: CapturedLog[] } {
  const logs: CapturedLog[] = [];
  const logger: Logger & { logs: CapturedLog[] } = {
    logs,
    debug: (message, meta) => logs.push({ level: 'debug', message, meta }),
    info: (message, meta) => logs.push({ level: 'info', message, meta }),
    warn: (message, meta) => logs.push({ level: 'warn', message, meta }),
    error: (message, meta) => logs.push({ level: 'error', message, meta }),
    child: () => logger,
  };
  return logger;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `check` is true. The limit is a hang guard, not something a passing run relies on. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, limitMs = 30_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

let counter = 0;
/** A namespace no other test (or earlier run against the same server) uses. */
export function uniqueNamespace(label = 'ns'): string {
  counter++;
  return `t-${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
