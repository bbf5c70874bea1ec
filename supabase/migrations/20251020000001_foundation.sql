-- Foundation shared by every later migration: schemas, trigger helpers, the health probe.
--
-- Assumes what every Supabase database provides: the roles anon, authenticated and service_role,
-- and auth.uid() / auth.role() / auth.jwt(). (The local stack of @mentora/db/testing creates the
-- same roles and functions before it applies these migrations.)

-- `extensions` holds pgvector where it is available (as on Supabase); `private` holds
-- SECURITY DEFINER helpers for RLS policies and is never exposed through PostgREST.
create schema if not exists extensions;
create schema if not exists private;

grant usage on schema extensions to anon, authenticated, service_role;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Keeps updated_at honest whatever client wrote the row.
create or replace function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Optimistic locking: every UPDATE moves `version` forward by exactly one, whatever the client sent.
-- @mentora/db's update() sends `version = N + 1` guarded by `version = eq.N` (one atomic
-- compare-and-set); this trigger makes writers that ignore the version (raw SQL, other tools) bump it
-- too, so a concurrent optimistic writer always sees their change as a conflict instead of losing it.
create or replace function private.bump_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.version := old.version + 1;
  return new;
end;
$$;

-- Cheap round trip through PostgREST to Postgres that RLS cannot hide: checkDatabaseHealth() calls it.
create or replace function public.health_check()
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select now();
$$;

revoke all on function public.health_check() from public, anon, authenticated;
grant execute on function public.health_check() to anon, authenticated, service_role;
