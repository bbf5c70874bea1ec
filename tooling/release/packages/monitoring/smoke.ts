// Smoke for @mentora/monitoring, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, runWithContext } from '@mentora/monitoring';
import { startEnvelopeServer } from '@mentora/monitoring/testing';

const lines: string[] = [];
const destination = new PassThrough();
destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));

const logger = createLogger({ service: 'smoke', level: 'info', destination });
runWithContext({ requestId: 'req_1' }, () => {
  logger.info('user signed in', { userId: 'u1', password: 'hunter2' });
  logger.debug('dropped: below the level');
});
logger.error('failed', { error: new Error('boom', { cause: new Error('root cause') }) });
await logger.flush();
await logger.close();

assert.equal(lines.length, 2);
const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
assert.equal(first.message, 'user signed in');
assert.equal(first.service, 'smoke');
assert.equal(first.requestId, 'req_1');
assert.notEqual(first.password, 'hunter2');
assert.ok((lines[1] as string).includes('root cause'));
// The testing entry: a local Sentry ingest endpoint that records envelopes posted over HTTP.
const sentry = await startEnvelopeServer();
const { host } = new URL(sentry.dsn);
const posted = await fetch(`http://${host}/api/1/envelope/`, {
  method: 'POST',
  body: '{"event_id":"0123456789abcdef0123456789abcdef"}\n{"type":"event"}\n{"message":"hi"}\n',
});
assert.equal(posted.status, 200);
assert.deepEqual(sentry.events(), [{ message: 'hi' }]);
await sentry.close();
console.log('monitoring smoke ok');
