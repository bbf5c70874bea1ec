import { createQueryBuilder } from '@mentora/db';
import { NotFoundError } from '@mentora/errors';
import { events } from '../events.js';
import type { FunctionContext } from './deps.js';

/**
 * achievement-unlocked: records the achievement once per student (the first unlock's time stays) and
 * congratulates the student by email, once per student and achievement.
 */
export function createAchievementUnlocked({ inngest, deps, middleware }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'achievement-unlocked',
      name: 'Achievement Unlocked',
      retries: 3,
      triggers: [events['student/achievement.unlocked']],
      middleware,
    },
    async ({ event, step }) => {
      const { studentId, achievementId, xpEarned } = event.data;

      const student = await step.run('record-achievement', async () => {
        const row = await createQueryBuilder(deps.db.admin(), 'students').getById(studentId, {
          select: ['id', 'name', 'email'],
        });
        if (!row) throw new NotFoundError('Student not found', { resource: 'student', id: studentId });
        await createQueryBuilder(deps.db.admin(), 'student_achievements').upsert(
          [{ student_id: studentId, achievement_type: achievementId, achievement_data: { xpEarned } }],
          { onConflict: ['student_id', 'achievement_type'], ignoreDuplicates: true },
        );
        return { name: row.name, email: row.email };
      });

      await step.sendEvent('notify-student', {
        name: 'email/send',
        id: `achievement-unlocked-${studentId}-${achievementId}`,
        data: {
          to: student.email,
          template: 'achievement-unlocked',
          variables: { name: student.name, achievementId, xpEarned },
        },
      });
      return { studentId, achievementId };
    },
  );
}
