import { createQueryBuilder } from '@mentora/db';
import { NotFoundError } from '@mentora/errors';
import { events } from '../events.js';
import type { FunctionContext } from './deps.js';

/**
 * membership-updated: stores the new plan on the member's enrolment (when the event carries the
 * membership id and plan), then drops the member's cached membership, plan and permissions through the
 * injected `invalidateMember`, so the change applies on the next request.
 */
export function createMembershipUpdated({ inngest, deps, middleware }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'membership-updated',
      name: 'Membership Updated',
      retries: 5,
      triggers: [events['membership/updated']],
      middleware,
    },
    async ({ event, step }) => {
      const { userId, membershipId, plan } = event.data;

      let updated = 0;
      if (membershipId && plan) {
        updated = await step.run('update-plan', async () => {
          const students = createQueryBuilder(deps.db.admin(), 'students');
          const page = await students.list({
            filters: { whop_membership_id: membershipId, user_id: userId },
            select: ['id', 'plan'],
            limit: 10,
          });
          if (page.data.length === 0) {
            throw new NotFoundError('No enrolment with this membership', {
              resource: 'membership',
              id: membershipId,
            });
          }
          for (const row of page.data) if (row.plan !== plan) await students.update(row.id, { plan });
          return page.data.length;
        });
      }

      await step.run('invalidate-member-caches', async () => {
        await deps.invalidateMember(userId);
        return { userId };
      });
      return { userId, enrolmentsUpdated: updated };
    },
  );
}
