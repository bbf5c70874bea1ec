import type { MentoraError } from '@mentora/errors';
import { Command } from 'ioredis';
import type { Guard } from './guard.ts';

/** An argument of a command: what ioredis sends as a bulk string. */
export type RedisArg = string | number | Buffer;

/** The reply handling of a command built here: text (UTF-8) or raw bytes. */
const TEXT = { replyEncoding: 'utf8' } as const;
const BYTES = { replyEncoding: null } as const;

/**
 * The commands of one named operation (`get`, `set`, `ratelimit`...), all guarded the same way: the
 * circuit breaker's gate, then a bounded wait for the first connection (never a queue), then the deadline,
 * and the outcome reported to the breaker. Failures reject with typed errors whose `context.op` is the name.
 * Handlers are built once per operation, so the hot path allocates no closure.
 */
export class RedisOp {
  readonly name: string;
  readonly #guard: Guard;
  /** Turns a failure into the typed error (and reports it): for the watchdog's wrapper promises. */
  readonly #toError: (err: unknown) => MentoraError;
  /** The same, thrown: the rejection handler of a command's promise. */
  readonly #fail: (err: unknown) => never;

  constructor(guard: Guard, name: string) {
    this.#guard = guard;
    this.name = name;
    this.#toError = (err) => guard.failure(name, err);
    this.#fail = (err) => {
      throw guard.failure(name, err);
    };
  }

  /** Sends whatever `send` sends (a script, a pipeline, a library's own call), guarded. */
  run<T>(send: () => Promise<T>): Promise<T> {
    const g = this.#guard;
    if (!g.breaker.allow()) return Promise.reject(g.circuitOpen(this.name));
    if (g.client.status !== 'ready') return g.notReady(this.name, () => this.watch(send()));
    return this.watch(send());
  }

  /** One command with a text reply. The hottest path: the command is built here and tracked directly. */
  call<T = string | null>(command: string, args: RedisArg[]): Promise<T> {
    return this.#call<T>(command, args, TEXT);
  }

  /** One command with a binary reply (Buffer), e.g. GET of an encoded value. */
  callBuffer<T = Buffer | null>(command: string, args: RedisArg[]): Promise<T> {
    return this.#call<T>(command, args, BYTES);
  }

  #call<T>(command: string, args: RedisArg[], reply: typeof TEXT | typeof BYTES): Promise<T> {
    const g = this.#guard;
    if (!g.breaker.allow()) return Promise.reject(g.circuitOpen(this.name));
    if (g.client.status !== 'ready') return g.notReady(this.name, () => this.#send<T>(command, args, reply));
    return this.#send<T>(command, args, reply);
  }

  #send<T>(command: string, args: RedisArg[], reply: typeof TEXT | typeof BYTES): Promise<T> {
    const g = this.#guard;
    const deadlines = g.deadlines;
    if (g.ownCommands && deadlines !== undefined) {
      // Our own Command, and the caller gets ioredis's own promise: no wrapper, no extra `then` (each
      // costs a promise and a microtask per command, measurable against a loopback round trip). The
      // outcome is accounted where ioredis settles the command, through its resolve/reject (the same
      // ones its own commandTimeout uses), so a failure already rejects with the typed error, and the
      // watchdog rejects a late command directly.
      const cmd = new Command(command, args, reply);
      const resolve = cmd.resolve;
      const reject = cmd.reject;
      cmd.resolve = (value) => {
        g.breaker.success();
        return resolve(value);
      };
      cmd.reject = (err) => reject(g.failure(this.name, err));
      g.client.sendCommand(cmd);
      deadlines.track(cmd);
      return cmd.promise as Promise<T>;
    }
    const c = g.client as unknown as Record<'call' | 'callBuffer', (...a: unknown[]) => Promise<T>>;
    return this.watch(reply === BYTES ? c.callBuffer(command, ...args) : c.call(command, ...args));
  }

  /**
   * Bounds and types a command already sent on some connection of this client (a SCAN on one master, a
   * pipeline's exec): no gate, but the deadline and the breaker's accounting.
   */
  watch<T>(sent: Promise<T>): Promise<T> {
    const g = this.#guard;
    const d = g.deadlines;
    return d === undefined ? sent.then(g.onOk, this.#fail) : d.watch(sent, g.onSuccess, this.#toError);
  }

  /** The typed error for a failure seen outside `run`/`call` (e.g. one entry of a pipeline). */
  failure(err: unknown): MentoraError {
    return this.#toError(err);
  }
}
