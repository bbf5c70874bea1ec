// RLS for every table of the generated schema, through supabase-js: anon reaches none; a user reaches
// only their own rows in every application table (read, insert, update, delete) and no infrastructure
// table; the service role reaches all. Driven by TABLE_METADATA, so a table added by a migration fails
// here until it is classified below.
import { ForbiddenError, isMentoraError, UnauthorizedError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createQueryBuilder, TABLE_METADATA, type TableName } from '../../src/index.js';
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
  const [creator, student, video] = await Promise.all([
    q('creators').getById(t.creatorId),
    q('students').getById(t.studentId),
    q('videos').getById(t.completedVideoId),
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
  });
}
