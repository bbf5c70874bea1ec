// process-video end to end: the local runner drives the functions served by Inngest's Node handler over
// HTTP (signed requests), against the embedded stack (pgvector) and Postgres 15 + PostgREST (no vector).
import { randomUUID } from 'node:crypto';
import { AIAPIError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import {
  chunkCount,
  createFixture,
  jobRows,
  startHarness,
  uploadEvent,
  useStack,
  video,
} from '../support/harness.js';

/** How many chunks a completed process-video run reported creating. */
function chunksOf(run: { output?: unknown } | undefined): number {
  return (run?.output as { chunksCreated?: number } | undefined)?.chunksCreated ?? -1;
}

describe.each(['embedded', 'postgres'] as const)('process-video (%s stack)', (mode) => {
  const stack = useStack(mode);

  it('processes a video: transcript, chunks with embeddings, status, quiz request, one job_queue row', async () => {
    const h = await startHarness(stack.get());
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent(f, { autoGenerateQuiz: true }));
      await h.runner.waitForIdle();

      const [run] = h.runner.runs({ functionId: 'process-video' });
      expect(run?.status, JSON.stringify(run?.error)).toBe('completed');
      const output = run?.output as { chunksCreated: number; quizId: string };
      expect(output.chunksCreated).toBeGreaterThan(0);

      const row = await video(h, f.videoId);
      expect(row.processing_status).toBe('completed');
      expect(row.processed_at).not.toBeNull();
      expect(row.full_transcript).toMatch(/^Part 1: /);
      expect(await chunkCount(h, f.videoId)).toBe(output.chunksCreated);

      const { data: chunks } = await h.db.admin().from('video_chunks').select('*').eq('video_id', f.videoId);
      if (mode === 'embedded') {
        // The column exists only where pgvector does; there every chunk carries its 1536-d embedding.
        expect(
          chunks?.every((c) => typeof c.embedding === 'string' && c.embedding.split(',').length === 1536),
        ).toBe(true);
      } else {
        expect(chunks?.[0]).not.toHaveProperty('embedding');
      }

      // The quiz it asked for was generated, and the creator told.
      expect(
        h.runner
          .runs()
          .map((r) => `${r.functionId}:${r.status}`)
          .sort(),
      ).toEqual(['generate-quiz:completed', 'process-video:completed', 'send-email:completed']);
      const { data: quiz } = await h.db.admin().from('quizzes').select('*').eq('id', output.quizId).single();
      expect(quiz?.question_count).toBe(10);
      expect(h.ports.email.sent.map((m) => [m.to, m.template])).toEqual([[f.creatorEmail, 'quiz-ready']]);

      const rows = await jobRows(h, run?.runId as string);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        function_id: 'process-video',
        event_name: 'video/upload.completed',
        status: 'completed',
        attempts: 1,
        max_attempts: 4,
        payload: expect.objectContaining({ videoId: f.videoId }),
        result: expect.objectContaining({ chunksCreated: output.chunksCreated }),
      });
      expect(rows[0]?.started_at).not.toBeNull();
      expect(rows[0]?.completed_at).not.toBeNull();
      expect(h.reports).toEqual([]);

      // Outcome, step durations and the local ports' token usage reached the infrastructure tables.
      await h.metrics.flush();
      const { data: perf } = await h.db
        .admin()
        .from('performance_metrics')
        .select('metric_name, tags')
        .eq('tags->>functionId', 'process-video');
      expect(perf?.filter((m) => m.metric_name === 'job.run')).toEqual([
        { metric_name: 'job.run', tags: expect.objectContaining({ outcome: 'completed', attempts: 1 }) },
      ]);
      expect(perf?.filter((m) => m.metric_name === 'job.step').length).toBeGreaterThan(5);
      const { data: usage } = await h.db
        .admin()
        .from('ai_api_usage')
        .select('provider, operation, input_tokens, output_tokens, cost_usd, success')
        .eq('creator_id', f.creatorId);
      expect(new Set(usage?.map((u) => `${u.provider}:${u.operation}`))).toEqual(
        new Set(['local:transcription', 'local:embedding', 'local:quiz']),
      );
      expect(usage?.every((u) => u.success && Number(u.cost_usd) === 0)).toBe(true);
      expect(usage?.find((u) => u.operation === 'embedding')?.input_tokens).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  it('gives up after its retries: video failed, creator emailed, run failed in job_queue, one error report', async () => {
    let calls = 0;
    const h = await startHarness(stack.get(), {
      ports: (local) => ({
        transcription: {
          extractAudio: local.transcription.extractAudio,
          async transcribe() {
            calls += 1;
            throw new AIAPIError('whisper', 'upstream error', 500);
          },
        },
      }),
    });
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent(f));
      await h.runner.waitForIdle();

      const [run] = h.runner.runs({ functionId: 'process-video' });
      expect(run?.status).toBe('failed');
      expect(calls).toBe(4); // retries: 3
      expect(run?.history.filter((e) => e.type === 'step-retry')).toHaveLength(3);

      const row = await video(h, f.videoId);
      expect(row.processing_status).toBe('failed');
      expect(row.error_message).toMatch(/^AI_API_ERROR: /);

      const [failure] = h.runner.runs({ functionId: 'process-video-failure' });
      expect(failure?.status).toBe('completed');
      expect(h.ports.email.sent.map((m) => [m.to, m.template, m.variables.errorCode])).toEqual([
        [f.creatorEmail, 'video-processing-failed', 'AI_API_ERROR'],
      ]);

      const [tracked] = await jobRows(h, run?.runId as string);
      expect(tracked).toMatchObject({
        status: 'failed',
        attempts: 4,
        error: expect.objectContaining({ code: 'AI_API_ERROR' }),
      });
      // Reported once, for the final attempt only.
      expect(h.reports).toHaveLength(1);
      expect(h.reports[0]?.context).toMatchObject({
        tags: { functionId: 'process-video', code: 'AI_API_ERROR' },
      });
    } finally {
      await h.close();
    }
  });

  it('does not retry a video that does not exist (NotFoundError → no retry)', async () => {
    const h = await startHarness(stack.get());
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent({ ...f, videoId: randomUUID() }));
      await h.runner.waitForIdle();
      const [run] = h.runner.runs({ functionId: 'process-video' });
      expect(run?.status).toBe('failed');
      expect(run?.history.some((e) => e.type === 'step-retry' || e.type === 'function-retry')).toBe(false);
      expect(run?.history.find((e) => e.type === 'step-failed')?.noRetry).toBe(true);
      const [tracked] = await jobRows(h, run?.runId as string);
      expect(tracked).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: expect.objectContaining({ code: 'NOT_FOUND' }),
      });
      // The original video is untouched.
      expect((await video(h, f.videoId)).processing_status).toBe('pending');
    } finally {
      await h.close();
    }
  });

  it('runs once for the same event id sent twice (the effects of one run)', async () => {
    const h = await startHarness(stack.get());
    try {
      const f = await createFixture(stack.get());
      const event = { ...uploadEvent(f), id: `upload-${f.videoId}` };
      await h.client.send(event);
      await h.client.send(event);
      await h.runner.waitForIdle();
      const runs = h.runner.runs({ functionId: 'process-video' });
      expect(runs).toHaveLength(1);
      const { count } = await h.db
        .admin()
        .from('job_queue')
        .select('id', { count: 'exact', head: true })
        .eq('event_id', event.id);
      expect(count).toBe(1);
      expect(await chunkCount(h, f.videoId)).toBe(chunksOf(runs[0]));
    } finally {
      await h.close();
    }
  });

  it('re-processing a video (a new event) overwrites its chunks instead of adding more', async () => {
    const h = await startHarness(stack.get(), { functionOptions: { chunkWords: 40 } });
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent(f));
      await h.runner.waitForIdle();
      const first = await chunkCount(h, f.videoId);
      await h.client.send(uploadEvent(f));
      await h.runner.waitForIdle();
      expect(h.runner.runs({ functionId: 'process-video', status: 'completed' })).toHaveLength(2);
      expect(await chunkCount(h, f.videoId)).toBe(first);
    } finally {
      await h.close();
    }
  });

  it('a step whose answer is lost twice runs three times and leaves one set of rows', async () => {
    let dropped = 0;
    const h = await startHarness(stack.get(), {
      functionOptions: { chunkWords: 40, embeddingBatchSize: 3 },
      runner: {
        // The step ran and wrote its rows, then the answer never reached the executor (a network cut, a
        // proxy timeout): the executor retries the request and the step runs again.
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const text = await res.clone().text();
          if (
            res.status === 206 &&
            text.includes('"embed-chunks-0"') &&
            text.includes('"StepRun"') &&
            dropped < 2
          ) {
            dropped += 1;
            throw new TypeError('fetch failed: the answer was lost');
          }
          return res;
        },
      },
    });
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent(f));
      await h.runner.waitForIdle();
      const [run] = h.runner.runs({ functionId: 'process-video' });
      expect(run?.status, JSON.stringify(run?.error)).toBe('completed');
      expect(dropped).toBe(2);
      expect(run?.history.filter((e) => e.type === 'request-failed')).toHaveLength(2);
      expect(await chunkCount(h, f.videoId)).toBe(chunksOf(run));
      const { data } = await h.db
        .admin()
        .from('video_chunks')
        .select('chunk_index')
        .eq('video_id', f.videoId);
      const indexes = (data ?? []).map((r) => r.chunk_index).sort((a, b) => a - b);
      expect(indexes).toEqual(indexes.map((_, i) => i));
    } finally {
      await h.close();
    }
  });

  it('a provider that fails twice then succeeds: retried per step, one set of rows', async () => {
    let failures = 0;
    const h = await startHarness(stack.get(), {
      ports: (local) => ({
        embeddings: {
          dimensions: local.embeddings.dimensions,
          async embed(texts) {
            if (failures < 2) {
              failures += 1;
              throw new AIAPIError('openai', 'overloaded', 503);
            }
            return local.embeddings.embed(texts);
          },
        },
      }),
    });
    try {
      const f = await createFixture(stack.get());
      await h.client.send(uploadEvent(f));
      await h.runner.waitForIdle();
      const [run] = h.runner.runs({ functionId: 'process-video' });
      expect(run?.status).toBe('completed');
      expect(run?.history.filter((e) => e.type === 'step-retry').map((e) => e.name)).toEqual([
        'embed-chunks-0',
        'embed-chunks-0',
      ]);
      expect(await chunkCount(h, f.videoId)).toBe(chunksOf(run));
      const [tracked] = await jobRows(h, run?.runId as string);
      expect(tracked).toMatchObject({ status: 'completed', attempts: 3 });
      expect(h.reports).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
