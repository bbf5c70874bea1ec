// The video pipeline's database access, all through the service role.

import { callRpc, createQueryBuilder, type Json, type SupabaseClients } from '@mentora/db';
import { ForbiddenError, NotFoundError, ValidationError } from '@mentora/errors';
import type { Transcript } from '../ports/transcription.js';

export interface StoredChunk {
  chunk_index: number;
  chunk_text: string;
  start_timestamp: number;
  end_timestamp: number;
  topic_tags: string[];
  embedding?: number[];
}

export function videoStore(db: SupabaseClients) {
  const videos = () => createQueryBuilder(db.admin(), 'videos');
  const creators = () => createQueryBuilder(db.admin(), 'creators');

  async function getVideo(videoId: string) {
    const video = await videos().getById(videoId);
    if (!video) throw new NotFoundError('Video not found', { resource: 'video', id: videoId });
    return video;
  }

  return {
    getVideo,

    /** The video, checked to belong to `creatorId` (an event naming another creator is refused). */
    async getCreatorVideo(videoId: string, creatorId: string) {
      const video = await getVideo(videoId);
      if (video.creator_id !== creatorId) {
        throw new ForbiddenError('The video belongs to another creator', { context: { videoId, creatorId } });
      }
      return video;
    },

    async setStatus(videoId: string, status: 'processing' | 'completed' | 'failed', errorMessage?: string) {
      await videos().update(videoId, {
        processing_status: status,
        error_message: status === 'failed' ? (errorMessage ?? 'Processing failed').slice(0, 1000) : null,
        ...(status === 'completed' ? { processed_at: new Date().toISOString() } : {}),
      });
    },

    async storeTranscript(videoId: string, transcript: Transcript) {
      await videos().update(videoId, {
        full_transcript: transcript.text,
        transcript_data: transcript as unknown as Json,
      });
    },

    async loadTranscript(videoId: string): Promise<Transcript> {
      const video = await videos().getById(videoId, { select: ['id', 'transcript_data'] });
      const data = video?.transcript_data as Transcript | null | undefined;
      if (!data || !Array.isArray(data.segments)) {
        throw new ValidationError('The video has no stored transcript', { context: { videoId } });
      }
      return data;
    },

    /** Writes one batch of chunks and drops chunks at or beyond `total`; repeatable (upsert). */
    async storeChunks(videoId: string, chunks: StoredChunk[], total: number): Promise<number> {
      return callRpc(
        db.admin(),
        'store_video_chunks',
        { p_video_id: videoId, p_chunks: chunks as unknown as Json, p_total: total },
        { idempotent: true },
      );
    },

    async getCreator(creatorId: string) {
      const creator = await creators().getById(creatorId, { select: ['id', 'name', 'email'] });
      if (!creator) throw new NotFoundError('Creator not found', { resource: 'creator', id: creatorId });
      return creator;
    },
  };
}
