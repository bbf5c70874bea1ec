// A stand-in for Inngest's event API (`POST /e/<event key>`), recording what the app sent. A real HTTP
// server on loopback: the app's jobs client sends over the network exactly as it would to Inngest.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentEvent {
  name: string;
  data: Record<string, unknown>;
}

export interface EventApi {
  url: string;
  events: SentEvent[];
  /** Resolves with the first recorded event matching `match` (polls the record; bounded by the test timeout). */
  waitFor(match: (event: SentEvent) => boolean): Promise<SentEvent>;
  close(): Promise<void>;
}

export async function startEventApi(): Promise<EventApi> {
  const events: SentEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/e/')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SentEvent | SentEvent[];
      const list = Array.isArray(body) ? body : [body];
      events.push(...list);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ids: list.map(() => randomUUID()), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    async waitFor(match) {
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
