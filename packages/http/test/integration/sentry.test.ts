// The real @sentry/node SDK behind monitoring's reporter, posting to a local ingest endpoint: only 5xx
// leave the process, and they carry the request id and route.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ConflictError, DatabaseError, NotFoundError, ValidationError } from '@mentora/errors';
import type { ErrorReporter } from '@mentora/monitoring';
import { initSentry } from '@mentora/monitoring/sentry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWithInfrastructure } from '../../src/index.js';
import { recordingLogger } from '../support/recorders.js';

let ingest: Server;
const events: Record<string, unknown>[] = [];
let reporter: ErrorReporter;

beforeAll(async () => {
  ingest = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body.toString('utf8').split('\n');
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i] as string) as { type?: string };
        if (header.type === 'event') events.push(JSON.parse(lines[i + 1] as string));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
  const port = (ingest.address() as AddressInfo).port;
  reporter = initSentry({ dsn: `http://publickey@127.0.0.1:${port}/42`, environment: 'test' });
});

afterAll(async () => {
  await reporter?.close(5_000);
  await new Promise((resolve) => ingest?.close(resolve));
});

describe('errorTracking with the real Sentry SDK', () => {
  it('sends 5xx only, tagged with the route and the request id', async () => {
    const { logger } = recordingLogger();
    const withInfrastructure = createWithInfrastructure({ logger, reporter });
    const throwing = (error: unknown) =>
      withInfrastructure(
        () => {
          throw error;
        },
        { route: '/api/fails' },
      );
    const statuses: number[] = [];
    for (const [i, error] of [
      new ValidationError('bad'),
      new NotFoundError(),
      new ConflictError(),
      new DatabaseError('relation "x" does not exist'),
      new Error('unexpected'),
    ].entries()) {
      const r = await throwing(error)(
        new Request('http://t/api/fails', { headers: { 'x-request-id': `sentry-req-${i}` } }),
      );
      statuses.push(r.status);
    }
    expect(statuses).toEqual([400, 404, 409, 500, 500]);
    expect(await reporter.flush(10_000)).toBe(true);
    expect(events).toHaveLength(2);
    const tags = events.map((e) => e.tags as Record<string, string>);
    expect(tags.map((t) => t.route)).toEqual(['/api/fails', '/api/fails']);
    expect(JSON.stringify(events)).toContain('sentry-req-3');
    expect(JSON.stringify(events)).toContain('sentry-req-4');
  });
});
