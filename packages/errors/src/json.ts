// No imports: both the base class (toJSON) and the serializer use these, without an import cycle.

/**
 * JSON-safe copy: Dates → ISO strings, bigint → string, errors → `errorJson`, Map/Set → object/array,
 * cycles → '[Circular]'. Never throws on cycles or bigint, so logging an error can never fail.
 */
export function toJsonSafe(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol')
    return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth > 32) return '[MaxDepth]';
  seen.add(obj);
  try {
    // Before toJSON: a Mentora error's toJSON would start a fresh cycle guard.
    if (obj instanceof Error) return errorJson(obj, seen, depth);
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
      return toJsonSafe((obj as { toJSON(): unknown }).toJSON(), seen, depth + 1);
    }
    if (Array.isArray(obj)) return obj.map((v) => toJsonSafe(v, seen, depth + 1) ?? null);
    if (obj instanceof Map) return toJsonSafe(Object.fromEntries(obj), seen, depth + 1);
    if (obj instanceof Set) return toJsonSafe([...obj], seen, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const safe = toJsonSafe(v, seen, depth + 1);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * An error as JSON: name, message, its own enumerable fields (code, status, context…) and its cause,
 * without the stack (JSON output often ends up where file paths must not).
 */
export function errorJson(err: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: String(err.name), message: String(err.message) };
  for (const [k, v] of Object.entries(err)) {
    if (k === 'stack' || k === 'cause' || Object.hasOwn(out, k)) continue;
    const safe = toJsonSafe(v, seen, depth + 1);
    if (safe !== undefined) out[k] = safe;
  }
  if (err.cause !== undefined) {
    const cause = toJsonSafe(err.cause, seen, depth + 1);
    if (cause !== undefined) out.cause = cause;
  }
  return out;
}
