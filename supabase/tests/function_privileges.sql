-- Every function a client could reach through PostgREST: who may execute it, and whether it could
-- escape RLS. Catalog-wide, so a function added by a later migration is checked without editing this
-- file. (On Supabase, default privileges grant EXECUTE on every new function in `public` to anon and
-- authenticated; the local stack does the same, so a migration that forgets its `revoke` fails here.)
begin;
set local search_path = public, extensions;
select plan(6);

create temp view fns as
select p.oid, n.nspname as schema, format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as signature,
       p.proname as name, p.prosecdef as definer, p.proconfig as config
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  and n.nspname not like 'pg_temp%'
  -- Extension members (pgvector's operators and support functions, pgTAP) are the extension's business.
  -- (pgTAP loaded as a plain script, on PGlite, is no member but has no SECURITY DEFINER function.)
  and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e');

-- The exposed schema: what anon and users may call is an explicit allowlist.
select is_empty(
  $$ select signature from fns
     where schema = 'public' and has_function_privilege('anon', oid, 'execute') and name not in ('health_check') $$,
  'anon may execute no public function but health_check()'
);
select is_empty(
  $$ select signature from fns
     where schema = 'public' and has_function_privilege('authenticated', oid, 'execute')
       and name not in ('health_check', 'match_video_chunks') $$,
  'authenticated may execute no public function but health_check() and match_video_chunks()'
);
-- An exposed SECURITY DEFINER function runs as its owner: RLS would not apply to its callers.
select is_empty(
  $$ select signature from fns where schema = 'public' and definer $$,
  'no SECURITY DEFINER function is exposed through PostgREST'
);
-- A definer function resolving names through the caller's search_path can be hijacked by objects the
-- caller creates.
select is_empty(
  $$ select signature from fns
     where definer and not exists (select 1 from unnest(coalesce(config, '{}'::text[])) c where c like 'search_path=%') $$,
  'every SECURITY DEFINER function has a fixed search_path'
);
-- ... and lives where anon cannot even look it up.
select is_empty(
  $$ select signature from fns where definer and has_schema_privilege('anon', schema, 'usage') $$,
  'every SECURITY DEFINER function lives in a schema anon cannot use'
);
-- The allowlist names functions that are really callable by who needs them.
select ok(has_function_privilege('anon', 'public.health_check()', 'execute'), 'anon may call health_check()');

select * from finish();
rollback;
