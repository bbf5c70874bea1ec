// Data access of the video routes, through @mentora/db's query builder (typed errors: a PostgREST outage
// is a 503, a refused row a 400/409) and the caller's own client, so RLS decides what they see.

import { createQueryBuilder, type MentoraSupabaseClient } from '@mentora/db';
import { ForbiddenError } from '@mentora/errors';

export const VIDEO_COLUMNS = [
  'id',
  'creator_id',
  'title',
  'description',
  'video_url',
  'duration_seconds',
  'processing_status',
  'created_at',
] as const;

/** The creator row of the calling user; a user who is no creator may not upload. */
export async function creatorOf(client: MentoraSupabaseClient, userId: string, signal?: AbortSignal) {
  const page = await createQueryBuilder(client, 'creators').list({
    filters: { user_id: userId },
    select: ['id', 'plan'],
    limit: 1,
    ...(signal ? { signal } : {}),
  });
  const creator = page.data[0];
  if (!creator) throw new ForbiddenError('Only creators can do this');
  return creator;
}
