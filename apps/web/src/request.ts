import { UnauthorizedError, ValidationError } from '@mentora/errors';
import type { z } from 'zod';

/**
 * The caller's bearer token, for a per-user database client (RLS as that user). Only called after
 * withInfrastructure verified the token (`auth: 'required'`), so this is never an unverified token.
 */
export function bearerToken(request: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!match?.[1]) throw new UnauthorizedError('Missing bearer token');
  return match[1];
}

/** Query parameters through a schema: invalid → 400 listing the parameters. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const result = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (result.success) return result.data;
  throw ValidationError.fromIssues(result.error.issues, 'Invalid query parameters');
}
