/**
 * What a supabase-js/PostgREST call answered when it failed, kept as the `cause` of the typed error we
 * throw. supabase-js returns failures as plain objects; an Error subclass keeps a stack and a name in
 * logs and cause chains.
 */
export class PostgrestFailure extends Error {
  override readonly name = 'PostgrestFailure';
  /** PostgREST code (PGRSTxxx) or Postgres SQLSTATE; '' when the request never got an answer. */
  readonly code: string;
  /** HTTP status; 0 when the request failed before any response (network error, abort). */
  readonly status: number;
  readonly details: string | null;
  readonly hint: string | null;

  constructor(init: {
    message: string;
    code?: string | null;
    status: number;
    details?: string | null;
    hint?: string | null;
  }) {
    super(init.message || `PostgREST request failed with HTTP ${init.status}`);
    this.code = init.code ?? '';
    this.status = init.status;
    this.details = init.details ?? null;
    this.hint = init.hint ?? null;
  }
}

/** The shape supabase-js resolves every query to. */
export interface PostgrestResult<T = unknown> {
  data: T | null;
  error: { message: string; code?: string | null; details?: string | null; hint?: string | null } | null;
  status: number;
  count?: number | null;
}

export function failureOf(result: PostgrestResult): PostgrestFailure | undefined {
  if (!result.error) return undefined;
  return new PostgrestFailure({
    message: result.error.message,
    code: result.error.code,
    status: result.status,
    details: result.error.details,
    hint: result.error.hint,
  });
}
