/**
 * SQL that makes a plain Postgres (or PGlite) look like a Supabase database to PostgREST and to
 * RLS policies: the API roles, the login role PostgREST connects as, schema grants, and the
 * `auth.uid()` / `auth.role()` / `auth.jwt()` helpers reading the JWT claims PostgREST puts in
 * `request.jwt.claims` (and the legacy per-claim settings), exactly as Supabase defines them.
 *
 * Idempotent: every statement can run again on a database that already has it. Run it as a
 * superuser, before the migrations (the default privileges apply to tables created afterwards).
 */
export interface SupabaseRolesOptions {
  /**
   * Password for the `authenticator` login role. Needed when the server does not trust loopback
   * (a Postgres you were given); our throwaway servers use trust auth, and PGlite ignores it.
   */
  authenticatorPassword?: string;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function supabaseRolesSql(options: SupabaseRolesOptions = {}): string {
  const password =
    options.authenticatorPassword === undefined
      ? ''
      : `alter role authenticator with login password ${quoteLiteral(options.authenticatorPassword)};`;
  return `
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
end
$roles$;

-- PostgREST logs in as authenticator and switches to the role named in the JWT (or anon).
alter role authenticator with login noinherit;
${password}
grant anon, authenticated, service_role to authenticator;

grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- Supabase installs extensions into their own schema; migrations written for it say so.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role;
`;
}

/** Name of the PostgREST pre-request function installed by `embeddedRoleGuardSql()`. */
export const EMBEDDED_ROLE_GUARD = 'mentora_harness.check_jwt_role';

/**
 * For PGlite only. Its socket server runs every connection as the superuser `postgres` (it
 * ignores the login role), so PostgREST could `SET ROLE` to any role a JWT names, where on
 * Supabase the `authenticator` login can only become roles granted to it. This PostgREST
 * pre-request function restores that rule: a request whose role is not one authenticator may
 * become fails with 42501, as `SET ROLE` itself fails on Postgres.
 */
export function embeddedRoleGuardSql(): string {
  return `
create schema if not exists mentora_harness;
grant usage on schema mentora_harness to public;
create or replace function ${EMBEDDED_ROLE_GUARD}() returns void
language plpgsql stable
as $$
begin
  if current_user <> 'authenticator' and not pg_has_role('authenticator', current_user, 'MEMBER') then
    raise exception 'permission denied to set role "%"', current_user using errcode = '42501';
  end if;
end
$$;
grant execute on function ${EMBEDDED_ROLE_GUARD}() to public;
`;
}
