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
  readonly #written: () => void;

  constructor(destination: LogDestination, written: () => void) {
    super();
    this.#owned = !isWritable(destination);
    this.#stream = isWritable(destination)
      ? destination
      : createWriteStream(destination.file, { flags: 'a' });
    this.#written = written;
    // A destination that fails (EPIPE, disk full) must not crash the process through an unhandled 'error'.
    this.#stream.on('error', () => {});
  }

  override log(info: Record<PropertyKey, unknown>, next: () => void): void {
    const ok = this.#stream.write(`${String(info[MESSAGE])}\n`, () => this.#written());
    if (ok) next();
    else this.#stream.once('drain', next);
  }

  /** Ends the stream when this transport opened it; resolves once its data is on disk. */
  async end_(): Promise<void> {
    if (!this.#owned || this.#stream.writableFinished) return;
    await new Promise<void>((resolve) => {
      this.#stream.once('close', resolve);
      this.#stream.once('error', () => resolve());
      this.#stream.end();
    });
  }
}

function isWritable(value: LogDestination): value is Writable {
  return typeof (value as Writable).write === 'function';
}
