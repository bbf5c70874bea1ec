import { createQueryBuilder } from '@mentora/db';
import { ServiceUnavailableError, ValidationError } from '@mentora/errors';
import { verifyWebhook } from '@mentora/http';
import { getInfrastructure, withInfrastructure } from '../../../../src/infrastructure';
import { whopMembershipEvent } from '../../../../src/schemas';

export const dynamic = 'force-dynamic';

/** What each membership action means for the member's plan; other actions are acknowledged and ignored. */
function planFor(action: string, plan: 'basic' | 'pro' | 'enterprise' | undefined) {
  if (action === 'membership.went_valid' || action === 'membership.updated') return plan;
  if (action === 'membership.went_invalid' || action === 'membership.cancelled') return 'basic';
  return undefined;
}

// Billing webhook: the signature is checked on the raw body before anything is parsed, a delivery id
// seen inside the replay window is refused (409), and a membership change updates the member's plan,
// drops their cached membership and plan (the next request sees the new plan) and tells the worker.
export const POST = withInfrastructure(
  async (request, ctx) => {
    const infra = getInfrastructure();
    const secret = infra.config.app.whopWebhookSecret;
    if (!secret) throw new ServiceUnavailableError('Webhooks are not configured');
    const delivery = await verifyWebhook(request, { secret, toleranceSeconds: 300 });
    // 409 for a delivery id seen within the window; an id whose processing fails (503 while the database
    // is down) is released, so the sender's retry applies it instead of being refused as a replay.
    return infra.replayGuard.once(delivery.id, async () => {
      const parsed = whopMembershipEvent.safeParse(delivery.payload);
      if (!parsed.success)
        throw ValidationError.fromIssues(parsed.error.issues, 'Unsupported webhook payload');
      const { action, data } = parsed.data;
      const plan = planFor(action, data.plan);
      if (!plan) return { received: true, applied: false };

      const students = createQueryBuilder(infra.db.admin(), 'students');
      const rows = await students.list({
        filters: { whop_membership_id: data.id },
        select: ['id', 'user_id', 'plan'],
        limit: 10,
        signal: request.signal,
      });
      const member = rows.data[0];
      if (!member) {
        ctx.log.warn('membership webhook for an unknown membership', { action });
        return { received: true, applied: false };
      }
      if (member.plan !== plan) await students.update(member.id, { plan }, { signal: request.signal });
      await Promise.all([
        infra.invalidator.invalidateMembership(member.user_id),
        infra.flags.invalidate(member.user_id),
      ]);
      await infra.jobs.send({
        name: 'membership/updated',
        data: { userId: member.user_id, membershipId: data.id, plan },
      });
      return { received: true, applied: true, plan };
    });
  },
  { logging: true, errorTracking: true },
);
