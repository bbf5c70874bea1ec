import { Middleware } from 'inngest';
import type { JobEvent } from '../events.js';
import { validateEvent } from '../validate.js';

/**
 * Validates every event sent through the client, `step.sendEvent` included, against the catalog before
 * it leaves the process. Inngest's own events (`inngest/…`) pass through.
 */
export function validationMiddleware(): Middleware.Class {
  return class EventValidationMiddleware extends Middleware.BaseMiddleware {
    readonly id = 'mentora-event-validation';

    override transformSendEvent(args: Middleware.TransformSendEventArgs): Middleware.TransformSendEventArgs {
      return {
        ...args,
        events: args.events.map((event) =>
          event.name.startsWith('inngest/') ? event : validateEvent(event as unknown as JobEvent),
        ) as typeof args.events,
      };
    }
  };
}
