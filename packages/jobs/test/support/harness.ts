// End-to-end harness: a Supabase stack (embedded or Postgres + PostgREST), the job functions served by
// Inngest's Node serve handler on a real HTTP port, and the local runner driving that endpoint.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createInfrastructureWriters, createSupabaseClients, type SupabaseClients } from '@mentora/db';
import { createLogger, createMetrics, type ErrorReporter, type Metrics } from '@mentora/monitoring';
import { type SupabaseStack, type SupabaseStackMode, startSupabaseStack } from '@mentora/testing';
import { serve } from 'inngest/node';
import { afterAll, beforeAll } from 'vitest';
import {
  createFunctions,
  createJobsClient,
  createLocalPorts,
  type JobFunctions,
  type JobFunctionsDeps,
  type JobsClient,
  LOCAL_AI_PRICES,
  type LocalPorts,
} from '../../src/index.js';
import { createLocalRunner, type LocalRunner, type LocalRunnerOptions } from '../../src/testing/index.js';

export const SIGNING_KEY = 'signkey-test-8d9c1f0a7e6b5d4c3b2a19080706050403020100ffeeddccbbaa998877665544';
const migrationsDir = join(import.meta.dirname, '..', '..', '..', '..', 'supabase', 'migrations');

export interface CapturedReport {
  error: unknown;
  context: unknown;
}

export interface JobsHarness {
  stack: SupabaseStack;
  db: SupabaseClients;
  client: JobsClient;
  functions: JobFunctions;
  ports: LocalPorts;
  runner: LocalRunner;
  reports: CapturedReport[];
  invalidated: string[];
  /** Written to the stack's performance_metrics and ai_api_usage (flush before reading). */
  metrics: Metrics;
  /** Every log line the functions and the runner wrote (JSON). */
  logs: Array<Record<string, unknown>>;
  url: string;
  close(): Promise<void>;
}

/** An ErrorReporter that keeps what it was given (the Sentry one is tested in @mentora/monitoring). */
export function captureReporter(reports: CapturedReport[]): ErrorReporter {
  return {
    captureException(error, context) {
      reports.push({ error, context });
      return randomUUID();
    },
    async flush() {
      return true;
    },
    async close() {
      return true;
    },
  };
}

export interface HarnessOptions {
  /** Replace some ports (failing or slow providers). */
  ports?: (local: LocalPorts) => Partial<JobFunctionsDeps>;
  runner?: Partial<LocalRunnerOptions>;
  functionOptions?: JobFunctionsDeps['options'];
}

export async function startHarness(stack: SupabaseStack, options: HarnessOptions = {}): Promise<JobsHarness> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  const logger = createLogger({ service: 'jobs-test', level: 'info', format: 'json', destination });
  const db = createSupabaseClients({
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
  });
  const reports: CapturedReport[] = [];
  const invalidated: string[] = [];
  const metrics = createMetrics({
    writers: createInfrastructureWriters(db, { logger }),
    prices: LOCAL_AI_PRICES,
    logger,
  });

  // The runner's event API must exist before the client: the client sends to it.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  const runner = createLocalRunner({ url, signingKey: SIGNING_KEY, logger, ...options.runner });
  const ports = createLocalPorts();
  const eventApi = await runner.listen();
  const client = createJobsClient({
    signingKey: SIGNING_KEY,
    eventKey: 'test-event-key',
    baseUrl: eventApi,
    logger,
  });
  const functions = createFunctions({
    client,
    db,
    ...ports,
    invalidateMember: async (userId) => {
      invalidated.push(userId);
    },
    errorReporter: captureReporter(reports),
    metrics,
    logger,
    ...(options.functionOptions ? { options: options.functionOptions } : {}),
    ...options.ports?.(ports),
  });
  server.on('request', serve({ client: client.inngest, functions: functions.all }));
  await runner.sync();

  return {
    stack,
    db,
    client,
    functions,
    ports,
    runner,
    reports,
    invalidated,
    metrics,
    logs,
    url,
    async close() {
      await runner.waitForIdle();
      await runner.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await client.close();
      await metrics.close();
      await db.close();
      await logger.close();
    },
  };
}

/** A Supabase stack for the current file, with this repository's migrations (no seed). */
export function useStack(mode: SupabaseStackMode): { get(): SupabaseStack } {
  let stack: SupabaseStack | undefined;
  beforeAll(async () => {
    stack = await startSupabaseStack({ mode, migrationsDir });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  }, 180_000);
  return {
    get() {
      if (!stack) throw new Error('stack not started');
      return stack;
    },
  };
}

export interface Fixture {
  creatorId: string;
  creatorEmail: string;
  videoId: string;
  videoUrl: string;
  studentId: string;
  studentUserId: string;
  studentEmail: string;
  membershipId: string;
}

/** A creator with one pending video and one enrolled student, under fresh ids. */
export async function createFixture(
  stack: SupabaseStack,
  overrides: { videoStatus?: string } = {},
): Promise<Fixture> {
  const f: Fixture = {
    creatorId: randomUUID(),
    creatorEmail: `creator-${randomUUID().slice(0, 8)}@example.com`,
    videoId: randomUUID(),
    videoUrl: `https://videos.example.com/${randomUUID()}.mp4`,
    studentId: randomUUID(),
    studentUserId: randomUUID(),
    studentEmail: `student-${randomUUID().slice(0, 8)}@example.com`,
    membershipId: `mem_${randomUUID().slice(0, 12)}`,
  };
  await stack.runSql(`
    insert into public.creators (id, user_id, name, email) values ('${f.creatorId}', '${randomUUID()}', 'Creator', '${f.creatorEmail}');
    insert into public.videos (id, creator_id, title, video_url, duration_seconds, processing_status)
      values ('${f.videoId}', '${f.creatorId}', 'Intro video', '${f.videoUrl}', 600, '${overrides.videoStatus ?? 'pending'}');
    insert into public.students (id, user_id, creator_id, name, email, whop_membership_id)
      values ('${f.studentId}', '${f.studentUserId}', '${f.creatorId}', 'Student', '${f.studentEmail}', '${f.membershipId}');
  `);
  return f;
}

/** The job_queue rows of a run (there must be at most one). */
export async function jobRows(h: JobsHarness, runId: string) {
  const { data, error } = await h.db.admin().from('job_queue').select('*').eq('run_id', runId);
  if (error) throw new Error(error.message);
  return data;
}

export async function chunkCount(h: JobsHarness, videoId: string): Promise<number> {
  const { count, error } = await h.db
    .admin()
    .from('video_chunks')
    .select('id', { count: 'exact', head: true })
    .eq('video_id', videoId);
  if (error) throw new Error(error.message);
  return count ?? 0;
}

export async function video(h: JobsHarness, videoId: string) {
  const { data, error } = await h.db.admin().from('videos').select('*').eq('id', videoId).single();
  if (error) throw new Error(error.message);
  return data;
}

export function uploadEvent(f: Fixture, extra: { autoGenerateQuiz?: boolean } = {}) {
  return {
    name: 'video/upload.completed' as const,
    data: { videoId: f.videoId, creatorId: f.creatorId, videoUrl: f.videoUrl, duration: 600, ...extra },
  };
}
