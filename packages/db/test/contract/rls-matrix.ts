// RLS for every table of the generated schema, through supabase-js: anon reaches none; a user reaches
// only their own rows in every application table (read, insert, update, delete) and no infrastructure
// table; the service role reaches all. Driven by TABLE_METADATA, so a table added by a migration fails
// here until it is classified below.
import { ForbiddenError, isMentoraError, UnauthorizedError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import {
  createQueryBuilder,
  type MentoraSupabaseClient,
  TABLE_METADATA,
  type TableName,
} from '../../src/index.js';
import type { SuiteEnv } from './edge-cases.js';
import { createTenant, rejectionOf, type Tenant } from './fixtures.js';

const INFRASTRUCTURE_TABLES = [
  'job_queue',
  'performance_metrics',
  'system_health_logs',
  'cache_statistics',
  'api_request_logs',
  'rate_limit_violations',
  'ai_api_usage',
] as const;

type AppTable = Exclude<TableName, (typeof INFRASTRUCTURE_TABLES)[number]>;
type Row = Record<string, unknown>;

/** Everything a tenant owns, one row per application table, written by the service role. */
type Owned = Record<AppTable, Row>;

/** A row of every application table belonging to tenant `t` (ids as the admin client returned them). */
async function seedEveryTable(env: SuiteEnv, t: Tenant): Promise<Owned> {
  const q = <T extends TableName>(table: T) => createQueryBuilder(env.admin, table);
  const session = await q('chat_sessions').insert({
    student_id: t.studentId,
    creator_id: t.creatorId,
    video_id: t.completedVideoId,
  });
  const eventType = `matrix-${crypto.randomUUID()}`;
  // `videos` is the tenant's pending video, which no other row uses (so its creator may delete it).
  const [creator, student, video] = await Promise.all([
    q('creators').getById(t.creatorId),
    q('students').getById(t.studentId),
    q('videos').getById(t.pendingVideoId),
  ]);
  return {
    creators: creator as Row,
    students: student as Row,
    videos: video as Row,
    video_chunks: await q('video_chunks').insert({
      video_id: t.completedVideoId,
      chunk_index: 0,
      chunk_text: 'chunk',
    }),
    chat_sessions: session,
    chat_messages: await q('chat_messages').insert({ session_id: session.id, role: 'user', content: 'hi' }),
    video_progress: await q('video_progress').insert({
      student_id: t.studentId,
      video_id: t.completedVideoId,
    }),
    quiz_attempts: await q('quiz_attempts').insert({ student_id: t.studentId, quiz_id: crypto.randomUUID() }),
    project_submissions: await q('project_submissions').insert({
      student_id: t.studentId,
      project_id: crypto.randomUUID(),
      title: 'project',
    }),
    student_achievements: await q('student_achievements').insert({
      student_id: t.studentId,
      achievement_type: 'first_video',
    }),
    analytics_events: await q('analytics_events').insert({
      user_id: t.studentUserId,
      student_id: t.studentId,
      creator_id: t.creatorId,
      event_type: eventType,
    }),
    quizzes: await q('quizzes').insert({
      id: crypto.randomUUID(),
      video_id: t.completedVideoId,
      creator_id: t.creatorId,
      question_count: 1,
      questions: [],
    }),
    analytics_daily_metrics: await q('analytics_daily_metrics').insert({
      metric_date: '2031-01-01',
      creator_id: t.creatorId,
      event_type: eventType,
      event_count: 1,
      unique_users: 1,
    }),
  };
}

type InfrastructureTable = (typeof INFRASTRUCTURE_TABLES)[number];

/** One row of every infrastructure table, written by the service role (owned by tenant `t` where it can be). */
async function seedInfrastructure(env: SuiteEnv, t: Tenant): Promise<Record<InfrastructureTable, Row>> {
  const q = <T extends TableName>(table: T) => createQueryBuilder(env.admin, table);
  const now = new Date().toISOString();
  return {
    job_queue: await q('job_queue').insert({ function_id: 'matrix', event_name: 'test/matrix' }),
    performance_metrics: await q('performance_metrics').insert({ metric_name: 'matrix', value: 1 }),
    system_health_logs: await q('system_health_logs').insert({ service: 'matrix', status: 'healthy' }),
    cache_statistics: await q('cache_statistics').insert({
      namespace: 'matrix',
      period_start: now,
      period_end: now,
    }),
    api_request_logs: await q('api_request_logs').insert({
      method: 'GET',
      path: '/matrix',
      status_code: 200,
      duration_ms: 1,
    }),
    rate_limit_violations: await q('rate_limit_violations').insert({
      identifier: `user:${t.studentUserId}`,
      endpoint: 'matrix',
      limit_value: 1,
      window_label: '1 m',
      window_start: now,
    }),
    ai_api_usage: await q('ai_api_usage').insert({
      provider: 'local',
      model: 'matrix',
      operation: 'chat',
      creator_id: t.creatorId,
      user_id: t.studentUserId,
    }),
  };
}

type DeleteOutcome = 'deleted' | 'refused';

/**
 * What a user's DELETE does to each row of their own tenant (their own rows and those of the people
 * they work with). Every table is listed, so a new table does not compile until it is classified.
 * Deleting a creator (an account) or a student (an enrolment) is a service-role flow: students' and
 * usage data are never removed through a user's request.
 */
const OWN_TENANT_DELETE: Record<TableName, { creator: DeleteOutcome; student: DeleteOutcome }> = {
  creators: { creator: 'refused', student: 'refused' },
  students: { creator: 'refused', student: 'refused' },
  // A video nobody used yet (see the deletion rules for one that students have used).
  videos: { creator: 'deleted', student: 'refused' },
  video_chunks: { creator: 'refused', student: 'refused' },
  // A student's own conversation, with its messages.
  chat_sessions: { creator: 'refused', student: 'deleted' },
  chat_messages: { creator: 'refused', student: 'refused' },
  video_progress: { creator: 'refused', student: 'refused' },
  quiz_attempts: { creator: 'refused', student: 'refused' },
  // Written by the quiz-generation job (service role); users only read them.
  quizzes: { creator: 'refused', student: 'refused' },
  project_submissions: { creator: 'refused', student: 'refused' },
  student_achievements: { creator: 'refused', student: 'refused' },
  analytics_events: { creator: 'refused', student: 'refused' },
  analytics_daily_metrics: { creator: 'refused', student: 'refused' },
  job_queue: { creator: 'refused', student: 'refused' },
  performance_metrics: { creator: 'refused', student: 'refused' },
  system_health_logs: { creator: 'refused', student: 'refused' },
  cache_statistics: { creator: 'refused', student: 'refused' },
  api_request_logs: { creator: 'refused', student: 'refused' },
  rate_limit_violations: { creator: 'refused', student: 'refused' },
  ai_api_usage: { creator: 'refused', student: 'refused' },
};

/** The order in which the service role deletes one row of every table: rows before what they reference. */
const SERVICE_DELETE_ORDER: TableName[] = [
  'chat_messages',
  'chat_sessions',
  'video_progress',
  'quiz_attempts',
  'project_submissions',
  'student_achievements',
  'analytics_events',
  'analytics_daily_metrics',
  'video_chunks',
  'quizzes',
  'videos',
  'students',
  'creators',
  ...INFRASTRUCTURE_TABLES,
];

/** DELETE through `client`: the deleted row, or null when nothing was deleted (refused or invisible). */
async function deleteOutcome(client: MentoraSupabaseClient, table: TableName, id: string | number) {
  return createQueryBuilder(client, table)
    .delete(id)
    .then(
      (row) => row as Row | null,
      (error: unknown) => {
        // No DELETE privilege: 403 for users, 401 for anon. Anything else is a failure of the test.
        if (isMentoraError(error) && [401, 403].includes(error.status)) return null;
        throw error;
      },
    );
}

/** A row of `table` that a user of `mine` would write pointing at tenant `theirs`. */
function foreignInsert(table: AppTable, mine: Tenant, theirs: Tenant, their: Owned): Row {
  switch (table) {
    case 'creators':
      return { user_id: theirs.creatorUserId, name: 'x', email: 'x@example.com' };
    case 'students':
      return { user_id: mine.studentUserId, creator_id: theirs.creatorId, name: 'x', email: 'x@example.com' };
    case 'videos':
      return { creator_id: theirs.creatorId, title: 'x', video_url: 'u' };
    case 'video_chunks':
      return { video_id: theirs.completedVideoId, chunk_index: 9, chunk_text: 'x' };
    case 'chat_sessions':
      return { student_id: theirs.studentId, creator_id: theirs.creatorId };
    case 'chat_messages':
      return { session_id: their.chat_sessions.id, role: 'user', content: 'x' };
    case 'video_progress':
      return { student_id: theirs.studentId, video_id: theirs.completedVideoId };
    case 'quiz_attempts':
      return { student_id: theirs.studentId, quiz_id: crypto.randomUUID() };
    case 'project_submissions':
      return { student_id: theirs.studentId, project_id: crypto.randomUUID(), title: 'x' };
    case 'student_achievements':
      return { student_id: theirs.studentId, achievement_type: 'forged' };
    case 'analytics_events':
      return { user_id: theirs.studentUserId, event_type: 'forged' };
    case 'quizzes':
      return {
        id: crypto.randomUUID(),
        video_id: theirs.completedVideoId,
        creator_id: theirs.creatorId,
        question_count: 1,
        questions: [],
      };
    case 'analytics_daily_metrics':
      return {
        metric_date: '2031-01-02',
        creator_id: theirs.creatorId,
        event_type: 'forged',
        event_count: 1,
        unique_users: 1,
      };
  }
}

/** A column every user may update somewhere (or the first plain column), for the update probe. */
function patchFor(table: TableName): Row {
  const columns = Object.entries(TABLE_METADATA[table].columns);
  const text = columns.find(([name, c]) => c.type === 'text' && !name.endsWith('_id') && name !== 'id');
  return text ? { [text[0]]: 'changed' } : {};
}

export function defineRlsMatrix(env: () => SuiteEnv) {
  describe('RLS matrix: every table, every role', () => {
    it('classifies every table of the schema (a new table must be added here)', () => {
      const app = Object.keys(TABLE_METADATA).filter(
        (t) => !(INFRASTRUCTURE_TABLES as readonly string[]).includes(t),
      );
      expect(app.sort()).toEqual(
        [
          'analytics_daily_metrics',
          'analytics_events',
          'chat_messages',
          'chat_sessions',
          'creators',
          'project_submissions',
          'quiz_attempts',
          'quizzes',
          'student_achievements',
          'students',
          'video_chunks',
          'video_progress',
          'videos',
        ].sort(),
      );
    });

    it('anon reaches no table; users reach no infrastructure table; the service role reaches all', async () => {
      const { clients, admin, asUser } = env();
      const t = await createTenant(admin);
      const user = await asUser(t.studentUserId);
      for (const table of Object.keys(TABLE_METADATA) as TableName[]) {
        const anon = await rejectionOf(createQueryBuilder(clients.anon(), table).list({ limit: 1 }));
        expect(anon, `anon reads ${table}`).toBeInstanceOf(UnauthorizedError);
        await createQueryBuilder(admin, table).list({ limit: 1 });
      }
      for (const table of INFRASTRUCTURE_TABLES) {
        const read = await rejectionOf(createQueryBuilder(user, table).list({ limit: 1 }));
        expect(read, `user reads ${table}`).toBeInstanceOf(ForbiddenError);
      }
    });

    it("a user never reads, writes, updates or deletes another user's rows in any application table", async () => {
      const { admin, asUser } = env();
      const mine = await createTenant(admin);
      const theirs = await createTenant(admin);
      const their = await seedEveryTable(env(), theirs);
      const tables = Object.keys(their) as AppTable[];

      for (const userId of [mine.creatorUserId, mine.studentUserId]) {
        const user = await asUser(userId);
        for (const table of tables) {
          const q = createQueryBuilder(user, table);
          const row = their[table];
          const label = `${userId === mine.creatorUserId ? 'creator' : 'student'} on ${table}`;
          const id = row.id as string | number;

          expect(await q.getById(id), `${label}: read`).toBeNull();
          const insert = await rejectionOf(q.insert(foreignInsert(table, mine, theirs, their) as never));
          expect(insert, `${label}: insert`).toBeInstanceOf(ForbiddenError);
          const patch = patchFor(table);
          if (Object.keys(patch).length > 0) {
            const update = await rejectionOf(q.update(id, patch as never));
            // Invisible (404) or, where the column is not user-writable, refused (403).
            expect(isMentoraError(update) && [403, 404].includes(update.status), `${label}: update`).toBe(
              true,
            );
          }
          const deleted = await q.delete(id).then(
            (r) => r,
            (e: unknown) => (isMentoraError(e) && e.status === 403 ? null : Promise.reject(e)),
          );
          expect(deleted, `${label}: delete`).toBeNull();
        }
      }

      // Nor their own plan: billing columns belong to the service role.
      const student = createQueryBuilder(await asUser(mine.studentUserId), 'students');
      expect(
        await rejectionOf(student.update(mine.studentId, { plan: 'enterprise' }, { expectedVersion: 1 })),
      ).toBeInstanceOf(ForbiddenError);
      const newcomer = crypto.randomUUID();
      const self = createQueryBuilder(await asUser(newcomer), 'creators');
      expect(
        await rejectionOf(self.insert({ user_id: newcomer, name: 'n', email: 'n@example.com', plan: 'pro' })),
      ).toBeInstanceOf(ForbiddenError);
      expect((await self.insert({ user_id: newcomer, name: 'n', email: 'n@example.com' })).plan).toBe(
        'basic',
      );

      // Everything is still there, unchanged.
      for (const table of tables) {
        const now = await createQueryBuilder(admin, table).getById(their[table].id as string | number);
        expect(now, table).toEqual(their[table]);
      }
    });

    it("a creator's DELETE /creators?user_id=eq.<own id> is refused; the service role's account deletion keeps usage owned", async () => {
      const { admin, asUser } = env();
      const t = await createTenant(admin);
      const rows = { ...(await seedEveryTable(env(), t)), ...(await seedInfrastructure(env(), t)) };
      const creator = await asUser(t.creatorUserId);
      // The request of the review, as supabase-js sends it (not through the query builder's delete by id).
      const { error } = await creator.from('creators').delete().eq('user_id', t.creatorUserId);
      expect(error).toMatchObject({ code: '42501' });
      for (const [table, row] of Object.entries(rows) as [TableName, Row][]) {
        expect(await createQueryBuilder(admin, table).getById(row.id as string | number), table).toEqual(row);
      }

      await createQueryBuilder(admin, 'creators').delete(t.creatorId);
      expect(await createQueryBuilder(admin, 'students').getById(t.studentId)).toBeNull();
      expect(
        await createQueryBuilder(admin, 'ai_api_usage').getById(rows.ai_api_usage.id as number),
      ).toMatchObject({ creator_id: t.creatorId, user_id: t.studentUserId });
    });

    it('DELETE, every table and every role: anon none, users only what the allow-list says, the service role all', async () => {
      const { clients, admin, asUser } = env();
      const rowsOf = async () => {
        const t = await createTenant(admin);
        return { t, rows: { ...(await seedEveryTable(env(), t)), ...(await seedInfrastructure(env(), t)) } };
      };
      const tables = Object.keys(TABLE_METADATA) as TableName[];
      expect([...SERVICE_DELETE_ORDER].sort()).toEqual([...tables].sort());

      const stillThere = async (table: TableName, row: Row, label: string) =>
        expect(await createQueryBuilder(admin, table).getById(row.id as string | number), label).toEqual(row);

      // anon: nothing, anywhere.
      const forAnon = await rowsOf();
      for (const table of tables) {
        const row = forAnon.rows[table];
        expect(
          await deleteOutcome(clients.anon(), table, row.id as string | number),
          `anon deletes ${table}`,
        ).toBeNull();
        await stillThere(table, row, `anon deletes ${table}`);
      }

      // Users: each on a tenant of their own, so one user's allowed delete does not hide another's.
      for (const who of ['creator', 'student'] as const) {
        const { t, rows } = await rowsOf();
        const user = await asUser(who === 'creator' ? t.creatorUserId : t.studentUserId);
        for (const table of tables) {
          const row = rows[table];
          const label = `${who} deletes own-tenant ${table}`;
          const deleted = await deleteOutcome(user, table, row.id as string | number);
          if (OWN_TENANT_DELETE[table][who] === 'deleted') {
            expect(deleted?.id, label).toEqual(row.id);
            expect(
              await createQueryBuilder(admin, table).getById(row.id as string | number),
              label,
            ).toBeNull();
          } else {
            expect(deleted, label).toBeNull();
            await stillThere(table, row, label);
          }
        }
      }

      // The service role: any row.
      const forService = await rowsOf();
      for (const table of SERVICE_DELETE_ORDER) {
        const row = forService.rows[table];
        const deleted = await deleteOutcome(admin, table, row.id as string | number);
        expect(deleted?.id, `service role deletes ${table}`).toEqual(row.id);
      }
    });
  });
}
