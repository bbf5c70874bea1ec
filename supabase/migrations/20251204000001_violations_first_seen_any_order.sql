-- record_rate_limit_violations kept the first_seen_at of whichever batch inserted a row first. Batches of
-- one flush are written concurrently and may arrive in any order, so a later batch could insert first and
-- the earlier one's first_seen_at was then lost. The earliest sighting now wins in any order, as the
-- latest already did for last_seen_at.
create or replace function public.record_rate_limit_violations(p_rows jsonb)
returns integer
language sql
set search_path = ''
as $$
  with input as (
    select r.identifier, r.endpoint, r.plan, r.limit_value, r.window_label, r.window_start,
           greatest(coalesce(r.violation_count, 1), 1) as violation_count,
           coalesce(r.first_seen_at, now()) as first_seen_at,
           coalesce(r.last_seen_at, now()) as last_seen_at
    from jsonb_to_recordset(p_rows) as r(
      identifier text, endpoint text, plan text, limit_value integer, window_label text,
      window_start timestamptz, violation_count integer, first_seen_at timestamptz, last_seen_at timestamptz
    )
  ),
  merged as (
    select identifier, endpoint, window_start,
           (array_agg(plan order by last_seen_at desc))[1] as plan,
           max(limit_value) as limit_value,
           (array_agg(window_label order by last_seen_at desc))[1] as window_label,
           sum(violation_count)::integer as violation_count,
           min(first_seen_at) as first_seen_at,
           max(last_seen_at) as last_seen_at
    from input
    group by identifier, endpoint, window_start
  ),
  upserted as (
    insert into public.rate_limit_violations as v
      (identifier, endpoint, plan, limit_value, window_label, window_start, violation_count,
       first_seen_at, last_seen_at)
    select identifier, endpoint, plan, limit_value, window_label, window_start, violation_count,
           first_seen_at, last_seen_at
    from merged
    on conflict on constraint rate_limit_violations_window_unique do update
      set violation_count = v.violation_count + excluded.violation_count,
          first_seen_at = least(v.first_seen_at, excluded.first_seen_at),
          last_seen_at = greatest(v.last_seen_at, excluded.last_seen_at)
    returning 1
  )
  select count(*)::integer from upserted;
$$;

revoke all on function public.record_rate_limit_violations(jsonb) from public, anon, authenticated;
grant execute on function public.record_rate_limit_violations(jsonb) to service_role;
