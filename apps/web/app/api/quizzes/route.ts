import { randomUUID } from 'node:crypto';
import { createQueryBuilder } from '@mentora/db';
import { NotFoundError } from '@mentora/errors';
import { readJson, requireFeature } from '@mentora/http';
import { getInfrastructure, withInfrastructure } from '../../../src/infrastructure';
import { bearerToken } from '../../../src/request';
import { quizRequest } from '../../../src/schemas';
import { creatorOf } from '../../../src/videos';

export const dynamic = 'force-dynamic';

// A creator asks for a quiz on one of their videos (a pro feature): the worker generates it from the
// transcript on `quiz/generation.requested`. The quiz id is chosen here, so a retried send writes the same quiz.
export const POST = withInfrastructure(
  async (request, ctx) => {
    const infra = getInfrastructure();
    const user = ctx.user;
    if (!user) throw new Error('auth: required guarantees a user');
    requireFeature(ctx, 'quiz_generation');
    const body = await readJson(request, quizRequest, { maxBytes: 4 * 1024 });
    const client = infra.db.forUser(bearerToken(request));
    const creator = await creatorOf(client, user.id, request.signal);
    const video = await createQueryBuilder(client, 'videos').getById(body.videoId, {
      select: ['id', 'creator_id'],
      signal: request.signal,
    });
    if (!video || video.creator_id !== creator.id) {
      throw new NotFoundError('Video not found', { resource: 'video', id: body.videoId });
    }
    const quizId = randomUUID();
    const sent = await infra.jobs.send({
      name: 'quiz/generation.requested',
      data: { quizId, videoId: video.id, creatorId: creator.id, questionCount: body.questionCount },
    });
    return Response.json({ quizId, status: 'requested', eventIds: sent.ids }, { status: 202 });
  },
  {
    rateLimit: { enabled: true, endpoint: 'quizGeneration', cost: 1 },
    logging: true,
    errorTracking: true,
    auth: 'required',
  },
);
