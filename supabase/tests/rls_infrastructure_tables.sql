-- Infrastructure tables: only the service role reads or writes them.
begin;

insert into public.job_queue (function_id, event_name) values ('rls-test', 'test/event');

do $$
declare
  r text;
  t text;
  tables text[] := array['job_queue', 'performance_metrics', 'system_health_logs', 'cache_statistics',
    'api_request_logs', 'rate_limit_violations', 'ai_api_usage'];
begin
  foreach r in array array['anon', 'authenticated'] loop
    foreach t in array tables loop
      if has_table_privilege(r, format('public.%I', t), 'select')
        or has_table_privilege(r, format('public.%I', t), 'insert')
        or has_table_privilege(r, format('public.%I', t), 'update')
        or has_table_privilege(r, format('public.%I', t), 'delete') then
        raise exception '% holds a privilege on public.%', r, t;
      end if;
    end loop;
  end loop;
  foreach t in array tables loop
    if not (select relrowsecurity from pg_class where oid = format('public.%I', t)::regclass) then
      raise exception 'RLS is not enabled on public.%', t;
    end if;
    if not has_table_privilege('service_role', format('public.%I', t), 'select, insert, update, delete') then
      raise exception 'service_role lacks privileges on public.%', t;
    end if;
  end loop;
  foreach t in array array['cleanup_old_job_queue_records()', 'cleanup_old_performance_metrics()',
    'cleanup_old_api_logs()', 'aggregate_daily_metrics(date)',
    'record_rate_limit_violation(text, text, integer, text, timestamptz, text, integer)'] loop
    if has_function_privilege('anon', 'public.' || t, 'execute')
      or has_function_privilege('authenticated', 'public.' || t, 'execute') then
      raise exception 'anon/authenticated may execute public.%', t;
    end if;
    if not has_function_privilege('service_role', 'public.' || t, 'execute') then
      raise exception 'service_role may not execute public.%', t;
    end if;
  end loop;
end $$;

-- The same, exercised for real under each role.
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"b0000000-0000-4000-a000-000000000001","role":"authenticated"}', true);
do $$
begin
  begin
    perform count(*) from public.job_queue;
    raise exception 'authenticated could read job_queue';
  exception when insufficient_privilege then null;
  end;
  begin
    insert into public.api_request_logs (method, path, status_code, duration_ms) values ('GET', '/', 200, 1);
    raise exception 'authenticated could write api_request_logs';
  exception when insufficient_privilege then null;
  end;
  begin
    perform public.cleanup_old_api_logs();
    raise exception 'authenticated could run cleanup_old_api_logs()';
  exception when insufficient_privilege then null;
  end;
end $$;
reset role;

set local role service_role;
do $$
begin
  if (select count(*) from public.job_queue where function_id = 'rls-test') <> 1 then
    raise exception 'service_role should read job_queue';
  end if;
  insert into public.ai_api_usage (provider, model, operation, input_tokens) values ('openai', 'gpt', 'embed', 3);
end $$;
reset role;

rollback;
