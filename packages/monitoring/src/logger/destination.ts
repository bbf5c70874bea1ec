import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import TransportStream from 'winston-transport';

const MESSAGE = Symbol.for('message');

/** Where lines go: a stream you own (stdout, a socket) or a file this logger opens and closes. */
export type LogDestination = Writable | { file: string };

/**
 * A winston transport that writes each pre-rendered line to one stream and reports when the stream
 * has taken it (the write callback), which is what `flush()` waits for. It honours backpressure: the
 * next line is accepted once the stream drains, so winston buffers instead of the stream growing.
 */
export class LineTransport extends TransportStream {
  readonly #stream: Writable;
  readonly #owned: boolean;
  /** One function for every write (no closure per line); the stream calls it once per line, error or not. */
  readonly #written: () => void;

  constructor(destination: LogDestination, written: () => void) {
    super();
    this.#owned = !isWritable(destination);
    this.#stream = isWritable(destination)
      ? destination
      : createWriteStream(destination.file, { flags: 'a' });
    this.#written = written;
    guard(this.#stream);
  }

  override log(info: Record<PropertyKey, unknown>, next: () => void): void {
    const stream = this.#stream;
    if (stream.destroyed) {
      // Nothing will call back any more: count the line as settled so flush() cannot hang on it.
      this.#written();
      next();
      return;
    }
    if (stream.write(`${info[MESSAGE] as string}\n`, this.#written)) {
      next();
      return;
    }
    // Backpressure: continue on 'drain', or when the stream dies while we wait (then no 'drain' comes).
    const resume = () => {
      stream.off('drain', resume);
      stream.off('close', resume);
      next();
    };
    stream.on('drain', resume);
    stream.on('close', resume);
  }

  /** Ends the stream when this transport opened it; resolves once its data is on disk. */
  async end_(): Promise<void> {
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
