import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export type SupabaseRole = 'anon' | 'authenticated' | 'service_role' | (string & {});

export interface SignSupabaseJwtOptions {
  role: SupabaseRole;
  sub?: string;
  /** Seconds until expiry, or a jose time span such as '1h'. Default: 10 years, like Supabase's API keys. */
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

/**
 * Signs an HS256 JWT the way Supabase signs its API keys: `{ iss: 'supabase', role, iat, exp }`
 * (plus `sub` for a user). PostgREST switches to the database role named by the `role` claim.
 */
export async function signSupabaseJwt(secret: string, options: SignSupabaseJwtOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? TEN_YEARS_SECONDS;
  const jwt = new SignJWT({ ...options.claims, iss: 'supabase', role: options.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn);
  if (options.sub !== undefined) jwt.setSubject(options.sub);
  return jwt.sign(new TextEncoder().encode(secret));
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
