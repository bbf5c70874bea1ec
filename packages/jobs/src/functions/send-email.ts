import { events } from '../events.js';
import type { FunctionContext } from './deps.js';

/**
 * send-email: hands the message to the email port with the event id as idempotency key, so a retried
 * step (or the same event delivered twice) asks the provider to send it once.
 */
export function createSendEmail({ inngest, deps, middleware }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'send-email',
      name: 'Send Email',
      retries: 4,
      triggers: [events['email/send']],
      middleware,
    },
    async ({ event, step, runId }) => {
      const { to, template, variables } = event.data;
      const sent = await step.run('send', () =>
        deps.email.send({ to, template, variables: variables ?? {}, idempotencyKey: event.id ?? runId }),
      );
      return { messageId: sent.messageId, template };
    },
  );
}
