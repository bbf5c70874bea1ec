// Request bodies of the API routes (Standard Schema, checked by readJson: invalid → 400 listing the fields).
import { z } from 'zod';

export const chatRequest = z.object({
  message: z.string().trim().min(1).max(4_000),
  /** A session id this API handed out earlier; absent to start a new session. */
  sessionId: z.uuid().optional(),
});

export const videoUploadRequest = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(5_000).optional(),
  videoUrl: z.url({ protocol: /^https?$/ }).max(2_000),
  durationSeconds: z.number().int().nonnegative().max(86_400),
  autoGenerateQuiz: z.boolean().optional(),
});

export const quizRequest = z.object({
  videoId: z.uuid(),
  questionCount: z.number().int().min(1).max(50).default(5),
});

/** The subset of a Whop membership webhook this app acts on. */
export const whopMembershipEvent = z.object({
  action: z.string().min(1).max(100),
  data: z.object({
    /** Whop's membership id (students.whop_membership_id). */
    id: z.string().min(1).max(200),
    /** The plan the membership grants now. */
    plan: z.enum(['basic', 'pro', 'enterprise']).optional(),
  }),
});

export const videosQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(4_096).optional(),
});
