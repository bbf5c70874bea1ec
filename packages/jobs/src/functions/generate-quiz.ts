import { createQueryBuilder, type Json } from '@mentora/db';
import { AIAPIError, ValidationError } from '@mentora/errors';
import { z } from 'zod';
import { events } from '../events.js';
import { withAIUsage } from './ai-usage.js';
import type { FunctionContext } from './deps.js';
import { videoStore } from './videos.js';

const questionSchema = z.object({
  question: z.string().min(1),
  options: z.array(z.string()).min(2).max(8),
  answerIndex: z.number().int().nonnegative(),
  explanation: z.string().optional(),
  chunkIndex: z.number().int().nonnegative().optional(),
});

/** Most chunks handed to the quiz generator (the first ones of the video). */
const MAX_SOURCE_CHUNKS = 200;

/**
 * generate-quiz: loads a processed video and its transcript chunks, asks the quiz generator for the
 * questions, stores them under the quiz id the request carries (an upsert, so a repeat writes the same
 * row) and emails the creator that the quiz is ready.
 */
export function createGenerateQuiz(ctx: FunctionContext) {
  const { inngest, deps, middleware } = ctx;
  const store = videoStore(deps.db);
  return inngest.createFunction(
    {
      id: 'generate-quiz',
      name: 'Generate Quiz',
      retries: 3,
      triggers: [events['quiz/generation.requested']],
      middleware,
      concurrency: { limit: 1, key: 'event.data.creatorId' },
    },
    async ({ event, step }) => {
      const { quizId, videoId, creatorId, questionCount } = event.data;

      const video = await step.run('load-video', async () => {
        const row = await store.getCreatorVideo(videoId, creatorId);
        if (row.processing_status !== 'completed') {
          throw new ValidationError('A quiz needs a processed video', {
            context: { videoId, status: row.processing_status },
          });
        }
        const creator = await store.getCreator(creatorId);
        return { title: row.title, creatorEmail: creator.email };
      });

      const source = await step.run('load-chunks', async () => {
        const page = await createQueryBuilder(deps.db.admin(), 'video_chunks').list({
          filters: { video_id: videoId },
          orderBy: 'chunk_index',
          orderDirection: 'asc',
          limit: MAX_SOURCE_CHUNKS,
          select: ['chunk_index', 'chunk_text'],
        });
        return page.data.map((c) => ({ index: c.chunk_index, text: c.chunk_text }));
      });
      if (source.length === 0) {
        throw new ValidationError('The video has no transcript chunks to build a quiz from', {
          context: { videoId },
        });
      }

      const questions = await step.run('generate-questions', async () => {
        const generated = await withAIUsage(ctx, 'quiz', { creatorId }, (o) =>
          deps.quizGenerator.generate({ videoId, title: video.title, chunks: source, questionCount }, o),
        );
        const parsed = z.array(questionSchema).min(1).safeParse(generated);
        if (!parsed.success || parsed.data.some((q) => q.answerIndex >= q.options.length)) {
          throw new AIAPIError('quiz-generator', 'returned questions in an unusable shape');
        }
        return parsed.data.slice(0, questionCount);
      });

      await step.run('store-quiz', async () => {
        await createQueryBuilder(deps.db.admin(), 'quizzes').upsert(
          [
            {
              id: quizId,
              video_id: videoId,
              creator_id: creatorId,
              question_count: questions.length,
              questions: questions as unknown as NonNullable<Json>,
            },
          ],
          { onConflict: ['id'] },
        );
        return { stored: questions.length };
      });

      await step.sendEvent('notify-creator', {
        name: 'email/send',
        id: `quiz-ready-${quizId}`,
        data: {
          to: video.creatorEmail,
          template: 'quiz-ready',
          variables: { quizId, videoId, title: video.title, questionCount: questions.length },
        },
      });

      return { quizId, questions: questions.length };
    },
  );
}
