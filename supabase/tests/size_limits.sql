-- Size limits on what users write. Without them a student's 30 MB analytics event was stored: every
-- text, JSON or array column that anon or authenticated may INSERT or UPDATE is bounded by a CHECK.
-- The limits (the migration that sets them documents why):
--   emails 320 characters; URLs 2,048; chat session titles 300; video descriptions 5,000;
--   chat message content 32,000; project submission content 100,000; analytics session ids 200;
--   JSON as text: settings, preferences and analytics properties 16 KiB, quiz answers 64 KiB.
begin;
set local search_path = public, extensions;
select plan(17);

-- Catalog-wide: a column added later, and made writable by a grant, fails here until it is bounded.
select is_empty(
  $$ select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) as type
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     join pg_type t on t.oid = a.atttypid
     where n.nspname = 'public' and c.relkind in ('r', 'p')
       and (t.typcategory in ('S', 'A') or t.typname in ('json', 'jsonb', 'bytea'))
       and a.atttypmod < 0 -- varchar(n) bounds itself
       and exists (
         select 1 from (values ('anon'), ('authenticated')) r(role), (values ('INSERT'), ('UPDATE')) p(privilege)
         where has_column_privilege(r.role, c.oid, a.attnum, p.privilege)
       )
       and not exists (
         select 1 from pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c' and a.attnum = any (k.conkey)
           and pg_get_constraintdef(k.oid) ~* '(char_length|character_length|octet_length|length|pg_column_size|cardinality|array_length)\(|= ANY \(ARRAY\['
       ) $$,
  'every text, JSON or array column anon or authenticated may write has a size CHECK'
);

insert into public.creators (id, user_id, name, email) values
  ('b7000000-0000-4000-a000-000000000001', 'b7000000-0000-4000-a000-0000000000c1', 'Creator', 'c@example.com');
insert into public.students (id, user_id, creator_id, name, email) values
  ('b7000000-0000-4000-a000-000000000002', 'b7000000-0000-4000-a000-0000000000c2', 'b7000000-0000-4000-a000-000000000001', 'Student', 's@example.com');
insert into public.videos (id, creator_id, title, video_url, processing_status) values
  ('b7000000-0000-4000-a000-000000000003', 'b7000000-0000-4000-a000-000000000001', 'Video', 'https://v/1', 'completed');
insert into public.chat_sessions (id, student_id, creator_id) values
  ('b7000000-0000-4000-a000-000000000004', 'b7000000-0000-4000-a000-000000000002', 'b7000000-0000-4000-a000-000000000001');
insert into public.project_submissions (id, student_id, project_id, title) values
  ('b7000000-0000-4000-a000-000000000005', 'b7000000-0000-4000-a000-000000000002', gen_random_uuid(), 'Project');

-- The student.
set local role authenticated;
set local request.jwt.claims = '{"sub":"b7000000-0000-4000-a000-0000000000c2","role":"authenticated"}';
set local request.jwt.claim.sub = 'b7000000-0000-4000-a000-0000000000c2';
select throws_ok(
  $$ insert into public.analytics_events (user_id, event_type, properties) values
       ('b7000000-0000-4000-a000-0000000000c2', 'big', jsonb_build_object('blob', repeat('x', 16384))) $$,
  '23514', null, 'analytics properties over 16 KiB are refused'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, event_type, properties) values
       ('b7000000-0000-4000-a000-0000000000c2', 'fits', jsonb_build_object('blob', repeat('x', 16000))) $$,
  'analytics properties under 16 KiB are stored'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, event_type, session_id) values
       ('b7000000-0000-4000-a000-0000000000c2', 'e', repeat('s', 201)) $$,
  '23514', null, 'an analytics session id over 200 characters is refused'
);
select throws_ok(
  $$ insert into public.chat_messages (session_id, role, content) values
       ('b7000000-0000-4000-a000-000000000004', 'user', repeat('q', 32001)) $$,
  '23514', null, 'a chat message over 32,000 characters is refused'
);
select lives_ok(
  $$ insert into public.chat_messages (session_id, role, content) values
       ('b7000000-0000-4000-a000-000000000004', 'user', repeat('q', 32000)) $$,
  'a chat message of 32,000 characters is stored'
);
select throws_ok(
  $$ update public.chat_sessions set title = repeat('t', 301) where id = 'b7000000-0000-4000-a000-000000000004' $$,
  '23514', null, 'a chat session title over 300 characters is refused'
);
select throws_ok(
  $$ insert into public.quiz_attempts (student_id, quiz_id, answers) values
       ('b7000000-0000-4000-a000-000000000002', gen_random_uuid(), jsonb_build_array(repeat('a', 65536))) $$,
  '23514', null, 'quiz answers over 64 KiB are refused'
);
select throws_ok(
  $$ update public.project_submissions set content = repeat('c', 100001) where id = 'b7000000-0000-4000-a000-000000000005' $$,
  '23514', null, 'a project submission over 100,000 characters is refused'
);
select throws_ok(
  $$ update public.project_submissions set submission_url = 'https://example.com/' || repeat('p', 2040) where id = 'b7000000-0000-4000-a000-000000000005' $$,
  '23514', null, 'a submission URL over 2,048 characters is refused'
);
select throws_ok(
  $$ update public.students set preferences = jsonb_build_object('p', repeat('x', 16384)) where id = 'b7000000-0000-4000-a000-000000000002' $$,
  '23514', null, 'student preferences over 16 KiB are refused'
);
reset role;

-- The creator.
set local role authenticated;
set local request.jwt.claims = '{"sub":"b7000000-0000-4000-a000-0000000000c1","role":"authenticated"}';
set local request.jwt.claim.sub = 'b7000000-0000-4000-a000-0000000000c1';
select throws_ok(
  $$ update public.creators set settings = jsonb_build_object('s', repeat('x', 16384)) where id = 'b7000000-0000-4000-a000-000000000001' $$,
  '23514', null, 'creator settings over 16 KiB are refused'
);
select throws_ok(
  $$ update public.creators set email = repeat('e', 310) || '@example.com' where id = 'b7000000-0000-4000-a000-000000000001' $$,
  '23514', null, 'an email over 320 characters is refused'
);
select throws_ok(
  $$ update public.videos set description = repeat('d', 5001) where id = 'b7000000-0000-4000-a000-000000000003' $$,
  '23514', null, 'a video description over 5,000 characters is refused'
);
select throws_ok(
  $$ update public.videos set thumbnail_url = 'https://example.com/' || repeat('t', 2040) where id = 'b7000000-0000-4000-a000-000000000003' $$,
  '23514', null, 'a thumbnail URL over 2,048 characters is refused'
);
select throws_ok(
  $$ insert into public.videos (creator_id, title, video_url) values
       ('b7000000-0000-4000-a000-000000000001', 'long url', 'https://example.com/' || repeat('u', 2040)) $$,
  '23514', null, 'a video URL over 2,048 characters is refused'
);
select lives_ok(
  $$ update public.videos set description = repeat('d', 5000) where id = 'b7000000-0000-4000-a000-000000000003' $$,
  'a description of 5,000 characters is stored'
);
reset role;

select * from finish();
rollback;
