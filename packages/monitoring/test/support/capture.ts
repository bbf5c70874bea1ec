import { Writable } from 'node:stream';

/** A real Writable that keeps every line written to it, for asserting on what a logger wrote. */
export function captureStream(): {
  stream: Writable;
  lines(): string[];
  records(): Record<string, unknown>[];
} {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const lines = () => text.split('\n').filter((l) => l.length > 0);
  return { stream, lines, records: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>) };
}
