import { createHash } from 'node:crypto';
import { escapeGlob, keySegment, scopedKey } from '../keys.js';
import { CacheTTL } from '../ttl.js';

/** SHA-256 (hex) of a text: collision-resistant content keys (the seeds' 32-bit hash collides). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Invalidation tags. A key is scoped to a tag by carrying it as its Redis hash tag (`…:{student:42}`):
 * `cache.invalidateTags(['student:42'])` then drops every such key in O(1) (a version bump), on a
 * Cluster too, since the key and the tag's version share one slot.
 */
export const CacheTags = {
  student: (studentId: string) => `student:${keySegment(studentId)}`,
  creator: (creatorId: string) => `creator:${keySegment(creatorId)}`,
  creatorVideos: (creatorId: string) => `creator-videos:${keySegment(creatorId)}`,
  creatorAnalytics: (creatorId: string) => `creator-analytics:${keySegment(creatorId)}`,
  video: (videoId: string) => `video:${keySegment(videoId)}`,
  membership: (userId: string) => `membership:${keySegment(userId)}`,
  user: (userId: string) => `user:${keySegment(userId)}`,
  chatSession: (sessionId: string) => `chat:${keySegment(sessionId)}`,
} as const;

/**
 * Every key of the seeds, namespaced by data type. Entity keys carry their entity's tag as hash tag
 * (see `CacheTags`); counters and content-addressed keys are unscoped.
 */
export const CacheKeys = {
  chatSession: (sessionId: string) => scopedKey('chat:session', CacheTags.chatSession(sessionId)),
  chatHistory: (sessionId: string) => scopedKey('chat:history', CacheTags.chatSession(sessionId)),
  membership: (userId: string) => scopedKey('membership', CacheTags.membership(userId)),
  userPlan: (userId: string) => scopedKey('plan', CacheTags.membership(userId)),
  userProfile: (userId: string) => scopedKey('user:profile', CacheTags.user(userId)),
  video: (videoId: string) => scopedKey('video', CacheTags.video(videoId)),
  videosByCreator: (creatorId: string, page: number) =>
    scopedKey(`videos:page:${keySegment(page)}`, CacheTags.creatorVideos(creatorId)),
  /** SHA-256 of the text (and the model, when given, so two models never share a vector). */
  embedding: (text: string, model?: string) =>
    model === undefined
      ? `embedding:${sha256Hex(text)}`
      : `embedding:${keySegment(model)}:${sha256Hex(text)}`,
  rateLimit: (identifier: string, endpoint: string) =>
    `ratelimit:${keySegment(endpoint)}:${keySegment(identifier)}`,
  creatorSettings: (creatorId: string) => scopedKey('creator:settings', CacheTags.creator(creatorId)),
  studentProgress: (studentId: string) => scopedKey('student:progress', CacheTags.student(studentId)),
  studentAchievements: (studentId: string) => scopedKey('student:achievements', CacheTags.student(studentId)),
  quizAttempt: (attemptId: string) => `quiz:attempt:${keySegment(attemptId)}`,
  analytics: (creatorId: string, period: string) =>
    scopedKey(`analytics:${keySegment(period)}`, CacheTags.creatorAnalytics(creatorId)),

  /** Glob patterns for `deletePattern` (an admin tool: it SCANs). Invalidation should use tags. */
  studentPattern: (studentId: string) => `student:*:{${escapeGlob(CacheTags.student(studentId))}}`,
  creatorPattern: (creatorId: string) => `*:{${escapeGlob(CacheTags.creatorVideos(creatorId))}}`,
} as const;

/** The seeds' TTL for each key family, in seconds. */
export const CacheKeyTTL = {
  chatSession: 600,
  chatHistory: 600,
  membership: CacheTTL.MEDIUM,
  userPlan: CacheTTL.MEDIUM,
  userProfile: CacheTTL.MEDIUM,
  video: CacheTTL.LONG,
  videosByCreator: CacheTTL.LONG,
  embedding: CacheTTL.PERMANENT,
  rateLimit: CacheTTL.SHORT,
  creatorSettings: 1800,
  studentProgress: 900,
  studentAchievements: 900,
  quizAttempt: CacheTTL.LONG,
  analytics: 900,
} as const;
