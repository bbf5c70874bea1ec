-- Every function a client could reach through PostgREST: who may execute it, and whether it could
-- escape RLS. Catalog-wide, so a function added by a later migration is checked without editing this
-- file. (On Supabase, default privileges grant EXECUTE on every new function in `public` to anon and
-- authenticated; the local stack does the same, so a migration that forgets its `revoke` fails here.)
begin;

do $$
declare
  f record;
begin
  for f in
    select p.oid, n.nspname as schema, p.proname as name, p.prosecdef as definer, p.proconfig as config,
           pg_get_function_identity_arguments(p.oid) as args
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
      -- Extension members (pgvector's operators and support functions) are the extension's business.
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
  loop
    if f.schema = 'public' then
      -- The exposed schema: what anon and users may call is an explicit allowlist.
      if has_function_privilege('anon', f.oid, 'execute') and f.name not in ('health_check') then
        raise exception 'anon may execute public.%(%)', f.name, f.args;
      end if;
      if has_function_privilege('authenticated', f.oid, 'execute')
         and f.name not in ('health_check', 'match_video_chunks') then
        raise exception 'authenticated may execute public.%(%)', f.name, f.args;
      end if;
      -- An exposed SECURITY DEFINER function runs as its owner: RLS would not apply to its callers.
      if f.definer then
        raise exception 'public.%(%) is SECURITY DEFINER and exposed through PostgREST', f.name, f.args;
      end if;
    end if;

    if f.definer then
      -- A definer function resolving names through the caller's search_path can be hijacked by
      -- objects the caller creates.
      if not exists (select 1 from unnest(coalesce(f.config, '{}'::text[])) c where c like 'search_path=%') then
        raise exception '%.%(%) is SECURITY DEFINER without a fixed search_path', f.schema, f.name, f.args;
      end if;
      -- ... and lives where anon cannot even look it up.
      if has_schema_privilege('anon', f.schema, 'usage') then
        raise exception '%.%(%) is SECURITY DEFINER in a schema anon can use', f.schema, f.name, f.args;
      end if;
    end if;
  end loop;

  -- The functions the allowlist names are really callable by who needs them.
  if not has_function_privilege('anon', 'public.health_check()', 'execute') then
    raise exception 'anon must be able to call health_check()';
  end if;
end $$;

rollback;
