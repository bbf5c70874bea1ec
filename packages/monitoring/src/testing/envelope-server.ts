import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One item of a Sentry envelope: its header and its payload (parsed when it is JSON). */
export interface EnvelopeItem {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface ReceivedEnvelope {
  path: string;
  raw: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** A running local envelope endpoint. */
export interface EnvelopeServer {
  /** A DSN pointing at this server (`http://public@127.0.0.1:<port>/1`): pass it to `initSentry`. */
  dsn: string;
  /** Every envelope received so far, in arrival order. */
  envelopes: ReceivedEnvelope[];
  /** The payloads of every `event` item (errors and messages) received so far. */
  events(): Record<string, unknown>[];
  /** The payloads of every `transaction` item received so far. */
  transactions(): Record<string, unknown>[];
  /** Stops the server (open connections are dropped). */
  close(): Promise<void>;
}

/**
 * A local stand-in for Sentry's ingest endpoint, for tests with the real `@sentry/node` SDK: it accepts
 * what the SDK posts to `/api/<project>/envelope/` over HTTP on 127.0.0.1 (gzip or not), keeps every
 * envelope (raw text and parsed items) and answers 200. Call `reporter.flush()` before reading: the SDK
 * sends in the background. Not a Sentry server: no rate limits, no auth, nothing stored on disk.
 */
export async function startEnvelopeServer(): Promise<EnvelopeServer> {
  const envelopes: ReceivedEnvelope[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const raw = body.toString('utf8');
      const lines = raw.split('\n');
      const header = JSON.parse(lines[0] ?? '{}');
      const items: EnvelopeItem[] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const itemHeader = JSON.parse(lines[i] as string);
        let payload: Record<string, unknown>;
        try {
          payload = JSON.parse(lines[i + 1] as string);
        } catch {
          payload = { text: lines[i + 1] };
        }
        items.push({ header: itemHeader, payload });
      }
      envelopes.push({ path: req.url ?? '', raw, header, items });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const byType = (type: string) =>
    envelopes.flatMap((e) => e.items.filter((i) => i.header.type === type).map((i) => i.payload));
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes,
    events: () => byType('event'),
    transactions: () => byType('transaction'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
