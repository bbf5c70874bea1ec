-- What anon and authenticated can reach, over the whole catalog: a table, view or sequence added by a
-- later migration is checked without editing this file. The allow-list below is the complete surface
-- PostgREST exposes to them; every other privilege they hold (directly, through PUBLIC or through a
-- role they belong to) fails here, named in the diagnostics.
begin;
set local search_path = public, extensions;
select plan(10);

create temp table api_roles (role name) on commit drop;
insert into api_roles values ('anon'), ('authenticated');

-- Relations of the exposed schema, with what kind of object each is.
create temp view exposed as
select c.oid, c.relname, c.relkind,
       case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
                      when 'f' then 'foreign table' else 'table' end as kind
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
  and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e');

-- The allow-list: (role, relation, column or '' for the whole relation, privilege).
create temp table allowed (role name, relname name, attname name, privilege text) on commit drop;
insert into allowed
select 'authenticated', t, '', 'SELECT'
from unnest(array['creators', 'students', 'videos', 'video_chunks', 'chat_sessions', 'chat_messages',
  'video_progress', 'quiz_attempts', 'project_submissions', 'student_achievements', 'analytics_events',
  'analytics_daily_metrics', 'quizzes']) as t
union all
select 'authenticated', t, '', 'DELETE' from unnest(array['videos', 'chat_sessions']) as t
union all
select 'authenticated', g.relname, c, g.privilege
from (values
  ('creators', 'INSERT', array['user_id', 'name', 'email', 'settings']),
  ('creators', 'UPDATE', array['name', 'email', 'settings', 'version']),
  ('students', 'UPDATE', array['name', 'preferences', 'onboarding_completed', 'last_active', 'version']),
  ('videos', 'INSERT', array['creator_id', 'title', 'description', 'video_url', 'thumbnail_url', 'duration_seconds']),
  ('videos', 'UPDATE', array['title', 'description', 'thumbnail_url', 'version']),
  ('chat_sessions', 'INSERT', array['student_id', 'creator_id', 'video_id', 'title']),
  ('chat_sessions', 'UPDATE', array['title', 'status', 'version']),
  ('chat_messages', 'INSERT', array['session_id', 'role', 'content']),
  ('video_progress', 'INSERT', array['student_id', 'video_id', 'watched_seconds', 'completed', 'last_position_seconds', 'last_watched']),
  ('video_progress', 'UPDATE', array['watched_seconds', 'completed', 'last_position_seconds', 'last_watched', 'version']),
  ('quiz_attempts', 'INSERT', array['student_id', 'video_id', 'quiz_id', 'answers', 'started_at']),
  ('project_submissions', 'INSERT', array['student_id', 'project_id', 'title', 'submission_url', 'content', 'status']),
  ('project_submissions', 'UPDATE', array['title', 'submission_url', 'content', 'status', 'version']),
  ('analytics_events', 'INSERT', array['user_id', 'creator_id', 'student_id', 'video_id', 'event_type', 'properties', 'session_id'])
) as g(relname, privilege, columns)
cross join unnest(g.columns) as c;

-- What they hold: relation-wide privileges, and column privileges not already held relation-wide.
create temp view held as
select r.role, e.kind, e.relname, ''::name as attname, p.privilege
from exposed e
cross join api_roles r
cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) as p(privilege)
where e.relkind <> 'S' and has_table_privilege(r.role, e.oid, p.privilege)
union all
select r.role, e.kind, e.relname, a.attname, p.privilege
from exposed e
join pg_attribute a on a.attrelid = e.oid and a.attnum > 0 and not a.attisdropped
cross join api_roles r
cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('REFERENCES')) as p(privilege)
where e.relkind <> 'S'
  and has_column_privilege(r.role, e.oid, a.attnum, p.privilege)
  and not has_table_privilege(r.role, e.oid, p.privilege)
union all
select r.role, e.kind, e.relname, '', p.privilege
from exposed e
cross join api_roles r
cross join (values ('USAGE'), ('SELECT'), ('UPDATE')) as p(privilege)
where e.relkind = 'S' and has_sequence_privilege(r.role, e.oid, p.privilege);

select is_empty(
  $$ select relname from exposed where relkind in ('r', 'p') and oid not in (select oid from pg_class where relrowsecurity) $$,
  'every table in public has row level security enabled'
);
select is_empty(
  $$ select role, kind, relname, privilege from held where attname = '' and kind <> 'sequence'
     except select role, 'table', relname, privilege from allowed where attname = '' $$,
  'anon and authenticated hold no table or view privilege outside the allow-list'
);
select is_empty(
  $$ select role, relname, attname, privilege from held where attname <> ''
     except select role, relname, attname, privilege from allowed where attname <> '' $$,
  'anon and authenticated hold no column privilege outside the allow-list'
);
select is_empty(
  $$ select role, relname, privilege from held where kind = 'sequence' $$,
  'anon and authenticated hold no privilege on any sequence (identity columns need none to insert)'
);
select is_empty(
  $$ select r.role, e.relname from exposed e cross join api_roles r
     where e.relkind = 'S' and has_sequence_privilege(r.role, e.oid, 'UPDATE') $$,
  'no sequence is updatable (setval) by anon or authenticated'
);
select is_empty(
  $$ select role, relname, attname, privilege from allowed
     except select role, relname, attname, privilege from held $$,
  'every allow-listed privilege is held (the list is not stale)'
);
-- A view runs with its owner's privileges unless security_invoker is set: RLS would not apply to readers.
select is_empty(
  $$ select e.relname from exposed e join pg_class c on c.oid = e.oid
     where e.relkind = 'v'
       and not exists (select 1 from unnest(coalesce(c.reloptions, '{}'::text[])) o
                       where lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes')) $$,
  'every view in public is security_invoker'
);
-- Objects created later by the migration owner get no API privileges by default: a migration grants
-- what it means to expose, and forgetting a revoke cannot open a table or sequence to anon.
select is_empty(
  $$ select d.defaclobjtype, a.grantee::regrole::text, a.privilege_type
     from pg_default_acl d
     join pg_namespace n on n.oid = d.defaclnamespace
     cross join lateral aclexplode(d.defaclacl) a
     where n.nspname = 'public' and d.defaclrole = current_user::regrole
       and d.defaclobjtype in ('r', 'S')
       and a.grantee in ('anon'::regrole, 'authenticated'::regrole) $$,
  'default privileges in public give anon and authenticated nothing on new tables or sequences'
);

-- The same, exercised: setval() is not transactional, so the probe writes the sequence's own state back
-- (should it be allowed, nothing moves). Inserting into an identity column needs no sequence privilege.
create temp table seq_state on commit drop as
select last_value, is_called from public.analytics_events_id_seq;
grant select on seq_state to authenticated;
set local role authenticated;
set local request.jwt.claims = '{"sub":"d0000000-0000-4000-a000-000000000001","role":"authenticated"}';
select throws_ok(
  $$ select setval('public.analytics_events_id_seq', (select last_value from seq_state), (select is_called from seq_state)) $$,
  '42501', null, 'authenticated cannot setval() a sequence'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, event_type) values ('d0000000-0000-4000-a000-000000000001', 'probe') $$,
  'authenticated still inserts rows whose id comes from an identity sequence'
);
reset role;

select * from finish();
rollback;
