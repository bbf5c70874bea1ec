import { InvalidArgumentError } from '@mentora/errors';
import type { Logger } from '@mentora/monitoring';

export interface LifecycleOptions {
  /** Where hook failures and shutdown progress are logged. */
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Default bound of each shutdown hook (ms, default 5 000). */
  hookTimeoutMs?: number;
}

export interface ShutdownHookOptions {
  /** Shown in logs and in the shutdown report. */
  name?: string;
  /** This hook's bound (ms); default the lifecycle's `hookTimeoutMs`. */
  timeoutMs?: number;
}

export interface ShutdownOptions {
  /** How long in-flight requests may take to finish (ms, default 10 000). */
  timeoutMs?: number;
}

export interface ShutdownReport {
  /** Requests still running when the drain deadline passed (0 when all finished). */
  abandonedRequests: number;
  hooks: Array<{ name: string; status: 'ok' | 'error' | 'timeout' }>;
}

export interface Lifecycle {
  /** True from the moment `shutdown()` is called: readiness is false and new requests get 503. */
  readonly draining: boolean;
  /** Requests currently inside a `withInfrastructure` handler. */
  readonly inFlight: number;
  /** Registers a request; returns its release function, or `undefined` while draining (answer 503). */
  enter(): (() => void) | undefined;
  /**
   * Adds a hook run once by `shutdown()`, after in-flight requests finished. Hooks run in reverse
   * order of registration (the last client opened is closed first), one at a time, each bounded; a
   * failing hook is logged and the next one still runs. Returns a function that removes the hook.
   */
  onShutdown(hook: () => unknown, options?: ShutdownHookOptions): () => void;
  /** Drains and runs the hooks. Idempotent: later calls get the first call's promise. Never rejects. */
  shutdown(options?: ShutdownOptions): Promise<ShutdownReport>;
}

interface Hook {
  fn: () => unknown;
  name: string;
  timeoutMs: number;
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InvalidArgumentError(`${name} must be a non-negative number, got ${value}`, { argument: name });
  }
  return value;
}

/** Resolves `true` when `promise` settles first, `false` when `ms` passed first. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
        timer.unref?.();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Graceful shutdown for a server process: counts in-flight requests (withInfrastructure registers
 * each one), refuses new ones while draining, waits for the running ones (bounded), then runs the
 * registered hooks — flush logs, metrics, Sentry, cache statistics and violations; close clients.
 */
export function createLifecycle(options: LifecycleOptions = {}): Lifecycle {
  const logger = options.logger;
  const defaultHookTimeout = positive(options.hookTimeoutMs ?? 5_000, 'hookTimeoutMs');
  const hooks: Hook[] = [];
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let shutdownPromise: Promise<ShutdownReport> | undefined;

  const release = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };

  async function run(timeoutMs: number): Promise<ShutdownReport> {
    logger?.info('shutdown started', { inFlight });
    let abandonedRequests = 0;
    if (inFlight > 0) {
      const drained = new Promise<void>((resolve) => {
        idle = resolve;
      });
      if (!(await within(drained, timeoutMs))) {
        abandonedRequests = inFlight;
        logger?.warn('shutdown: requests still running at the drain deadline', { inFlight, timeoutMs });
      }
    }
    const report: ShutdownReport = { abandonedRequests, hooks: [] };
    for (const hook of [...hooks].reverse()) {
      let status: 'ok' | 'error' | 'timeout' = 'ok';
      try {
        const done = await within(Promise.resolve().then(hook.fn), hook.timeoutMs);
        if (!done) {
          status = 'timeout';
          logger?.warn('shutdown hook timed out', { hook: hook.name, timeoutMs: hook.timeoutMs });
        }
      } catch (error) {
        status = 'error';
        logger?.error('shutdown hook failed', { hook: hook.name, error });
      }
      report.hooks.push({ name: hook.name, status });
    }
    logger?.info('shutdown finished', { abandonedRequests });
    return report;
  }

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    enter() {
      if (draining) return undefined;
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
    onShutdown(fn, hookOptions = {}) {
      if (typeof fn !== 'function') {
        throw new InvalidArgumentError('onShutdown: hook must be a function', { argument: 'hook' });
      }
      const hook: Hook = {
        fn,
        name: hookOptions.name ?? `hook-${hooks.length + 1}`,
        timeoutMs: positive(hookOptions.timeoutMs ?? defaultHookTimeout, 'timeoutMs'),
      };
      hooks.push(hook);
      return () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
    shutdown(shutdownOptions = {}) {
      if (shutdownPromise) return shutdownPromise;
      const timeoutMs = positive(shutdownOptions.timeoutMs ?? 10_000, 'timeoutMs');
      draining = true;
      shutdownPromise = run(timeoutMs);
      return shutdownPromise;
    },
  };
}

export interface ShutdownOnSignalsOptions extends ShutdownOptions {
  /** Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /** Exit the process when the shutdown finished (default true; exit code 0, or 1 if a hook failed). */
  exit?: boolean;
}

/**
 * Runs `lifecycle.shutdown()` on the first of `signals` and then exits. A second signal while shutting
 * down exits at once (an operator pressing Ctrl-C twice means it). Returns a function removing the
 * listeners. For node processes (the Next.js server started by `next start`, the worker).
 */
export function shutdownOnSignals(lifecycle: Lifecycle, options: ShutdownOnSignalsOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? true;
  let started = false;
  const onSignal = () => {
    if (started) {
      if (exit) process.exit(130);
      return;
    }
    started = true;
    const shutdownOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
    void lifecycle.shutdown(shutdownOptions).then((report) => {
      if (!exit) return;
      const failed = report.hooks.some((h) => h.status !== 'ok') || report.abandonedRequests > 0;
      process.exit(failed ? 1 : 0);
    });
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
