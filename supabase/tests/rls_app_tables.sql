-- RLS of the application tables: a user reaches only their own rows.
begin;
set local search_path = public, extensions;
select plan(46);

-- Owner-side fixtures (as the migration owner, RLS does not apply).
insert into public.creators (id, user_id, name, email) values
  ('a1000000-0000-4000-a000-000000000001', 'a0000000-0000-4000-a000-000000000001', 'Creator One', 'one@example.com'),
  ('a1000000-0000-4000-a000-000000000002', 'a0000000-0000-4000-a000-000000000002', 'Creator Two', 'two@example.com');
insert into public.students (id, user_id, creator_id, name, email) values
  ('a2000000-0000-4000-a000-000000000001', 'a0000000-0000-4000-a000-000000000011', 'a1000000-0000-4000-a000-000000000001', 'Student One', 's1@example.com'),
  ('a2000000-0000-4000-a000-000000000002', 'a0000000-0000-4000-a000-000000000012', 'a1000000-0000-4000-a000-000000000002', 'Student Two', 's2@example.com');
insert into public.videos (id, creator_id, title, video_url, processing_status) values
  ('a3000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001', 'Done', 'https://v/1', 'completed'),
  ('a3000000-0000-4000-a000-000000000002', 'a1000000-0000-4000-a000-000000000001', 'Pending', 'https://v/2', 'pending'),
  ('a3000000-0000-4000-a000-000000000003', 'a1000000-0000-4000-a000-000000000002', 'Other', 'https://v/3', 'completed');
insert into public.video_chunks (video_id, chunk_index, chunk_text) values
  ('a3000000-0000-4000-a000-000000000001', 0, 'readable chunk'),
  ('a3000000-0000-4000-a000-000000000002', 0, 'pending chunk'),
  ('a3000000-0000-4000-a000-000000000003', 0, 'other creator chunk');
insert into public.chat_sessions (id, student_id, creator_id) values
  ('a4000000-0000-4000-a000-000000000001', 'a2000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001'),
  ('a4000000-0000-4000-a000-000000000002', 'a2000000-0000-4000-a000-000000000002', 'a1000000-0000-4000-a000-000000000002');
insert into public.chat_messages (session_id, role, content) values
  ('a4000000-0000-4000-a000-000000000001', 'user', 'mine'),
  ('a4000000-0000-4000-a000-000000000002', 'user', 'not mine');
insert into public.video_progress (student_id, video_id) values
  ('a2000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000001'),
  ('a2000000-0000-4000-a000-000000000002', 'a3000000-0000-4000-a000-000000000003');

-- anon: no app table at all (privileges revoked, before RLS is even consulted).
set local role anon;
set local request.jwt.claims = '{"role":"anon"}';
select throws_ok(format('select count(*) from public.%I', t), '42501', null, format('anon cannot read %s', t))
from unnest(array['creators', 'students', 'videos', 'video_chunks', 'chat_sessions', 'chat_messages',
  'video_progress', 'quiz_attempts', 'project_submissions', 'student_achievements', 'analytics_events',
  'analytics_daily_metrics']) as t;
reset role;

-- Creator One.
set local role authenticated;
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-a000-000000000001","role":"authenticated"}';
set local request.jwt.claim.sub = 'a0000000-0000-4000-a000-000000000001';
select results_eq(
  $$ select id from public.creators where id::text like 'a1000000-0000-4000-a000-%' $$,
  $$ values ('a1000000-0000-4000-a000-000000000001'::uuid) $$,
  'a creator sees exactly their own creator row'
);
select results_eq(
  $$ select id from public.students where id::text like 'a2000000-0000-4000-a000-%' $$,
  $$ values ('a2000000-0000-4000-a000-000000000001'::uuid) $$,
  'a creator sees exactly the student enrolled with them'
);
select is((select count(*)::int from public.videos where id::text like 'a3000000-0000-4000-a000-%'), 2, 'a creator sees both of their own videos (completed and pending)');
select is((select count(*)::int from public.video_chunks where video_id::text like 'a3000000-0000-4000-a000-%'), 2, 'a creator sees the chunks of their own videos only');
select is_empty($$ select 1 from public.chat_sessions where id::text like 'a4000000-0000-4000-a000-%' $$, 'a creator does not read students'' chat sessions');

-- Own row: allowed columns update; version bumped by the trigger.
update public.creators set name = 'Creator One (renamed)' where id = 'a1000000-0000-4000-a000-000000000001';
select is((select version from public.creators where id = 'a1000000-0000-4000-a000-000000000001'), 2, 'an update of their own row bumps version to 2');
-- Another creator's row: invisible, so the update matches nothing.
select is_empty(
  $$ with changed as (update public.creators set name = 'hijacked' where id = 'a1000000-0000-4000-a000-000000000002' returning id)
     select * from changed $$,
  'a creator cannot update another creator''s row'
);
-- Plan is billing data: column privilege denies it.
select throws_ok(
  $$ update public.creators set plan = 'enterprise' where id = 'a1000000-0000-4000-a000-000000000001' $$,
  '42501', null, 'a creator cannot upgrade their own plan'
);
select throws_ok(
  $$ insert into public.videos (creator_id, title, video_url) values ('a1000000-0000-4000-a000-000000000002', 'sneaky', 'https://v/x') $$,
  '42501', null, 'a creator cannot insert a video for another creator'
);
select lives_ok(
  $$ insert into public.videos (creator_id, title, video_url) values ('a1000000-0000-4000-a000-000000000001', 'mine', 'https://v/mine') $$,
  'a creator inserts their own video'
);
reset role;

