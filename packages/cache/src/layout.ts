import { InvalidArgumentError } from '@mentora/errors';
import type { CachePayload } from './types.js';

/**
 * Where a cache's entries live in its store. An entry is `<namespace>|<key>`: `|` cannot occur in a
 * namespace, so no namespace's prefix is a prefix of another's (with `:`, namespace `a` + key `b:x` and
 * namespace `a:b` + key `x` were one key, and `a`'s deletePattern('*') deleted every key of `a:b`).
 * Version keys and leases live outside every namespace (a namespace cannot contain `~`).
 */
const NAMESPACE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
const NAMESPACE_SEPARATOR = '|';
const VERSION_PREFIX = '~tagv:';
const LOCK_PREFIX = '~lock:';

/** The prefix of every key of a namespace; an unusable namespace is a programmer mistake. */
export function namespacePrefix(namespace: unknown): string {
  if (typeof namespace !== 'string' || !NAMESPACE_RE.test(namespace)) {
    throw new InvalidArgumentError(
      `Invalid cache namespace ${JSON.stringify(namespace)}: letters, digits and _ . : - only`,
      { code: 'CACHE_INVALID_NAMESPACE', argument: 'namespace', context: { namespace } },
    );
  }
  return namespace + NAMESPACE_SEPARATOR;
}

/** A tag's version key: in the tag's hash slot, so a scoped read or write is one slot on a Cluster. */
export function versionKeyOf(tag: string): string {
  return `${VERSION_PREFIX}{${tag}}`;
}

/** The cross-process lease of an entry. */
export function lockKeyOf(storeKey: string): string {
  return LOCK_PREFIX + storeKey;
}

export function checkTag(tag: string): void {
  if (typeof tag !== 'string' || tag.length === 0 || tag.includes('{') || tag.includes('}')) {
    throw new InvalidArgumentError(`Invalid cache tag ${JSON.stringify(tag)}: non-empty, without braces`, {
      code: 'CACHE_INVALID_TAG',
      argument: 'tag',
      context: { tag },
    });
  }
}

/**
 * The payload of a scoped entry (stored as `version:payload`) when it was written under `version`, else
 * null (written before the tag's last invalidation, or absent). A view, not a copy.
 */
export function unstamp(raw: CachePayload | null, version: string): CachePayload | null {
  if (raw === null) return null;
  const n = version.length;
  if (raw.length <= n || raw[n] !== 58 /* ':' */) return null;
  // Versions are decimal digits: one byte per character.
  for (let i = 0; i < n; i++) if (raw[i] !== version.charCodeAt(i)) return null;
  return raw.subarray(n + 1);
}

/** `version:payload`, what the memory store keeps for a scoped entry (the Redis script builds it in Lua). */
export function stamp(version: string, payload: CachePayload): CachePayload {
  const out = new Uint8Array(version.length + 1 + payload.length);
  for (let i = 0; i < version.length; i++) out[i] = version.charCodeAt(i);
  out[version.length] = 58;
  out.set(payload, version.length + 1);
  return out;
}
