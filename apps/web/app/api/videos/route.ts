import { createQueryBuilder } from '@mentora/db';
import { readJson } from '@mentora/http';
import { getInfrastructure, withInfrastructure } from '../../../src/infrastructure';
import { bearerToken, readQuery } from '../../../src/request';
import { videosQuery, videoUploadRequest } from '../../../src/schemas';
import { creatorOf, VIDEO_COLUMNS } from '../../../src/videos';

export const dynamic = 'force-dynamic';

// The caller's videos (a creator's own, a student's enrolled creators' completed ones: RLS decides),
// newest first, by keyset pagination. `nextCursor` is opaque and signed: an edited or forged cursor is
// a 400, never a 500 or another query's rows.
export const GET = withInfrastructure(
  async (request) => {
    const infra = getInfrastructure();
    const { limit, cursor } = readQuery(request, videosQuery);
    const videos = createQueryBuilder(infra.db.forUser(bearerToken(request)), 'videos', {
      cursorSecret: infra.cursorSecret,
    });
    const page = await videos.list({
      orderBy: 'created_at',
      orderDirection: 'desc',
      limit,
      cursor: cursor ?? null,
      select: VIDEO_COLUMNS,
      signal: request.signal,
    });
    return { videos: page.data, nextCursor: page.nextCursor, hasMore: page.hasMore };
  },
  {
    rateLimit: { enabled: true, endpoint: 'api', cost: 1 },
    logging: true,
    errorTracking: true,
    auth: 'required',
  },
);

// A creator registers an uploaded video; processing (transcription, chunks, embeddings) runs in the
// worker, started by `video/upload.completed`.
export const POST = withInfrastructure(
  async (request, ctx) => {
    const infra = getInfrastructure();
    const user = ctx.user;
    if (!user) throw new Error('auth: required guarantees a user');
    const body = await readJson(request, videoUploadRequest, { maxBytes: 16 * 1024 });
    const client = infra.db.forUser(bearerToken(request));
    const creator = await creatorOf(client, user.id, request.signal);
    const video = await createQueryBuilder(client, 'videos').insert(
      {
        creator_id: creator.id,
        title: body.title,
        description: body.description ?? null,
        video_url: body.videoUrl,
        duration_seconds: body.durationSeconds,
      },
      { signal: request.signal },
    );
    // A failed send is a 503 (ServiceUnavailableError, retryable); the row stays `pending` in the
    // listing, so the failure is visible rather than lost.
    const sent = await infra.jobs.send({
      name: 'video/upload.completed',
      data: {
        videoId: video.id,
        creatorId: creator.id,
        videoUrl: body.videoUrl,
        duration: body.durationSeconds,
        ...(body.autoGenerateQuiz !== undefined ? { autoGenerateQuiz: body.autoGenerateQuiz } : {}),
      },
    });
    return Response.json(
      {
        video: { id: video.id, title: video.title, processingStatus: video.processing_status },
        eventIds: sent.ids,
      },
      { status: 202 },
    );
  },
  {
    rateLimit: { enabled: true, endpoint: 'videoUpload', cost: 1 },
    logging: true,
    errorTracking: true,
    auth: 'required',
  },
);
