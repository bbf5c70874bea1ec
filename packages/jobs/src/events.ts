// The event catalog: every event the Mentora jobs send or react to, declared once as a zod schema. The
// TypeScript types, Inngest's typed triggers and the runtime validation of `send` all derive from it.
import { PLAN_TIERS } from '@mentora/config';
import { eventType } from 'inngest';
import { z } from 'zod';

const id = () => z.string().uuid();
const isoDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

/** Email templates the `email/send` job knows how to render. */
export const EMAIL_TEMPLATES = [
  'video-processing-failed',
  'video-health-alert',
  'achievement-unlocked',
  'quiz-ready',
] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

/** Data schemas, by event name. */
export const eventSchemas = {
  'video/upload.completed': z.object({
    videoId: id(),
    creatorId: id(),
    videoUrl: z.string().url(),
    /** Seconds. */
    duration: z.number().nonnegative().finite(),
    /** Request a quiz once the video is processed. */
    autoGenerateQuiz: z.boolean().optional(),
  }),
  'video/transcription.completed': z.object({
    videoId: id(),
    creatorId: id(),
    chunkCount: z.number().int().nonnegative(),
  }),
  'quiz/generation.requested': z.object({
    /** Chosen by the requester: a retried or repeated request writes the same quiz. */
    quizId: id(),
    videoId: id(),
    creatorId: id(),
    questionCount: z.number().int().min(1).max(50),
  }),
  'student/achievement.unlocked': z.object({
    studentId: id(),
    /** The achievement's type, e.g. `first-quiz-passed`: a student unlocks each one once. */
    achievementId: z.string().min(1).max(100),
    xpEarned: z.number().int().nonnegative(),
  }),
  'analytics/daily.aggregate': z.object({
    /** UTC day to roll up; the day before the event by default. */
    date: isoDate().optional(),
  }),
  'email/send': z.object({
    to: z.string().email(),
    template: z.enum(EMAIL_TEMPLATES),
    variables: z.record(z.string(), z.unknown()).optional(),
  }),
  'membership/updated': z.object({
    /** The member's auth user id: whose caches and plan are invalidated. */
    userId: id(),
    /** The billing provider's membership id (students.whop_membership_id). */
    membershipId: z.string().min(1).max(200).optional(),
    /** The new plan; stored on the member's enrolments when given with `membershipId`. */
    plan: z.enum(PLAN_TIERS).optional(),
  }),
} as const;

export type EventName = keyof typeof eventSchemas;
/** Every event name of the catalog, in declaration order. */
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[];

/** What a sender passes as `data`. */
export type EventInput<N extends EventName> = z.input<(typeof eventSchemas)[N]>;
/** What a handler receives as `event.data` (validated). */
export type EventData<N extends EventName> = z.output<(typeof eventSchemas)[N]>;

/** One event to send: a catalog name and its data, with Inngest's optional `id` (deduplication) and `ts`. */
export type JobEvent = {
  [N in EventName]: { name: N; data: EventInput<N>; id?: string; ts?: number };
}[EventName];

/**
 * Inngest triggers for the catalog: `triggers: [events['video/upload.completed']]` types `event.data`
 * in the handler, and Inngest validates a received event against the same schema.
 */
export const events = {
  'video/upload.completed': eventType('video/upload.completed', {
    schema: eventSchemas['video/upload.completed'],
  }),
  'video/transcription.completed': eventType('video/transcription.completed', {
    schema: eventSchemas['video/transcription.completed'],
  }),
  'quiz/generation.requested': eventType('quiz/generation.requested', {
    schema: eventSchemas['quiz/generation.requested'],
  }),
  'student/achievement.unlocked': eventType('student/achievement.unlocked', {
    schema: eventSchemas['student/achievement.unlocked'],
  }),
  'analytics/daily.aggregate': eventType('analytics/daily.aggregate', {
    schema: eventSchemas['analytics/daily.aggregate'],
  }),
  'email/send': eventType('email/send', { schema: eventSchemas['email/send'] }),
  'membership/updated': eventType('membership/updated', { schema: eventSchemas['membership/updated'] }),
};
