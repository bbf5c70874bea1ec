/**
 * Options for errors about what server code handed the cache (an unserializable or oversized value, a bad
 * key, tag, TTL or pattern). They stay ValidationErrors for callers that catch them, but none of it is
 * client input: at the HTTP edge they render as a generic 500, never a 400 that shows internals.
 */
export const CALLER_BUG = { status: 500, expose: false } as const;
