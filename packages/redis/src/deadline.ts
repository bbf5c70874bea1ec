import { CommandTimeoutError } from './timeout.ts';

interface Pending {
  reject: (err: unknown) => void;
  toError: (err: unknown) => unknown;
  /** The watchdog period in which the command started. */
  epoch: number;
  prev: Pending | undefined;
  next: Pending | undefined;
  done: boolean;
}

/** An ioredis Command, as far as the watchdog needs it. */
export interface Rejectable {
  readonly isSettled: boolean;
  reject(err: Error): void;
}

/**
 * Deadlines for commands of a client that has no `commandTimeout` of its own, without a timer per
 * command (a setTimeout/clearTimeout pair costs about as much as the rest of a cache hit). One interval
 * ticks every `timeoutMs / 4` and fails commands that started at least 4 ticks earlier, so a hung command
 * fails after between 1× and 1.25× the timeout. The interval runs only while commands are in flight and
 * never keeps the process alive. Two ways in:
 * - `track(command)`: the hot path. The caller builds the ioredis Command itself; a late one is rejected
 *   directly (as ioredis's own `commandTimeout` does), so the caller's promise is ioredis's, unwrapped.
 * - `watch(promise, …)`: anything else (scripts, pipelines, cluster fan-outs), through a wrapper promise.
 */
export class DeadlineWatch {
  private tracked: Rejectable[] = [];
  private trackedEpochs: number[] = [];
  private compactAt = 1024;
  private head: Pending | undefined;
  private tail: Pending | undefined;
  private epoch = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly periodMs: number;
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
    this.periodMs = Math.max(1, Math.ceil(timeoutMs / 4));
  }

  /**
   * Settles like `p` (its value after `onValue`, its error through `toError`), or rejects with
   * `toError(CommandTimeoutError)` once the deadline passed. A late outcome of `p` is absorbed.
   */
  watch<T>(p: Promise<T>, onValue: () => void, toError: (err: unknown) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const rec: Pending = {
        reject,
        toError,
        epoch: this.epoch,
        prev: this.tail,
        next: undefined,
        done: false,
      };
      if (this.tail === undefined) this.head = rec;
      else this.tail.next = rec;
      this.tail = rec;
      if (this.timer === undefined) this.start();
      p.then(
        (value) => {
          if (rec.done) return;
          this.unlink(rec);
          onValue();
          resolve(value);
        },
        (err: unknown) => {
          if (rec.done) return;
          this.unlink(rec);
          reject(toError(err));
        },
      );
    });
  }

  /** Puts a sent ioredis command under the deadline: no allocation beyond two array slots. */
  track(command: Rejectable): void {
    this.tracked.push(command);
    this.trackedEpochs.push(this.epoch);
    if (this.timer === undefined) this.start();
    // Amortised O(1): drop answered commands once the arrays have doubled since the last compaction.
    if (this.tracked.length >= this.compactAt) {
      this.sweep(false);
      this.compactAt = Math.max(1024, this.tracked.length * 2);
    }
  }

  /** Keeps unanswered commands; with `expire`, fails those past their deadline. */
  private sweep(expire: boolean): void {
    const cmds = this.tracked;
    const epochs = this.trackedEpochs;
    const keptCmds: Rejectable[] = [];
    const keptEpochs: number[] = [];
    for (let i = 0; i < cmds.length; i++) {
      const cmd = cmds[i] as Rejectable;
      if (cmd.isSettled) continue;
      const epoch = epochs[i] as number;
      if (expire && this.epoch - epoch > 4) {
        cmd.reject(new CommandTimeoutError(this.timeoutMs));
        continue;
      }
      keptCmds.push(cmd);
      keptEpochs.push(epoch);
    }
    this.tracked = keptCmds;
    this.trackedEpochs = keptEpochs;
  }

  private unlink(rec: Pending): void {
    rec.done = true;
    if (rec.prev === undefined) this.head = rec.next;
    else rec.prev.next = rec.next;
    if (rec.next === undefined) this.tail = rec.prev;
    else rec.next.prev = rec.prev;
    rec.prev = rec.next = undefined;
  }

  private start(): void {
    const timer = setInterval(() => this.tick(), this.periodMs);
    timer.unref();
    this.timer = timer;
  }

  private tick(): void {
    this.epoch++;
    if (this.tracked.length > 0) this.sweep(true);
    if (this.head === undefined && this.tracked.length === 0) {
      // Idle: stop until the next command (restarting costs one setInterval per idle period, not per call).
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    // Oldest first: stop at the first command still within its deadline.
    while (this.head !== undefined && this.epoch - this.head.epoch > 4) {
      const rec = this.head;
      this.unlink(rec);
      rec.reject(rec.toError(new CommandTimeoutError(this.timeoutMs)));
    }
  }

  /** Rejects nothing; forgets the timer (the store is closing). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
