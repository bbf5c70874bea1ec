import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '@mentora/errors';
import { errorCodeOf } from '../errors.js';
import { events } from '../events.js';
import { withAIUsage } from './ai-usage.js';
import { chunkTranscript } from './chunking.js';
import type { FunctionContext } from './deps.js';
import { type StoredChunk, videoStore } from './videos.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * process-video: status processing → extract audio → transcribe and store the transcript → chunk →
 * embed and store the chunks in batches → mark complete → announce the transcript → optionally request
 * a quiz. Every step can run twice without a second effect: updates set the same values, chunks are
 * upserted on (video_id, chunk_index), sent events carry ids derived from the run. When the run gives up
 * (retries exhausted or a non-retriable error) the video is marked failed and its creator is emailed.
 */
export function createProcessVideo(ctx: FunctionContext) {
  const { inngest, deps, options, middleware, logger } = ctx;
  const store = videoStore(deps.db);
  return inngest.createFunction(
    {
      id: 'process-video',
      name: 'Process Uploaded Video',
      retries: 3,
      triggers: [events['video/upload.completed']],
      middleware,
      // One creator's uploads cannot starve everyone else's (enforced by Inngest, not by the local runner).
      concurrency: { limit: options.videoConcurrencyPerCreator, key: 'event.data.creatorId' },
      throttle: { limit: 20, period: '1m', key: 'event.data.creatorId' },
      onFailure: async ({ event, error, step, runId }) => {
        const original = event.data.event as { data?: { videoId?: unknown; creatorId?: unknown } };
        const videoId = original.data?.videoId;
        const creatorId = original.data?.creatorId;
        if (typeof videoId !== 'string' || !UUID.test(videoId) || typeof creatorId !== 'string') {
          logger.warn('process-video failed for an event without a usable video id', { runId });
          return { marked: false, notified: false };
        }
        const code = errorCodeOf(error);
        const marked = await step.run('mark-video-failed', async () => {
          try {
            await store.setStatus(videoId, 'failed', `${code}: ${error.message}`);
            return true;
          } catch (markError) {
            if (errorCodeOf(markError) === 'NOT_FOUND') return false;
            throw markError;
          }
        });
        const recipient = await step.run('find-creator', async () => {
          try {
            const creator = await store.getCreator(creatorId);
            const video = marked ? await store.getVideo(videoId) : undefined;
            return { email: creator.email, title: video?.title ?? null };
          } catch (lookupError) {
            if (errorCodeOf(lookupError) === 'NOT_FOUND') return null;
            throw lookupError;
          }
        });
        if (!recipient) return { marked, notified: false };
        await step.sendEvent('notify-creator', {
          name: 'email/send',
          // One email per failed run, however often this step is retried.
          id: `video-processing-failed-${event.data.run_id}`,
          data: {
            to: recipient.email,
            template: 'video-processing-failed',
            variables: { videoId, title: recipient.title, errorCode: code },
          },
        });
        return { marked, notified: true };
      },
    },
    async ({ event, step, runId }) => {
      const { videoId, creatorId, videoUrl, duration } = event.data;

      await step.run('update-status-processing', async () => {
        await store.getCreatorVideo(videoId, creatorId);
        await store.setStatus(videoId, 'processing');
        return { status: 'processing' };
      });

      // The audio stays where the extractor put it; only its location travels through step state.
      const audio = await step.run('extract-audio', () =>
        deps.transcription.extractAudio({ videoId, videoUrl, durationSeconds: duration }),
      );

      const transcribed = await step.run('transcribe', async () => {
        const transcript = await withAIUsage(ctx, 'transcription', { creatorId }, (o) =>
          deps.transcription.transcribe({ videoId, audio }, o),
        );
        await store.storeTranscript(videoId, transcript);
        return {
          segments: transcript.segments.length,
          words: transcript.text.split(/\s+/).filter(Boolean).length,
        };
      });

      const chunks = await step.run('chunk-transcript', async () =>
        chunkTranscript(await store.loadTranscript(videoId), options.chunkWords),
      );

      const batchSize = options.embeddingBatchSize;
      if (chunks.length === 0) {
        await step.run('clear-chunks', () => store.storeChunks(videoId, [], 0));
      }
      for (let first = 0; first < chunks.length; first += batchSize) {
        const batch = chunks.slice(first, first + batchSize);
        // Embeddings are written by the step that computes them: 1536 floats per chunk never travel
        // through step state, and a retried batch overwrites its own rows.
        await step.run(`embed-chunks-${first / batchSize}`, async () => {
          const vectors = await withAIUsage(ctx, 'embedding', { creatorId }, (o) =>
            deps.embeddings.embed(
              batch.map((c) => c.text),
              o,
            ),
          );
          if (
            vectors.length !== batch.length ||
            vectors.some((v) => v.length !== deps.embeddings.dimensions)
          ) {
            throw new InvalidArgumentError('The embedding provider returned vectors of the wrong shape', {
              argument: 'embeddings',
              context: {
                expected: batch.length,
                got: vectors.length,
                dimensions: deps.embeddings.dimensions,
              },
            });
          }
          const rows: StoredChunk[] = batch.map((c, i) => ({
            chunk_index: c.index,
            chunk_text: c.text,
            start_timestamp: c.startTime,
            end_timestamp: c.endTime,
            topic_tags: c.topics,
            embedding: vectors[i] as number[],
          }));
          return { stored: await store.storeChunks(videoId, rows, chunks.length) };
        });
      }

      await step.run('mark-complete', async () => {
        await store.setStatus(videoId, 'completed');
        return { status: 'completed' };
      });

      await step.sendEvent('announce-transcription', {
        name: 'video/transcription.completed',
        id: `video-transcription-completed-${runId}`,
        data: { videoId, creatorId, chunkCount: chunks.length },
      });

      let quizId: string | null = null;
      if (event.data.autoGenerateQuiz) {
        quizId = await step.run('new-quiz-id', () => randomUUID());
        await step.sendEvent('trigger-quiz-generation', {
          name: 'quiz/generation.requested',
          id: `quiz-generation-requested-${runId}`,
          data: { quizId, videoId, creatorId, questionCount: 10 },
        });
      }

      return { success: true, videoId, chunksCreated: chunks.length, segments: transcribed.segments, quizId };
    },
  );
}
