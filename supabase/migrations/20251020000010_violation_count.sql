-- record_rate_limit_violation counts denials, not calls: a rate limiter deduplicates violations in
-- process and reports several denials in one call (@mentora/ratelimit's `delta`), so the function takes
-- how many to add. The old six-argument signature is dropped rather than overloaded, so PostgREST
-- never has two candidates for one call.
drop function if exists public.record_rate_limit_violation(text, text, integer, text, timestamptz, text);

create function public.record_rate_limit_violation(
  p_identifier text,
  p_endpoint text,
  p_limit integer,
  p_window text,
  p_window_start timestamptz,
  p_plan text default null,
  p_count integer default 1
)
returns public.rate_limit_violations
language sql
set search_path = ''
as $$
  insert into public.rate_limit_violations as v
    (identifier, endpoint, plan, limit_value, window_label, window_start, violation_count)
  values (p_identifier, p_endpoint, p_plan, p_limit, p_window, p_window_start, greatest(p_count, 1))
  on conflict on constraint rate_limit_violations_window_unique do update
    set violation_count = v.violation_count + greatest(excluded.violation_count, 1),
        last_seen_at = now()
  returning v.*;
$$;

revoke all on function public.record_rate_limit_violation(text, text, integer, text, timestamptz, text, integer)
  from public, anon, authenticated;
grant execute on function public.record_rate_limit_violation(text, text, integer, text, timestamptz, text, integer)
  to service_role;
