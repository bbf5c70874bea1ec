import { randomUUID } from 'node:crypto';
import { ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createJobsClient, EVENT_NAMES, type JobEvent, validateEvent } from '../../src/index.js';

const SIGNING_KEY = 'signkey-test-0123456789abcdef';

const valid: JobEvent = {
  name: 'video/upload.completed',
  data: {
    videoId: randomUUID(),
    creatorId: randomUUID(),
    videoUrl: 'https://v.example.com/a.mp4',
    duration: 60,
  },
};

describe('event catalog', () => {
  it('lists exactly the catalog events', () => {
    expect(EVENT_NAMES).toEqual([
      'video/upload.completed',
      'video/transcription.completed',
      'quiz/generation.requested',
      'student/achievement.unlocked',
      'analytics/daily.aggregate',
      'email/send',
      'membership/updated',
    ]);
  });

  it('accepts a valid event and returns its parsed data', () => {
    expect(validateEvent(valid)).toEqual(valid);
  });

  it('rejects invalid data with pointers into the event', () => {
    const bad = { name: 'video/upload.completed', data: { ...valid.data, videoId: 'nope', duration: -1 } };
    const error = (() => {
      try {
        validateEvent(bad as JobEvent);
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.pointer).sort()).toEqual(['#/data/duration', '#/data/videoId']);
    expect(error.context.event).toBe('video/upload.completed');
  });

  it('rejects an unknown event name, a missing data object and an empty id', () => {
    expect(() => validateEvent({ name: 'video/uploaded', data: {} } as never)).toThrow(ValidationError);
    expect(() => validateEvent({ name: 'email/send' } as never)).toThrow(ValidationError);
    expect(() => validateEvent({ ...valid, id: '' })).toThrow(ValidationError);
    expect(() => validateEvent(null as never)).toThrow(ValidationError);
  });

  it('refuses an email template that does not exist', () => {
    expect(() =>
      validateEvent({ name: 'email/send', data: { to: 'a@example.com', template: 'welcome' as never } }),
    ).toThrow(/template/);
  });
});

describe('createJobsClient', () => {
  it('needs a signing key outside dev mode (a ConfigError naming the variable)', () => {
    expect(() => createJobsClient({ eventKey: 'k' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        issues: [expect.objectContaining({ variable: 'INNGEST_SIGNING_KEY' })],
      }),
    );
    expect(() => createJobsClient({ signingKey: 'not-a-key' })).toThrow(/signkey-<env>-<key>/);
    expect(() => createJobsClient({ signingKey: SIGNING_KEY, baseUrl: 'ftp://x' })).toThrow(/http/);
  });

  it('runs in cloud mode by default and in dev mode only when asked', () => {
    expect(createJobsClient({ signingKey: SIGNING_KEY }).mode).toBe('cloud');
    const dev = createJobsClient({ isDev: true });
    expect(dev.mode).toBe('dev');
    expect(dev.inngest.id).toBe('mentora');
  });

  it('validates before anything leaves the process', async () => {
    const calls: string[] = [];
    const client = createJobsClient({
      signingKey: SIGNING_KEY,
      eventKey: 'key',
      baseUrl: 'http://127.0.0.1:9/',
      fetch: (async (url: string) => {
        calls.push(String(url));
        return new Response('{}');
      }) as typeof fetch,
    });
    await expect(
      client.send({ ...valid, data: { ...valid.data, videoUrl: 'not a url' } }),
    ).rejects.toBeInstanceOf(ValidationError);
    // One invalid event in a batch stops the whole batch.
    await expect(
      client.send([valid, { name: 'email/send', data: { to: 'x' } } as never]),
    ).rejects.toBeInstanceOf(ValidationError);
    // The raw Inngest client validates too (the same check runs as middleware on every send).
    await expect(client.inngest.send({ name: 'membership/updated', data: { userId: 'x' } })).rejects.toThrow(
      /userId/,
    );
    expect(calls).toEqual([]);
  });

  it('posts valid events to the event API and reports a failed delivery as ServiceUnavailableError', async () => {
    const posted: unknown[] = [];
    const ok = createJobsClient({
      signingKey: SIGNING_KEY,
      eventKey: 'key',
      baseUrl: 'http://127.0.0.1:9/',
      fetch: (async (_url: string, init: RequestInit) => {
        posted.push(JSON.parse(String(init.body)));
        return Response.json({ ids: ['01'], status: 200 });
      }) as typeof fetch,
    });
    await expect(ok.send(valid)).resolves.toEqual({ ids: ['01'] });
    expect(posted).toEqual([[expect.objectContaining({ name: valid.name, data: valid.data })]]);

    const down = createJobsClient({
      signingKey: SIGNING_KEY,
      eventKey: 'key',
      baseUrl: 'http://127.0.0.1:9/',
      fetch: (async () => Response.json({ error: 'no', status: 500 }, { status: 500 })) as typeof fetch,
    });
    await expect(down.send(valid)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      retryable: true,
    });
    await down.close();
    await expect(down.send(valid)).rejects.toThrow(/closed/);
  }, 30_000);
});
