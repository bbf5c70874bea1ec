-- Functions: retention cleanups (counts), the daily roll-up, violation dedupe, version trigger.
begin;
set local search_path = public, extensions;
select plan(20);

-- Start from empty infrastructure tables inside this transaction (rolled back at the end).
delete from public.job_queue;
delete from public.performance_metrics;
delete from public.api_request_logs;
delete from public.rate_limit_violations;

insert into public.job_queue (function_id, event_name, status, created_at) values
  ('f', 'e', 'completed', now() - interval '31 days'),
  ('f', 'e', 'failed', now() - interval '45 days'),
  ('f', 'e', 'cancelled', now() - interval '30 days 1 minute'),
  ('f', 'e', 'running', now() - interval '60 days'),    -- kept: still live
  ('f', 'e', 'pending', now() - interval '40 days'),    -- kept: still live
  ('f', 'e', 'completed', now() - interval '29 days');  -- kept: too young
insert into public.performance_metrics (metric_name, value, recorded_at) values
  ('m', 1, now() - interval '91 days'),
  ('m', 2, now() - interval '120 days'),
  ('m', 3, now() - interval '89 days');
insert into public.api_request_logs (method, path, status_code, duration_ms, created_at) values
  ('GET', '/a', 200, 1, now() - interval '31 days'),
  ('GET', '/b', 500, 2, now() - interval '29 days');

select is(public.cleanup_old_job_queue_records(), 3, 'cleanup_old_job_queue_records() removes the 3 finished jobs older than 30 days');
select results_eq(
  'select status from public.job_queue order by status',
  array['completed', 'pending', 'running'],
  'job_queue keeps live jobs whatever their age, and young finished ones'
);
select is(public.cleanup_old_job_queue_records(), 0, 'a second cleanup_old_job_queue_records() removes nothing');
select is(public.cleanup_old_performance_metrics(), 2, 'cleanup_old_performance_metrics() removes metrics older than 90 days');
select is(public.cleanup_old_api_logs(), 1, 'cleanup_old_api_logs() removes logs older than 30 days');
select results_eq('select path from public.api_request_logs', array['/b'], 'the young log row remains');

-- Daily roll-up: UTC day boundaries, per creator and event type, idempotent.
insert into public.creators (id, user_id, name, email) values
  ('c1000000-0000-4000-a000-000000000001', 'c0000000-0000-4000-a000-000000000001', 'Roll-up', 'r@example.com');
delete from public.analytics_events where created_at >= '2030-01-01' and created_at < '2030-01-03';
insert into public.analytics_events (user_id, creator_id, event_type, created_at) values
  ('c0000000-0000-4000-a000-000000000011', 'c1000000-0000-4000-a000-000000000001', 'video_started', '2030-01-01 00:00:00+00'),
  ('c0000000-0000-4000-a000-000000000011', 'c1000000-0000-4000-a000-000000000001', 'video_started', '2030-01-01 12:00:00+00'),
  ('c0000000-0000-4000-a000-000000000012', 'c1000000-0000-4000-a000-000000000001', 'video_started', '2030-01-01 23:59:59.999+00'),
  ('c0000000-0000-4000-a000-000000000012', null, 'signup', '2030-01-01 08:00:00+00'),
  ('c0000000-0000-4000-a000-000000000012', 'c1000000-0000-4000-a000-000000000001', 'video_started', '2030-01-02 00:00:00+00');

select is((select count(*)::int from public.aggregate_daily_metrics('2030-01-01')), 2, 'aggregate_daily_metrics() writes one row per creator and event type');
select is(
  (select event_count from public.analytics_daily_metrics where metric_date = '2030-01-01' and event_type = 'video_started'),
  3::bigint, 'video_started on 2030-01-01 counts 3 events (the next UTC day excluded)'
);
select is(
  (select unique_users from public.analytics_daily_metrics where metric_date = '2030-01-01' and event_type = 'video_started'),
  2::bigint, 'video_started counts 2 unique users'
);
select is(
  (select event_count from public.analytics_daily_metrics
    where metric_date = '2030-01-01' and creator_id is null and event_type = 'signup'),
  1::bigint, 'platform-wide events (no creator) are rolled up too'
);
select lives_ok($$ select public.aggregate_daily_metrics('2030-01-01') $$, 're-running the roll-up works');
select is((select count(*)::int from public.analytics_daily_metrics where metric_date = '2030-01-01'), 2, 're-running replaces rows, never duplicates them');
delete from public.analytics_events where event_type = 'signup' and created_at::date = '2030-01-01';
select lives_ok($$ select public.aggregate_daily_metrics('2030-01-01') $$, 're-running after events are gone works');
select is_empty(
  $$ select 1 from public.analytics_daily_metrics where metric_date = '2030-01-01' and event_type = 'signup' $$,
  'a group without events is removed on re-run'
);

-- Rate-limit violations are deduplicated per identity, endpoint and window.
do $$
begin
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic');
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic');
end $$;
select is(
  (public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic')).violation_count,
  3, 'three violations in one window are one row counting 3'
);
select is(
  (public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic', 4)).violation_count,
  7, 'a batched report adds its count'
);
do $$
begin
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:01:00+00', 'basic');
end $$;
select is((select count(*)::int from public.rate_limit_violations where identifier = 'user:1'), 2, 'a new window starts a new row');

-- Batches of one flush are written concurrently: a later batch may reach the table first.
select public.record_rate_limit_violations(
  '[{"identifier":"user:2","endpoint":"chat","plan":"pro","limit_value":10,"window_label":"1 m","window_start":"2030-01-01T00:00:00Z","violation_count":2,"first_seen_at":"2030-01-01T00:00:00.100Z","last_seen_at":"2030-01-01T00:00:00.105Z"}]'::jsonb);
select public.record_rate_limit_violations(
  '[{"identifier":"user:2","endpoint":"chat","plan":"pro","limit_value":10,"window_label":"1 m","window_start":"2030-01-01T00:00:00Z","violation_count":1,"first_seen_at":"2030-01-01T00:00:00.000Z","last_seen_at":"2030-01-01T00:00:00.005Z"}]'::jsonb);
select results_eq(
  $$select violation_count, first_seen_at, last_seen_at from public.rate_limit_violations where identifier = 'user:2'$$,
  $$values (3, '2030-01-01T00:00:00.000Z'::timestamptz, '2030-01-01T00:00:00.105Z'::timestamptz)$$,
  'batches arriving out of order keep the earliest first sighting and the latest last one'
);

-- Version trigger: every update moves version by exactly one, whatever the writer sent.
insert into public.videos (id, creator_id, title, video_url) values
  ('c3000000-0000-4000-a000-000000000001', 'c1000000-0000-4000-a000-000000000001', 'v', 'https://v');
update public.videos set title = 'v2' where id = 'c3000000-0000-4000-a000-000000000001';
update public.videos set title = 'v3', version = 99 where id = 'c3000000-0000-4000-a000-000000000001';
select is((select version from public.videos where id = 'c3000000-0000-4000-a000-000000000001'), 3, 'two updates bump version to 3, whatever the writer sent');
select cmp_ok(
  (select updated_at from public.videos where id = 'c3000000-0000-4000-a000-000000000001'), '>=',
  (select created_at from public.videos where id = 'c3000000-0000-4000-a000-000000000001'),
  'updated_at moves forward on update'
);

select * from finish();
rollback;
