import { ValidationError } from '@mentora/errors';
import { type EventData, type EventName, eventSchemas, type JobEvent } from './events.js';

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(eventSchemas, name);
}

/**
 * Checks one outgoing event against the catalog and returns it with its data parsed (defaults applied).
 * An unknown name or invalid data is a ValidationError whose issues point into the event
 * (`#/data/videoId`); nothing has been sent at that point.
 */
export function validateEvent<E extends JobEvent>(event: E): E & { data: EventData<E['name']> } {
  if (typeof event !== 'object' || event === null) {
    throw new ValidationError('An event must be an object with a name and data', {
      issues: [{ path: [], message: 'expected an object' }],
    });
  }
  const { name } = event as { name?: unknown };
  if (!isEventName(name)) {
    throw new ValidationError(`Unknown event name: ${JSON.stringify(name)}`, {
      issues: [{ path: ['name'], message: `must be one of: ${Object.keys(eventSchemas).join(', ')}` }],
      context: { event: String(name) },
    });
  }
  const result = eventSchemas[name].safeParse((event as { data?: unknown }).data ?? {});
  if (!result.success) {
    throw ValidationError.fromIssues(
      result.error.issues.map((i) => ({ path: ['data', ...i.path], message: i.message, code: i.code })),
      `Invalid ${name} event: ${result.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}`,
      { context: { event: name } },
    );
  }
  if (event.id !== undefined && (typeof event.id !== 'string' || event.id.length === 0)) {
    throw new ValidationError('An event id must be a non-empty string', {
      issues: [{ path: ['id'], message: 'must be a non-empty string' }],
      context: { event: name },
    });
  }
  return { ...event, data: result.data } as E & { data: EventData<E['name']> };
}
