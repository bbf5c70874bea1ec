// Single functions through @inngest/test's engine: no HTTP, no database, mocked steps. (It has no
// retries, no onFailure and no JSON round trip: the end-to-end tests use the local runner for those.)

import { InngestTestEngine } from '@inngest/test';
import { createSupabaseClients } from '@mentora/db';
import { describe, expect, it } from 'vitest';
import { createFunctions, createJobsClient, createLocalPorts } from '../../src/index.js';

function setup() {
  const ports = createLocalPorts();
  const invalidated: string[] = [];
  const fns = createFunctions({
    client: createJobsClient({ isDev: true }),
    // Never reached by the functions under test (no tracking, mocked database steps).
    db: createSupabaseClients({ url: 'http://127.0.0.1:9', anonKey: 'anon', serviceRoleKey: 'service' }),
    ...ports,
    invalidateMember: async (userId) => {
      invalidated.push(userId);
    },
    tracker: false,
  });
  return { fns, ports, invalidated };
}

describe('functions under @inngest/test', () => {
  it('send-email hands the message to the email port with the event id as idempotency key', async () => {
    const { fns, ports } = setup();
    const t = new InngestTestEngine({ function: fns.sendEmail });
    const { result } = await t.execute({
      events: [{ name: 'email/send', id: 'evt-1', data: { to: 'a@example.com', template: 'quiz-ready' } }],
    });
    expect(result).toEqual({ messageId: 'local-1', template: 'quiz-ready' });
    expect(ports.email.sent[0]).toMatchObject({ idempotencyKey: 'evt-1', variables: {} });
  });

  it('membership-updated only invalidates when the event carries no plan', async () => {
    const { fns, invalidated } = setup();
    const userId = '6f1c2a8e-4b7d-4c1e-9a3f-2d5e8b7c6a10';
    const t = new InngestTestEngine({ function: fns.membershipUpdated });
    const { result } = await t.execute({ events: [{ name: 'membership/updated', data: { userId } }] });
    expect(result).toEqual({ userId, enrolmentsUpdated: 0 });
    expect(invalidated).toEqual([userId]);
  });

  it('aggregate-daily-analytics rolls up the requested date (database step mocked)', async () => {
    const { fns } = setup();
    const t = new InngestTestEngine({
      function: fns.aggregateDailyAnalytics,
      steps: [{ id: 'aggregate-metrics', handler: () => 3 }],
    });
    const { result } = await t.execute({
      events: [{ name: 'analytics/daily.aggregate', data: { date: '2026-02-01' } }],
    });
    expect(result).toEqual({ date: '2026-02-01', metricsCount: 3 });
  });
});
