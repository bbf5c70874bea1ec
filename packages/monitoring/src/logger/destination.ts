import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import TransportStream from 'winston-transport';

const MESSAGE = Symbol.for('message');

/** Where lines go: a stream you own (stdout, a socket) or a file this logger opens and closes. */
export type LogDestination = Writable | { file: string };

/** Lines are joined until this many characters are waiting, then written at once (one syscall). */
const BATCH_CHARS = 16 * 1024;

/**
 * Transports holding lines that are not yet handed to their stream. A process that exits
 * (`process.exit()`, an uncaught exception) before the next turn of the event loop still writes them:
 * stdout and stderr on files and pipes, and every `{ file }` write, are synchronous at that point.
 */
const unwritten = new Set<LineTransport>();
let exitHook = false;

function writeOnExit(transport: LineTransport): void {
  unwritten.add(transport);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const t of unwritten) t.writePending();
  });
}

/**
 * A winston transport that writes pre-rendered lines to one stream and reports when the stream has
 * taken them (the write callback), which is what `flush()` waits for.
 *
 * Lines logged in the same turn of the event loop are joined and written once, on `setImmediate` (or
 * as soon as a few KiB are waiting): a synchronous destination (stdout on a file or pipe) otherwise costs
 * one write syscall per line, which under load is most of a line's cost. Nothing waits longer than the
 * current turn, `flush()`/`close()` write what is waiting at once, and a process exiting before the
 * next turn still writes it. It honours backpressure: while the stream is over its high-water mark
 * the transport stops taking lines, so winston buffers instead of the stream growing.
 */
export class LineTransport extends TransportStream {
  readonly #stream: Writable;
  readonly #owned: boolean;
  /** Reports `n` lines settled; the stream calls back once per batch, error or not. */
  readonly #written: (lines: number) => void;
  /**
   * Characters joined before writing without waiting for the turn to end. Kept under the stream's
   * high-water mark (3 bytes per UTF-16 unit at worst): a write that reaches it returns false even when
   * the stream took it synchronously, and the transport would then stop taking lines until 'drain'.
   */
  readonly #batchChars: number;
  #pending = '';
  #lines = 0;
  #scheduled = false;
  /** Winston's `next` while the stream is over its high-water mark. */
  #held: (() => void) | undefined;
  #blocked = false;
  readonly #onImmediate = () => {
    this.#scheduled = false;
    this.writePending();
  };

  constructor(destination: LogDestination, written: (lines: number) => void) {
    super();
    this.#owned = !isWritable(destination);
    this.#stream = isWritable(destination)
      ? destination
      : createWriteStream(destination.file, { flags: 'a' });
    this.#written = written;
    this.#batchChars = Math.max(
      1,
      Math.min(BATCH_CHARS, Math.floor((this.#stream.writableHighWaterMark ?? 16_384) / 3) - 1),
    );
    guard(this.#stream);
  }

  override log(info: Record<PropertyKey, unknown>, next: () => void): void {
    if (this.#stream.destroyed) {
      // Nothing will call back any more: count the line as settled so flush() cannot hang on it.
      this.#written(1);
      next();
      return;
    }
    if (this.#lines === 0) writeOnExit(this);
    this.#pending += `${info[MESSAGE] as string}\n`;
    this.#lines += 1;
    if (this.#pending.length >= this.#batchChars) {
      this.writePending();
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onImmediate);
    }
    if (this.#blocked) this.#held = next;
    else next();
  }

  /** Hands every waiting line to the stream now (one write). */
  writePending(): void {
    unwritten.delete(this);
    const lines = this.#lines;
    if (lines === 0) return;
    const text = this.#pending;
    this.#pending = '';
    this.#lines = 0;
    const stream = this.#stream;
    if (stream.destroyed) {
      this.#written(lines);
      return;
    }
    if (stream.write(text, () => this.#written(lines)) || this.#blocked) return;
    // Backpressure: take the next line on 'drain', or when the stream dies while we wait (then no
    // 'drain' comes).
    this.#blocked = true;
    const resume = () => {
      stream.off('drain', resume);
      stream.off('close', resume);
      this.#blocked = false;
      const held = this.#held;
      this.#held = undefined;
      held?.();
    };
    stream.on('drain', resume);
    stream.on('close', resume);
  }

  /** Ends the stream when this transport opened it; resolves once its data is on disk. */
  async end_(): Promise<void> {
    this.writePending();
    const stream = this.#stream;
    if (!this.#owned || stream.closed || stream.destroyed) return;
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });
  }
}

const guarded = new WeakSet<Writable>();

/**
 * A destination that fails (EPIPE, disk full, a missing directory) must not crash the process through an
 * unhandled 'error'; the failure is reported once, on stderr, the last place left to say it. One listener
 * per stream, however many loggers share it (every default logger writes to stderr).
 */
function guard(stream: Writable): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  let reported = false;
  stream.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    if (stream !== process.stderr) {
      process.stderr.write(`[@mentora/monitoring] log destination failed: ${error.message}\n`);
    }
  });
}

function isWritable(value: LogDestination): value is Writable {
  return typeof (value as Writable).write === 'function';
}
