-- Infrastructure tables: only the service role reads or writes them.
begin;
set local search_path = public, extensions;
select plan(10);

create temp table infra (name text) on commit drop;
insert into infra values ('job_queue'), ('performance_metrics'), ('system_health_logs'), ('cache_statistics'),
  ('api_request_logs'), ('rate_limit_violations'), ('ai_api_usage');
create temp table maintenance (signature text) on commit drop;
insert into maintenance values ('cleanup_old_job_queue_records()'), ('cleanup_old_performance_metrics()'),
  ('cleanup_old_api_logs()'), ('aggregate_daily_metrics(date)'),
  ('record_rate_limit_violation(text, text, integer, text, timestamptz, text, integer)');

select is_empty(
  $$ select r.role, i.name, p.privilege
     from infra i
     cross join (values ('anon'), ('authenticated')) as r(role)
     cross join (values ('select'), ('insert'), ('update'), ('delete'), ('truncate')) as p(privilege)
     where has_table_privilege(r.role, format('public.%I', i.name), p.privilege) $$,
  'anon and authenticated hold no privilege on any infrastructure table'
);
select is_empty(
  $$ select name from infra where not (select relrowsecurity from pg_class where oid = format('public.%I', name)::regclass) $$,
  'RLS is enabled on every infrastructure table'
);
select is_empty(
  $$ select name from infra
     where not has_table_privilege('service_role', format('public.%I', name), 'select, insert, update, delete') $$,
  'service_role reads and writes every infrastructure table'
);
select is_empty(
  $$ select signature from maintenance
     where has_function_privilege('anon', 'public.' || signature, 'execute')
        or has_function_privilege('authenticated', 'public.' || signature, 'execute') $$,
  'anon and authenticated may run no maintenance function'
);
select is_empty(
  $$ select signature from maintenance where not has_function_privilege('service_role', 'public.' || signature, 'execute') $$,
  'service_role runs every maintenance function'
);

insert into public.job_queue (function_id, event_name) values ('rls-test', 'test/event');

-- The same, exercised for real under each role.
set local role authenticated;
set local request.jwt.claims = '{"sub":"b0000000-0000-4000-a000-000000000001","role":"authenticated"}';
select throws_ok('select count(*) from public.job_queue', '42501', null, 'authenticated cannot read job_queue');
select throws_ok(
  $$ insert into public.api_request_logs (method, path, status_code, duration_ms) values ('GET', '/', 200, 1) $$,
  '42501', null, 'authenticated cannot write api_request_logs'
);
select throws_ok('select public.cleanup_old_api_logs()', '42501', null, 'authenticated cannot run cleanup_old_api_logs()');
reset role;

set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select is((select count(*)::int from public.job_queue where function_id = 'rls-test'), 1, 'service_role reads job_queue');
select lives_ok(
  $$ insert into public.ai_api_usage (provider, model, operation, input_tokens) values ('openai', 'gpt', 'embed', 3) $$,
  'service_role writes ai_api_usage'
);
reset role;

select * from finish();
rollback;