-- Student One (enrolled with Creator One).
set local role authenticated;
set local request.jwt.claims = '{"sub":"a0000000-0000-4000-a000-000000000011","role":"authenticated"}';
set local request.jwt.claim.sub = 'a0000000-0000-4000-a000-000000000011';
select is((select count(*)::int from public.students where id::text like 'a2000000-0000-4000-a000-%'), 1, 'a student sees only their own enrolment');
select is_empty($$ select 1 from public.creators where id::text like 'a1000000-0000-4000-a000-%' $$, 'a student does not read creator rows');
select results_eq(
  $$ select title from public.videos where id::text like 'a3000000-0000-4000-a000-%' $$,
  array['Done'], 'a student sees only completed videos of their creator'
);
select results_eq(
  $$ select chunk_text from public.video_chunks where video_id::text like 'a3000000-0000-4000-a000-%' $$,
  array['readable chunk'], 'a student sees only chunks of readable videos'
);
select is((select count(*)::int from public.chat_sessions where id::text like 'a4000000-0000-4000-a000-%'), 1, 'a student sees only their own chat session');
select results_eq('select content from public.chat_messages', array['mine'], 'a student sees only messages of their own sessions');
select is((select count(*)::int from public.video_progress), 1, 'a student sees only their own progress');

-- Enrolment is written by the service role only.
select throws_ok(
  $$ insert into public.students (user_id, creator_id, name, email) values
       ('a0000000-0000-4000-a000-000000000011', 'a1000000-0000-4000-a000-000000000002', 'Free rider', 'f@example.com') $$,
  '42501', null, 'a student cannot enrol themselves'
);
-- A session must belong to one of the caller's enrolments.
select throws_ok(
  $$ insert into public.chat_sessions (student_id, creator_id) values
       ('a2000000-0000-4000-a000-000000000002', 'a1000000-0000-4000-a000-000000000002') $$,
  '42501', null, 'a student cannot open a session as another student'
);
select lives_ok(
  $$ insert into public.chat_sessions (student_id, creator_id) values
       ('a2000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001') $$,
  'a student opens a session of their own enrolment'
);
-- Users write questions only; answers come from the server.
select throws_ok(
  $$ insert into public.chat_messages (session_id, role, content) values
       ('a4000000-0000-4000-a000-000000000001', 'assistant', 'forged answer') $$,
  '42501', null, 'a student cannot write an assistant message'
);
select lives_ok(
  $$ insert into public.chat_messages (session_id, role, content) values ('a4000000-0000-4000-a000-000000000001', 'user', 'a question') $$,
  'a student asks a question in their own session'
);
-- Progress on another creator's video (not readable) is refused.
select throws_ok(
  $$ insert into public.video_progress (student_id, video_id) values
       ('a2000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000003') $$,
  '42501', null, 'a student cannot record progress on an unreadable video'
);
-- Quiz scores are computed by the server.
select throws_ok(
  $$ insert into public.quiz_attempts (student_id, quiz_id, score) values
       ('a2000000-0000-4000-a000-000000000001', gen_random_uuid(), 100) $$,
  '42501', null, 'a student cannot set their own quiz score'
);
-- Analytics: own events only ...
select throws_ok(
  $$ insert into public.analytics_events (user_id, event_type) values ('a0000000-0000-4000-a000-000000000001', 'spoof') $$,
  '42501', null, 'a student cannot record an event as another user'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, event_type) values ('a0000000-0000-4000-a000-000000000011', 'video_started') $$,
  'a student records their own event'
);
-- ... and never attributed to another creator, student or an unreadable video (a foreign key alone
-- would accept them, and the other creator's dashboard would show them).
select throws_ok(
  $$ insert into public.analytics_events (user_id, creator_id, event_type) values
       ('a0000000-0000-4000-a000-000000000011', 'a1000000-0000-4000-a000-000000000002', 'spoof') $$,
  '42501', null, 'a student cannot attribute an event to a creator they are not enrolled with'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, student_id, event_type) values
       ('a0000000-0000-4000-a000-000000000011', 'a2000000-0000-4000-a000-000000000002', 'spoof') $$,
  '42501', null, 'a student cannot attribute an event to another student'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, video_id, event_type) values
       ('a0000000-0000-4000-a000-000000000011', 'a3000000-0000-4000-a000-000000000002', 'spoof') $$,
  '42501', null, 'a student cannot record an event on an unreadable video'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, student_id, creator_id, video_id, event_type) values
       ('a0000000-0000-4000-a000-000000000011', 'a2000000-0000-4000-a000-000000000001',
        'a1000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000001', 'video_started') $$,
  'a student records an event on their own enrolment, creator and video'
);
-- Sessions and quiz attempts name readable videos of the session's creator only.
select throws_ok(
  $$ insert into public.chat_sessions (student_id, creator_id, video_id) values
       ('a2000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000003') $$,
  '42501', null, 'a student cannot open a session about another creator''s video'
);
select throws_ok(
  $$ insert into public.quiz_attempts (student_id, quiz_id, video_id) values
       ('a2000000-0000-4000-a000-000000000001', gen_random_uuid(), 'a3000000-0000-4000-a000-000000000002') $$,
  '42501', null, 'a student cannot record a quiz attempt on an unreadable video'
);
reset role;

-- service_role bypasses RLS.
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select is((select count(*)::int from public.creators where id::text like 'a1000000-0000-4000-a000-%'), 2, 'service_role sees every creator');
select is((select count(*)::int from public.chat_messages where session_id::text like 'a4000000-0000-4000-a000-%'), 3, 'service_role sees every message');
reset role;

select * from finish();
rollback;
