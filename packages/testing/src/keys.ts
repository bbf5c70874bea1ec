import { createHmac, randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@mentora/errors';

export type SupabaseRole = 'anon' | 'authenticated' | 'service_role' | (string & {});

export interface SignSupabaseJwtOptions {
  role: SupabaseRole;
  sub?: string;
  /** Seconds until expiry, or a span such as '30m', '1h', '7d'. Default: 10 years, like Supabase's API keys. */
  expiresIn?: number | string;
  /** Extra claims (email, app_metadata, ...). They cannot override iss/role/sub/iat/exp. */
  claims?: Record<string, unknown>;
}

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 60 * 60;

/**
 * A fresh random JWT secret: 64 hex characters (256 bits). PostgREST wants at least 32 characters
 * and HS256 should get at least 256 bits.
 */
export function generateJwtSecret(): string {
  return randomBytes(32).toString('hex');
}

const SPAN_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** `3600` or `'1h'` → seconds. */
function spanSeconds(span: number | string): number {
  if (typeof span === 'number' && Number.isFinite(span)) return Math.floor(span);
  const match = typeof span === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(span) : null;
  if (!match)
    throw new InvalidArgumentError(`expiresIn must be seconds or a span like '1h', not ${String(span)}`);
  return Math.floor(Number(match[1]) * (SPAN_UNITS[match[2] as string] as number));
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Signs an HS256 JWT the way Supabase signs its API keys: `{ iss: 'supabase', role, iat, exp }`
 * (plus `sub` for a user). PostgREST switches to the database role named by the `role` claim.
 * HS256 is one HMAC over `header.payload`: node:crypto does it, no JWT library needed.
 */
export async function signSupabaseJwt(secret: string, options: SignSupabaseJwtOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + spanSeconds(options.expiresIn ?? TEN_YEARS_SECONDS);
  const payload = {
    ...options.claims,
    iss: 'supabase',
    role: options.role,
    ...(options.sub === undefined ? {} : { sub: options.sub }),
    iat: now,
    exp,
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** The anon and service_role API keys for a secret. */
export async function signApiKeys(secret: string): Promise<{ anonKey: string; serviceRoleKey: string }> {
  const [anonKey, serviceRoleKey] = await Promise.all([
    signSupabaseJwt(secret, { role: 'anon' }),
    signSupabaseJwt(secret, { role: 'service_role' }),
  ]);
  return { anonKey, serviceRoleKey };
}

/**
 * An access token for a signed-in user, as Supabase Auth issues it: role `authenticated`,
 * `sub` = the user id (a uuid, since `auth.uid()` casts it), `aud` = 'authenticated', one hour.
 */
export function signUserToken(
  secret: string,
  userId: string,
  options: { expiresIn?: number | string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  return signSupabaseJwt(secret, {
    role: 'authenticated',
    sub: userId,
    expiresIn: options.expiresIn ?? 3600,
    claims: { aud: 'authenticated', ...options.claims },
  });
}
