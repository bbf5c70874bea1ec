-- Functions: retention cleanups (counts), the daily roll-up, violation dedupe, version trigger.
begin;

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

do $$
declare
  n integer;
begin
  n := public.cleanup_old_job_queue_records();
  if n <> 3 then raise exception 'cleanup_old_job_queue_records() removed %, expected 3', n; end if;
  if (select count(*) from public.job_queue) <> 3 then raise exception 'job_queue should keep 3 rows'; end if;
  n := public.cleanup_old_job_queue_records();
  if n <> 0 then raise exception 'second cleanup_old_job_queue_records() removed %, expected 0', n; end if;

  n := public.cleanup_old_performance_metrics();
  if n <> 2 then raise exception 'cleanup_old_performance_metrics() removed %, expected 2', n; end if;

  n := public.cleanup_old_api_logs();
  if n <> 1 then raise exception 'cleanup_old_api_logs() removed %, expected 1', n; end if;
  if (select path from public.api_request_logs) <> '/b' then raise exception 'the young log row should remain'; end if;
end $$;

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

do $$
declare
  n integer;
begin
  select count(*) into n from public.aggregate_daily_metrics('2030-01-01');
  if n <> 2 then raise exception 'aggregate_daily_metrics returned % rows, expected 2', n; end if;
  if (select event_count from public.analytics_daily_metrics
      where metric_date = '2030-01-01' and event_type = 'video_started') <> 3 then
    raise exception 'video_started on 2030-01-01 should count 3 events (the next day excluded)';
  end if;
  if (select unique_users from public.analytics_daily_metrics
      where metric_date = '2030-01-01' and event_type = 'video_started') <> 2 then
    raise exception 'video_started should count 2 unique users';
  end if;
  if (select event_count from public.analytics_daily_metrics
      where metric_date = '2030-01-01' and creator_id is null and event_type = 'signup') <> 1 then
    raise exception 'platform-wide events (no creator) should be rolled up too';
  end if;

  -- Re-running replaces, never duplicates.
  perform public.aggregate_daily_metrics('2030-01-01');
  if (select count(*) from public.analytics_daily_metrics where metric_date = '2030-01-01') <> 2 then
    raise exception 're-running the roll-up duplicated rows';
  end if;
  -- A group whose events are gone is dropped on re-run.
  delete from public.analytics_events where event_type = 'signup' and created_at::date = '2030-01-01';
  perform public.aggregate_daily_metrics('2030-01-01');
  if exists (select 1 from public.analytics_daily_metrics where metric_date = '2030-01-01' and event_type = 'signup') then
    raise exception 'a group without events should be removed on re-run';
  end if;
end $$;

-- Rate-limit violations are deduplicated per identity, endpoint and window.
do $$
declare
  v public.rate_limit_violations;
begin
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic');
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic');
  v := public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic');
  if v.violation_count <> 3 then raise exception 'violation_count is %, expected 3', v.violation_count; end if;
  v := public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:00:00+00', 'basic', 4);
  if v.violation_count <> 7 then raise exception 'batched count is %, expected 7', v.violation_count; end if;
  perform public.record_rate_limit_violation('user:1', 'chat', 10, '1 m', '2030-01-01 00:01:00+00', 'basic');
  if (select count(*) from public.rate_limit_violations where identifier = 'user:1') <> 2 then
    raise exception 'a new window should start a new row';
  end if;
end $$;

-- Version trigger: every update moves version by exactly one, whatever the writer sent.
insert into public.videos (id, creator_id, title, video_url) values
  ('c3000000-0000-4000-a000-000000000001', 'c1000000-0000-4000-a000-000000000001', 'v', 'https://v');
update public.videos set title = 'v2' where id = 'c3000000-0000-4000-a000-000000000001';
update public.videos set title = 'v3', version = 99 where id = 'c3000000-0000-4000-a000-000000000001';
do $$
begin
  if (select version from public.videos where id = 'c3000000-0000-4000-a000-000000000001') <> 3 then
    raise exception 'version should be 3 after two updates';
  end if;
  if (select updated_at from public.videos where id = 'c3000000-0000-4000-a000-000000000001')
     < (select created_at from public.videos where id = 'c3000000-0000-4000-a000-000000000001') then
    raise exception 'updated_at should move forward';
  end if;
end $$;

rollback;
