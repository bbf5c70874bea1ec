import type { Cache } from '../cache.js';
import { CacheTags } from './keys.js';

/**
 * Mentora's invalidation operations (what changes when a student, video, membership… changes), done with
 * tag version bumps: O(1) per entity, no SCAN, no KEYS, Cluster-safe, and across every namespace sharing
 * the store (tags are not namespaced). Rejects with ServiceUnavailableError when the store is down, so a
 * caller can retry.
 */
export class CacheInvalidator {
  constructor(private readonly cache: Pick<Cache, 'invalidateTags'>) {}

  /** Progress, achievements: every key scoped to `CacheTags.student(id)`. */
  invalidateStudent(studentId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.student(studentId)]);
  }

  /** The video and its creator's video listings. */
  invalidateVideo(videoId: string, creatorId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.video(videoId), CacheTags.creatorVideos(creatorId)]);
  }

  /** Membership and plan of a user (a plan change takes effect on the next read). */
  invalidateMembership(userId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.membership(userId)]);
  }

  /** Settings, video listings and analytics of a creator. */
  invalidateCreator(creatorId: string): Promise<void> {
    return this.cache.invalidateTags([
      CacheTags.creator(creatorId),
      CacheTags.creatorVideos(creatorId),
      CacheTags.creatorAnalytics(creatorId),
    ]);
  }

  /** A user's profile, membership and plan. */
  invalidateUser(userId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.user(userId), CacheTags.membership(userId)]);
  }

  /** Analytics of a creator (after a recalculation). */
  invalidateAnalytics(creatorId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.creatorAnalytics(creatorId)]);
  }

  /** Session context and history. */
  invalidateChatSession(sessionId: string): Promise<void> {
    return this.cache.invalidateTags([CacheTags.chatSession(sessionId)]);
  }
}
