/**
 * Key segments never carry `{`, `}` or `%` raw: braces would move a key into another entity's hash tag
 * (and so another entity's invalidation scope), so they are percent-encoded. Other text is kept readable.
 */
export function keySegment(value: string | number): string {
  const s = String(value);
  return /[%{}]/.test(s) ? s.replace(/[%{}]/g, (c) => encodeURIComponent(c)) : s;
}

/** Escapes Redis glob metacharacters so a value matches only itself inside a pattern. */
export function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** `prefix:{tag}`: a key inside a tag's invalidation scope. */
export function scopedKey(prefix: string, tag: string): string {
  return `${prefix}:{${tag}}`;
}

/**
 * The tag of a key: the content of its Redis hash tag (first `{`, then the first `}` after it, non-empty),
 * exactly as Redis Cluster picks the slot. Undefined for unscoped keys.
 */
export function tagOfKey(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
