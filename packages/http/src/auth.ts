import { ConfigError, ServiceUnavailableError, UnauthorizedError } from '@mentora/errors';
import {
  createRemoteJWKSet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';

/** A value that may be a `Secret` from `@mentora/config` (anything with `reveal()`) or a plain string. */
export type SecretValue = string | { reveal(): string };

/** How bearer tokens (Supabase access tokens) are verified. */
export interface AuthOptions {
  /** HS256 secret (`SUPABASE_JWT_SECRET`): projects on the legacy shared-secret signing key. */
  jwtSecret?: SecretValue;
  /** JWKS URL (`<supabase url>/auth/v1/.well-known/jwks.json`): projects on asymmetric signing keys. */
  jwksUrl?: string;
  /** Expected `iss` (e.g. `<supabase url>/auth/v1`); not checked when unset. */
  issuer?: string;
  /** Expected `aud` (Supabase: `authenticated`); not checked when unset. */
  audience?: string | string[];
  /** Allowed clock difference for `exp`/`nbf`, seconds (default 5). */
  clockToleranceSeconds?: number;
}

/** The authenticated caller, from a verified token. */
export interface AuthUser {
  id: string;
  /** The token's `role` claim (`authenticated` for signed-in Supabase users). */
  role: string;
  email?: string;
  /** Every verified claim, for what the fields above do not cover. */
  claims: Readonly<Record<string, unknown>>;
}

export interface TokenVerifier {
  /** The user, `null` for a valid token without a subject (the anon key), or a 401 UnauthorizedError. */
  verify(token: string): Promise<AuthUser | null>;
}

/** jose error codes that mean "this token is not acceptable" (401); anything else is a server-side failure. */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWK_INVALID',
]);

function reveal(value: SecretValue): string {
  return typeof value === 'string' ? value : value.reveal();
}

function unauthorized(code: string, message: string, cause?: unknown): UnauthorizedError {
  return new UnauthorizedError(message, { code, cause });
}

/** Builds a verifier; throws ConfigError when neither a secret nor a JWKS URL is given. */
export function createTokenVerifier(options: AuthOptions): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwtSecret !== undefined) {
    const secret = reveal(options.jwtSecret);
    if (secret.length < 32) {
      throw new ConfigError('The JWT secret must be at least 32 characters long', {
        issues: [{ variable: 'SUPABASE_JWT_SECRET', message: 'must be at least 32 characters long' }],
      });
    }
    key = new TextEncoder().encode(secret);
    algorithms = ['HS256'];
  } else if (options.jwksUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.jwksUrl);
    } catch (cause) {
      throw new ConfigError('The JWKS URL is not a URL', {
        cause,
        issues: [{ variable: 'jwksUrl', message: 'must be a URL' }],
      });
    }
    key = createRemoteJWKSet(url);
    algorithms = ['ES256', 'RS256', 'EdDSA'];
  } else {
    throw new ConfigError('Token verification needs a JWT secret or a JWKS URL', {
      issues: [{ variable: 'SUPABASE_JWT_SECRET', message: 'or a JWKS URL is required' }],
    });
  }
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const verifyOptions = {
          algorithms,
          clockTolerance,
          ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
          ...(options.audience !== undefined ? { audience: options.audience } : {}),
        };
        const result =
          key instanceof Uint8Array
            ? await jwtVerify(token, key, verifyOptions)
            : await jwtVerify(token, key, verifyOptions);
        payload = result.payload;
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) {
          throw unauthorized('TOKEN_EXPIRED', 'The access token has expired', error);
        }
        if (!TOKEN_FAULTS.has((error as { code?: unknown } | null)?.code as string)) {
          // The key set could not be fetched or read (timeout, non-200, bad JSON, network): our problem,
          // not the caller's.
          throw new ServiceUnavailableError('Token signing keys are unavailable', {
            service: 'auth',
            cause: error,
          });
        }
        throw unauthorized('INVALID_TOKEN', 'The access token is invalid', error);
      }
      const sub = payload.sub;
      if (typeof sub !== 'string' || sub.length === 0) return null;
      const role = typeof payload.role === 'string' ? payload.role : 'authenticated';
      const user: AuthUser = { id: sub, role, claims: Object.freeze({ ...payload }) };
      if (typeof payload.email === 'string' && payload.email !== '') user.email = payload.email;
      return user;
    },
  };
}

/**
 * The bearer token of `Authorization: Bearer <token>`, or `undefined` when there is no bearer
 * credential (no header, or another scheme such as the `Basic` credentials a staging proxy adds). A
 * `Bearer` header whose token is missing or malformed is a 401: a client that meant to authenticate
 * must not silently become anonymous.
 */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (!/^bearer(?:\s|$)/i.test(trimmed)) return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(trimmed);
  if (!match?.[1]) {
    throw unauthorized('INVALID_AUTHORIZATION', 'The Authorization header does not carry a bearer token');
  }
  return match[1];
}
