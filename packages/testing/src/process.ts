import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A tiny watchdog that sits between us and the service process. It is what makes "nothing leaks
 * when a test run crashes" true even for SIGKILL or an OOM of the parent: the watchdog holds an
 * IPC channel to the parent, and the kernel closes that channel whenever the parent dies, however
 * it dies. On 'disconnect' the watchdog kills the service's whole process group and exits.
 *
 * The service runs in its own process group (detached) so that a signal reaches every process it
 * forks (postgres backends, for instance), and so a Ctrl-C in the terminal does not kill it
 * behind our back. Inlined as a string so the harness stays self-contained when bundled.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');
const spec = JSON.parse(process.argv[1]);
const child = spawn(spec.command, spec.args, {
  cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true,
  uid: spec.uid, gid: spec.gid,
});
let exited = false;
let orphaned = false;
const killGroup = (signal) => {
  if (exited || child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch {} }
};
let killTimer;
const shutdown = (signal, graceMs) => {
  killGroup(signal);
  if (!killTimer) {
    killTimer = setTimeout(() => killGroup('SIGKILL'), graceMs);
  }
};
child.on('error', (error) => {
  process.stderr.write('[watchdog] could not start ' + spec.command + ': ' + error.message + '\\n');
  exited = true;
  if (process.connected) process.send({ type: 'spawn-error', message: error.message, code: error.code });
  setImmediate(() => process.exit(127));
});
child.on('spawn', () => { if (process.connected) process.send({ type: 'spawned', pid: child.pid }); });
child.on('exit', (code, signal) => {
  exited = true;
  clearTimeout(killTimer);
  // Sweep up anything the service forked and left behind in its group.
  try { process.kill(-child.pid, 'SIGKILL'); } catch {}
  if (process.connected) process.send({ type: 'exit', code, signal });
  // Our parent is gone, so nobody else will remove the temp data and log dirs.
  if (orphaned) for (const path of spec.removeWhenOrphaned) { try { rmSync(path, { recursive: true, force: true }); } catch {} }
  setImmediate(() => process.exit(code ?? 1));
});
process.on('message', (message) => {
  if (message && message.type === 'stop') shutdown(message.signal, message.graceMs);
});
process.on('disconnect', () => { orphaned = true; shutdown(spec.stopSignal, spec.graceMs); });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => shutdown(spec.stopSignal, spec.graceMs));
`;

export interface StartProcessOptions {
  /** Short name used in log file names and error messages. */
  name: string;
  command: string;
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run the service as this uid/gid (root only): Postgres refuses to run as root. */
  uid?: number;
  gid?: number;
  /** Resolves true once the service answers. Polled until true; the process exiting fails the start. */
  ready: () => Promise<boolean>;
  /** Hang guard for readiness, not a timing assertion. Default 60 s. */
  readyTimeoutMs?: number;
  /** Interval between readiness probes. Default 25 ms. */
  probeIntervalMs?: number;
  /** Signal that asks the service to shut down cleanly. Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** After this long the whole process group gets SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /** Directory for the log file; a fresh temp dir by default (removed on stop when we created it). */
  logDir?: string;
  /** Paths the watchdog deletes if our process dies without stopping the service (temp data dirs). */
  removeWhenOrphaned?: readonly string[];
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  /** pid of the service process itself. */
  readonly pid: number;
  /** pid of the watchdog that owns it (what an external `down` kills). */
  readonly watchdogPid: number;
  /** File that receives the service's stdout and stderr. */
  readonly logFile: string;
  /** Settles when the service has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  readLogs(): Promise<string>;
  /** Asks the service to stop, escalates to SIGKILL after stopTimeoutMs, resolves once it is gone. */
  stop(): Promise<void>;
  /** Sends a signal to the service process (e.g. SIGUSR1 to reload PostgREST's schema cache). */
  signal(signal: NodeJS.Signals): void;
}

/** Error for a service that failed to come up; carries its log so the cause is visible in the test output. */
export class ServiceStartError extends Error {
  readonly code = 'SERVICE_START_FAILED';
  readonly service: string;
  readonly logs: string;
  constructor(service: string, reason: string, logs: string, options?: { cause?: unknown }) {
    const tail = logs.trim().split('\n').slice(-30).join('\n');
    super(`${service} did not start: ${reason}${tail ? `\n--- last log lines ---\n${tail}` : ''}`, options);
    this.name = 'ServiceStartError';
    this.service = service;
    this.logs = logs;
  }
}

async function readTail(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.length > 64_000 ? text.slice(-64_000) : text;
  } catch {
    return '';
  }
}

type WatchdogMessage =
  | { type: 'spawned'; pid: number }
  | { type: 'spawn-error'; message: string; code?: string }
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/**
 * One readiness probe, but false as soon as the process exits or the deadline passes: a probe that
 * never settles (it reached another process that took the port and does not answer) must not hide
 * either. The losing promises settle later into Promise.race's own handlers, never unhandled.
 */
async function probeUntil(
  ready: () => Promise<boolean>,
  exited: Promise<ProcessExit>,
  deadline: number,
): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      ready(),
      exited.then(() => false),
      sleep(Math.max(0, deadline - Date.now()), false, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
}

/**
 * Starts a service process behind a watchdog, with stdout/stderr in a log file, and resolves once
 * `ready()` says it answers. Fails fast (with the log tail) if the process exits first.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const ownLogDir = options.logDir === undefined;
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), `mentora-${options.name}-log-`)));
  const logFile = join(logDir, `${options.name}.log`);
  const logFd = openSync(logFile, 'a');
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const graceMs = options.stopTimeoutMs ?? 10_000;
  const spec = {
    command: options.command,
    args: options.args ?? [],
    cwd: options.cwd,
    env: Object.fromEntries(
      Object.entries(options.env ?? process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ),
    uid: options.uid,
    gid: options.gid,
    stopSignal,
    graceMs,
    removeWhenOrphaned: [...(options.removeWhenOrphaned ?? []), ...(ownLogDir ? [logDir] : [])],
  };

  let watchdog: ChildProcess;
  try {
    watchdog = spawn(process.execPath, ['-e', WATCHDOG, JSON.stringify(spec)], {
      stdio: ['ignore', logFd, logFd, 'ipc'],
      detached: true,
      // The watchdog must not inherit loaders or test flags from the parent (vitest, tsx, ...).
      env: { PATH: process.env.PATH ?? '' },
    });
  } finally {
    closeSync(logFd);
  }

  let servicePid: number | undefined;
  let exitInfo: ProcessExit | undefined;
  let spawnError: { message: string; code?: string } | undefined;
  let resolveExit!: (exit: ProcessExit) => void;
  const exited = new Promise<ProcessExit>((resolve) => {
    resolveExit = resolve;
  });
  const onExit = (exit: ProcessExit) => {
    if (exitInfo) return;
    exitInfo = exit;
    resolveExit(exit);
  };
  watchdog.on('message', (message: WatchdogMessage) => {
    if (message.type === 'spawned') servicePid = message.pid;
    else if (message.type === 'spawn-error') spawnError = message;
    else if (message.type === 'exit') onExit({ code: message.code, signal: message.signal });
  });
  // If the watchdog itself dies (e.g. SIGKILLed by a `down`), the service died with it or will.
  watchdog.on('exit', (code, signal) => onExit({ code, signal }));
  // Neither the watchdog nor its channel may keep a test runner's event loop alive.
  watchdog.unref();
  (watchdog.channel as { unref?: () => void } | undefined)?.unref?.();

  const cleanupLogDir = async () => {
    if (ownLogDir) await rm(logDir, { recursive: true, force: true }).catch(() => {});
  };

  const stop = async (): Promise<void> => {
    if (!exitInfo) {
      if (watchdog.connected) watchdog.send({ type: 'stop', signal: stopSignal, graceMs });
      else if (watchdog.pid !== undefined) process.kill(watchdog.pid, 'SIGTERM');
      // Hang guard beyond the watchdog's own SIGKILL escalation: kill the group directly.
      const guard = setTimeout(() => {
        for (const pid of [servicePid, watchdog.pid]) {
          if (pid === undefined) continue;
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {}
        }
      }, graceMs + 5_000);
      await exited;
      clearTimeout(guard);
    }
    await cleanupLogDir();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  const interval = options.probeIntervalMs ?? 25;
  let probeError: unknown;
  for (;;) {
    if (exitInfo || spawnError) {
      const logs = await readTail(logFile);
      await cleanupLogDir();
      const reason = spawnError
        ? `could not execute ${options.command}: ${spawnError.message}`
        : `process exited (code ${exitInfo?.code}, signal ${exitInfo?.signal}) before it was ready`;
      throw new ServiceStartError(options.name, reason, logs);
    }
    if (servicePid !== undefined) {
      try {
        if (await probeUntil(options.ready, exited, deadline)) break;
      } catch (error) {
        probeError = error;
      }
    }
    if (Date.now() > deadline) {
      const logs = await readTail(logFile);
      await stop();
      throw new ServiceStartError(options.name, 'not ready before the start timeout', logs, {
        cause: probeError,
      });
    }
    await sleep(interval);
  }

  const pid = servicePid as number;
  return {
    name: options.name,
    pid,
    watchdogPid: watchdog.pid as number,
    logFile,
    exited,
    isRunning: () => exitInfo === undefined,
    readLogs: () => readTail(logFile),
    stop,
    signal(signal) {
      if (!exitInfo) process.kill(pid, signal);
    },
  };
}
