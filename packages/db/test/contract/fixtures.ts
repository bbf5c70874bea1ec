import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { createQueryBuilder, type MentoraSupabaseClient } from '../../src/index.js';

export const supabaseDir = join(import.meta.dirname, '..', '..', '..', '..', 'supabase');

/** Runs SQL as the superuser on the stack's database (fixtures that PostgREST cannot write, SQL tests). */
export async function withPg<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The pgTAP files of supabase/tests, in name order. */
export async function sqlTestFiles(): Promise<string[]> {
  const dir = join(supabaseDir, 'tests');
  return (await readdir(dir))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => join(dir, name));
}

export interface Tenant {
  creatorUserId: string;
  creatorId: string;
  studentUserId: string;
  studentId: string;
  completedVideoId: string;
  pendingVideoId: string;
}

/** A creator with one completed and one pending video, and a student enrolled with them. */
export async function createTenant(admin: MentoraSupabaseClient): Promise<Tenant> {
  const creatorUserId = crypto.randomUUID();
  const studentUserId = crypto.randomUUID();
  const creator = await createQueryBuilder(admin, 'creators').insert({
    user_id: creatorUserId,
    name: 'Creator',
    email: `c-${creatorUserId}@example.com`,
  });
  const student = await createQueryBuilder(admin, 'students').insert({
    user_id: studentUserId,
    creator_id: creator.id,
    name: 'Student',
    email: `s-${studentUserId}@example.com`,
  });
  const [completed, pending] = await createQueryBuilder(admin, 'videos').insertMany([
    { creator_id: creator.id, title: 'Completed', video_url: 'https://v/1', processing_status: 'completed' },
    { creator_id: creator.id, title: 'Pending', video_url: 'https://v/2', processing_status: 'pending' },
  ]);
  return {
    creatorUserId,
    creatorId: creator.id,
    studentUserId,
    studentId: student.id,
    completedVideoId: completed!.id,
    pendingVideoId: pending!.id,
  };
}

/** The typed error a promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (error: unknown) => error,
  );
}

/**
 * A real fetch that loses the answer of selected requests after the server processed them (or
 * refuses them before sending), as a reset connection would. The request itself is real: PostgREST
 * and Postgres execute it. This is how the tests prove that retries never apply a write twice.
 */
export function createFaultyFetch() {
  let plan:
    | { match: (method: string, url: string) => boolean; mode: 'lose-response' | 'refuse'; times: number }
    | undefined;
  let sent = 0;
  const requests: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    requests.push(`${method} ${new URL(url).pathname}`);
    if (plan && plan.times > 0 && plan.match(method, url)) {
      plan.times--;
      if (plan.mode === 'refuse') {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
        });
      }
      const response = await fetch(input, init);
      await response.arrayBuffer();
      sent++;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      });
    }
    return fetch(input, init);
  };
  return {
    fetch: fetchImpl,
    /** The next `times` requests matching `match` fail as `mode` says. */
    failNext(match: (method: string, url: string) => boolean, mode: 'lose-response' | 'refuse', times = 1) {
      plan = { match, mode, times };
    },
    /** Every request made, as `METHOD /path`. */
    requests,
    /** How many requests reached the server but had their answer dropped. */
    get lostResponses() {
      return sent;
    },
  };
}
