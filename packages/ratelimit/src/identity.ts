import { InvalidArgumentError } from '@mentora/errors';
import type { RateLimitIdentity } from './types.ts';

/** Longer identities are a caller bug (a whole header, a token): refuse rather than store huge keys. */
const MAX_IDENTITY_LENGTH = 512;

// The identity comes from the authenticated user or the trusted proxy, never from client input, so a bad
// one is a server bug: a generic 500 at the HTTP edge, with the reason kept for logs.
function fail(reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid rate-limit identity: ${reason}`, {
    argument: 'identity',
    context: { reason },
  });
}

function checked(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw fail('expected a non-empty string');
  if (value.length > MAX_IDENTITY_LENGTH) throw fail(`longer than ${MAX_IDENTITY_LENGTH} characters`);
  return value;
}

/** The store key part of an identity. Users and IPs live in separate key spaces ('u:' / 'ip:'). */
export function identityKey(identity: RateLimitIdentity): string {
  if (typeof identity === 'string') return `u:${checked(identity)}`;
  if (identity !== null && typeof identity === 'object') {
    if ('userId' in identity) return `u:${checked(identity.userId)}`;
    if ('ip' in identity) return `ip:${checked(identity.ip)}`;
  }
  throw fail('expected a user id string, { userId } or { ip }');
}

/** The user id whose plan the feature flags resolve, or undefined for an IP identity. */
export function identityUserId(identity: RateLimitIdentity): string | undefined {
  if (typeof identity === 'string') return identity;
  return 'userId' in identity ? identity.userId : undefined;
}

export function describeIdentity(identity: RateLimitIdentity): {
  identity: string;
  identityType: 'user' | 'ip';
} {
  if (typeof identity === 'string') return { identity, identityType: 'user' };
  if ('userId' in identity) return { identity: identity.userId, identityType: 'user' };
  return { identity: identity.ip, identityType: 'ip' };
}
