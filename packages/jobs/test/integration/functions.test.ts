// Every other job function, success and failure paths, driven by the local runner over HTTP against the
// embedded stack and Postgres 15 + PostgREST.
import { randomUUID } from 'node:crypto';
import { RateLimitError, ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src/testing/index.js';
import {
  createFixture,
  jobRows,
  SIGNING_KEY,
  startHarness,
  uploadEvent,
  useStack,
} from '../support/harness.js';

describe.each(['embedded', 'postgres'] as const)('job functions (%s stack)', (mode) => {
  const stack = useStack(mode);

  describe('generate-quiz', () => {
    it('stores the quiz under the requested id and emails the creator; a repeat writes the same row', async () => {
      const h = await startHarness(stack.get());
      try {
        const f = await createFixture(stack.get());
        await h.client.send(uploadEvent(f));
        await h.runner.waitForIdle();
        const quizId = randomUUID();
        const request = {
          name: 'quiz/generation.requested' as const,
          data: { quizId, videoId: f.videoId, creatorId: f.creatorId, questionCount: 3 },
        };
        await h.client.send(request);
        await h.client.send(request); // another event (new id), same quiz id
        await h.runner.waitForIdle();
        expect(h.runner.runs({ functionId: 'generate-quiz', status: 'completed' })).toHaveLength(2);
        const { data: quizzes } = await h.db.admin().from('quizzes').select('*').eq('video_id', f.videoId);
        expect(quizzes).toHaveLength(1);
        expect(quizzes?.[0]).toMatchObject({ id: quizId, question_count: 3, creator_id: f.creatorId });
        // The notification carries an id derived from the quiz: sent once, however often it is generated.
        expect(h.ports.email.sent.filter((m) => m.template === 'quiz-ready')).toHaveLength(1);
      } finally {
        await h.close();
      }
    });

    it('refuses a video that is not processed yet, without retrying', async () => {
      const h = await startHarness(stack.get());
      try {
        const f = await createFixture(stack.get());
        await h.client.send({
          name: 'quiz/generation.requested',
          data: { quizId: randomUUID(), videoId: f.videoId, creatorId: f.creatorId, questionCount: 3 },
        });
        await h.runner.waitForIdle();
        const [run] = h.runner.runs({ functionId: 'generate-quiz' });
        expect(run?.status).toBe('failed');
        expect(run?.requests).toBeLessThanOrEqual(3);
        const [tracked] = await jobRows(h, run?.runId as string);
        expect(tracked).toMatchObject({
          status: 'failed',
          attempts: 1,
          error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
        });
        const { count } = await h.db
          .admin()
          .from('quizzes')
          .select('id', { count: 'exact', head: true })
          .eq('video_id', f.videoId);
        expect(count).toBe(0);
      } finally {
        await h.close();
      }
    });
  });

  describe('send-email', () => {
    it('sends once, with the event id as idempotency key', async () => {
      const h = await startHarness(stack.get());
      try {
        const { ids } = await h.client.send({
          name: 'email/send',
          data: { to: 'someone@example.com', template: 'quiz-ready', variables: { quizId: 'q' } },
          id: 'mail-1',
        });
        await h.runner.waitForIdle();
        expect(ids).toHaveLength(1);
        expect(h.ports.email.sent).toEqual([
          expect.objectContaining({
            to: 'someone@example.com',
            template: 'quiz-ready',
            idempotencyKey: 'mail-1',
          }),
        ]);
      } finally {
        await h.close();
      }
    });

    it('waits out a provider rate limit for the retry-after it named, then sends once', async () => {
      let limited = 0;
      const h = await startHarness(stack.get(), {
        ports: (local) => ({
          email: {
            async send(message) {
              if (limited === 0) {
                limited += 1;
                throw new RateLimitError(100, '1m', 30);
              }
              return local.email.send(message);
            },
          },
        }),
      });
      try {
        await h.client.send({ name: 'email/send', data: { to: 'a@example.com', template: 'quiz-ready' } });
        await h.runner.waitForIdle();
        const [run] = h.runner.runs({ functionId: 'send-email' });
        expect(run?.status).toBe('completed');
        expect(run?.history.filter((e) => e.type === 'step-retry').map((e) => e.delayMs)).toEqual([30_000]);
        expect(h.ports.email.sent).toHaveLength(1);
      } finally {
        await h.close();
      }
    });

    it('gives up after its retries when the provider keeps failing', async () => {
      const h = await startHarness(stack.get(), {
        ports: () => ({
          email: {
            async send() {
              throw new Error('SMTP connection reset');
            },
          },
        }),
      });
      try {
        await h.client.send({ name: 'email/send', data: { to: 'a@example.com', template: 'quiz-ready' } });
        await h.runner.waitForIdle();
        const [run] = h.runner.runs({ functionId: 'send-email' });
        expect(run?.status).toBe('failed');
        expect(run?.history.filter((e) => e.type === 'step-retry')).toHaveLength(4); // retries: 4
        expect(h.reports).toHaveLength(1);
      } finally {
        await h.close();
      }
    });
  });

  describe('achievement-unlocked', () => {
    it('records the achievement once and congratulates the student once', async () => {
      const h = await startHarness(stack.get());
      try {
        const f = await createFixture(stack.get());
        const unlock = {
          name: 'student/achievement.unlocked' as const,
          data: { studentId: f.studentId, achievementId: 'first-quiz-passed', xpEarned: 50 },
        };
        await h.client.send(unlock);
        await h.client.send(unlock);
        await h.runner.waitForIdle();
        const { data } = await h.db
          .admin()
          .from('student_achievements')
          .select('*')
          .eq('student_id', f.studentId);
        expect(data).toEqual([
          expect.objectContaining({
            achievement_type: 'first-quiz-passed',
            achievement_data: { xpEarned: 50 },
          }),
        ]);
        expect(h.ports.email.sent.map((m) => [m.to, m.template])).toEqual([
          [f.studentEmail, 'achievement-unlocked'],
        ]);
      } finally {
        await h.close();
      }
    });

    it('fails without retrying for a student that does not exist', async () => {
      const h = await startHarness(stack.get());
      try {
        await h.client.send({
          name: 'student/achievement.unlocked',
          data: { studentId: randomUUID(), achievementId: 'x', xpEarned: 1 },
        });
        await h.runner.waitForIdle();
        const [run] = h.runner.runs({ functionId: 'achievement-unlocked' });
        expect(run?.status).toBe('failed');
        const [tracked] = await jobRows(h, run?.runId as string);
        expect(tracked).toMatchObject({ attempts: 1, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
        expect(h.ports.email.sent).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });

  describe('membership-updated', () => {
    it('stores the new plan and invalidates the member', async () => {
      const h = await startHarness(stack.get());
      try {
        const f = await createFixture(stack.get());
        await h.client.send({
          name: 'membership/updated',
          data: { userId: f.studentUserId, membershipId: f.membershipId, plan: 'enterprise' },
        });
        await h.client.send({ name: 'membership/updated', data: { userId: randomUUID() } });
        await h.runner.waitForIdle();
        const { data } = await h.db.admin().from('students').select('plan').eq('id', f.studentId).single();
        expect(data?.plan).toBe('enterprise');
        expect(h.invalidated).toHaveLength(2);
        expect(h.invalidated).toContain(f.studentUserId);
      } finally {
        await h.close();
      }
    });

    it('fails for an unknown membership and invalidates nothing', async () => {
      const h = await startHarness(stack.get());
      try {
        await h.client.send({
          name: 'membership/updated',
          data: { userId: randomUUID(), membershipId: 'mem_unknown', plan: 'pro' },
        });
        await h.runner.waitForIdle();
        expect(h.runner.runs({ functionId: 'membership-updated' })[0]?.status).toBe('failed');
        expect(h.invalidated).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });

  describe('aggregate-daily-analytics', () => {
    it('rolls up a requested day, and the day before on its cron', async () => {
      const h = await startHarness(stack.get());
      try {
        const f = await createFixture(stack.get());
        await stack.get().runSql(`
          insert into public.analytics_events (user_id, creator_id, event_type, created_at) values
            ('${randomUUID()}', '${f.creatorId}', 'video_view', '2026-01-10T10:00:00Z'),
            ('${randomUUID()}', '${f.creatorId}', 'video_view', '2026-01-10T11:00:00Z'),
            ('${randomUUID()}', '${f.creatorId}', 'video_view', now() - interval '1 day');
        `);
        await h.client.send({ name: 'analytics/daily.aggregate', data: { date: '2026-01-10' } });
        await h.runner.waitForIdle();
        const [byEvent] = h.runner.runs({ functionId: 'aggregate-daily-analytics' });
        expect(byEvent?.output).toMatchObject({ date: '2026-01-10' });
        const { data } = await h.db
          .admin()
          .from('analytics_daily_metrics')
          .select('*')
          .eq('creator_id', f.creatorId)
          .eq('metric_date', '2026-01-10');
        expect(data).toEqual([expect.objectContaining({ event_count: 2, unique_users: 2 })]);

        const cronRun = await h.runner.fireCron('aggregate-daily-analytics');
        await cronRun.done;
        const yesterday = new Date(cronRun.event.ts - 86_400_000).toISOString().slice(0, 10);
        expect(cronRun.output).toMatchObject({ date: yesterday });
      } finally {
        await h.close();
      }
    });

    it('an invalid event that reaches the worker anyway fails without a retry', async () => {
      const h = await startHarness(stack.get());
      try {
        // Straight to the runner, past the client's validation: the served function checks it again.
        await h.runner.send({ name: 'analytics/daily.aggregate', data: { date: 'yesterday' } });
        await h.runner.waitForIdle();
        const [run] = h.runner.runs({ functionId: 'aggregate-daily-analytics' });
        expect(run?.status).toBe('failed');
        expect(run?.history.some((e) => e.type === 'function-retry' || e.type === 'step-retry')).toBe(false);
        await expect(
          h.client.send({ name: 'analytics/daily.aggregate', data: { date: 'yesterday' } }),
        ).rejects.toBeInstanceOf(ValidationError);
      } finally {
        await h.close();
      }
    });
  });

  describe('check-content-health', () => {
    it('emails each creator once about their unreachable videos', async () => {
      const broken = `https://videos.example.com/broken-${randomUUID()}.mp4`;
      const h = await startHarness(stack.get(), {
        ports: () => ({
          accessibility: { isAccessible: async (url: string) => url !== broken },
        }),
        functionOptions: { healthCheckPageSize: 2 },
      });
      try {
        const f = await createFixture(stack.get(), { videoStatus: 'completed' });
        await stack.get().runSql(`
          insert into public.videos (creator_id, title, video_url, processing_status)
          values ('${f.creatorId}', 'Broken one', '${broken}', 'completed'),
                 ('${f.creatorId}', 'Fine one', 'https://videos.example.com/fine.mp4', 'completed');
        `);
        const run = await h.runner.fireCron('check-content-health');
        await h.runner.waitForIdle();
        expect(run.status, JSON.stringify(run.error)).toBe('completed');
        expect(run.output).toMatchObject({ unhealthyCount: 1 });
        // Several pages (page size 2), each its own step.
        expect(run.history.filter((e) => e.name?.startsWith('check-videos-')).length).toBeGreaterThan(1);
        expect(h.ports.email.sent).toEqual([
          expect.objectContaining({
            to: f.creatorEmail,
            template: 'video-health-alert',
            variables: { videos: [expect.objectContaining({ title: 'Broken one' })] },
          }),
        ]);
      } finally {
        await h.close();
      }
    });

    it('fails after its retries when the checker keeps failing', async () => {
      const h = await startHarness(stack.get(), {
        ports: () => ({
          accessibility: {
            isAccessible: async () => {
              throw new Error('resolver down');
            },
          },
        }),
      });
      try {
        await createFixture(stack.get(), { videoStatus: 'completed' });
        const run = await h.runner.fireCron('check-content-health');
        await h.runner.waitForIdle();
        expect(run.status).toBe('failed');
        expect(run.history.filter((e) => e.type === 'step-retry')).toHaveLength(2); // retries: 2
      } finally {
        await h.close();
      }
    });
  });

  describe('cleanup-old-records', () => {
    it('removes what the retention functions remove, one step each', async () => {
      const h = await startHarness(stack.get());
      try {
        await stack.get().runSql(`
          insert into public.api_request_logs (method, path, status_code, duration_ms, created_at)
          values ('GET', '/old', 200, 5, now() - interval '31 days'), ('GET', '/new', 200, 5, now());
        `);
        const run = await h.runner.fireCron('cleanup-old-records');
        await run.done;
        expect(run.status).toBe('completed');
        expect(run.output).toMatchObject({ cleanup_old_api_logs: 1 });
      } finally {
        await h.close();
      }
    });

    it('fails after its retries while PostgREST is down, and works again once it is back', async () => {
      const h = await startHarness(stack.get());
      try {
        await stack.get().postgrest.stop();
        try {
          const run = await h.runner.fireCron('cleanup-old-records');
          await run.done;
          expect(run.status).toBe('failed');
          expect(
            run.history.filter((e) => e.type === 'step-retry' || e.type === 'function-retry'),
          ).toHaveLength(3);
        } finally {
          await stack.get().postgrest.start();
        }
        const again = await h.runner.fireCron('cleanup-old-records');
        await again.done;
        expect(again.status).toBe('completed');
      } finally {
        await h.close();
      }
    });
  });

  it('logs through the given Logger with the run id and function id in every line of a run', async () => {
    const h = await startHarness(stack.get());
    try {
      const run = await h.runner.fireCron('cleanup-old-records');
      await run.done;
      const lines = h.logs.filter((l) => l.jobRunId === run.runId);
      expect(lines.map((l) => l.message)).toEqual(
        expect.arrayContaining(['job run started', 'job run completed']),
      );
      expect(lines.every((l) => l.functionId === 'cleanup-old-records')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('a runner with the wrong signing key is refused by the endpoint', async () => {
    const h = await startHarness(stack.get());
    const intruder = createLocalRunner({ url: h.url, signingKey: `${SIGNING_KEY.slice(0, -4)}0000` });
    try {
      // Even the function list is signed: the endpoint answers 401 and lists nothing.
      await expect(intruder.sync()).rejects.toThrow(/401/);
    } finally {
      await intruder.close();
      await h.close();
    }
  });
});
