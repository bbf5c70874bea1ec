-- Deletes: what a user's DELETE may remove, and what the service role's account deletion keeps.
begin;
set local search_path = public, extensions;
select plan(16);

insert into public.creators (id, user_id, name, email) values
  ('e1000000-0000-4000-a000-000000000001', 'e0000000-0000-4000-a000-000000000001', 'Creator', 'c@example.com');
insert into public.students (id, user_id, creator_id, name, email) values
  ('e2000000-0000-4000-a000-000000000001', 'e0000000-0000-4000-a000-000000000011', 'e1000000-0000-4000-a000-000000000001', 'Student', 's@example.com');
insert into public.videos (id, creator_id, title, video_url, processing_status) values
  ('e3000000-0000-4000-a000-000000000001', 'e1000000-0000-4000-a000-000000000001', 'Watched', 'https://v/1', 'completed'),
  ('e3000000-0000-4000-a000-000000000002', 'e1000000-0000-4000-a000-000000000001', 'Draft', 'https://v/2', 'pending');
insert into public.video_progress (student_id, video_id, watched_seconds) values
  ('e2000000-0000-4000-a000-000000000001', 'e3000000-0000-4000-a000-000000000001', 60);
insert into public.chat_sessions (id, student_id, creator_id, video_id) values
  ('e4000000-0000-4000-a000-000000000001', 'e2000000-0000-4000-a000-000000000001', 'e1000000-0000-4000-a000-000000000001', 'e3000000-0000-4000-a000-000000000001'),
  ('e4000000-0000-4000-a000-000000000002', 'e2000000-0000-4000-a000-000000000001', 'e1000000-0000-4000-a000-000000000001', null);
insert into public.chat_messages (session_id, role, content) values
  ('e4000000-0000-4000-a000-000000000001', 'user', 'first session'),
  ('e4000000-0000-4000-a000-000000000002', 'user', 'second session');
insert into public.analytics_events (user_id, creator_id, student_id, video_id, event_type) values
  ('e0000000-0000-4000-a000-000000000011', 'e1000000-0000-4000-a000-000000000001', 'e2000000-0000-4000-a000-000000000001',
   'e3000000-0000-4000-a000-000000000001', 'deletion_probe');
insert into public.analytics_daily_metrics (metric_date, creator_id, event_type, event_count, unique_users) values
  ('2031-01-01', 'e1000000-0000-4000-a000-000000000001', 'deletion_probe', 1, 1);
insert into public.ai_api_usage (provider, model, operation, input_tokens, user_id, creator_id) values
  ('local', 'm', 'chat', 100, 'e0000000-0000-4000-a000-000000000011', 'e1000000-0000-4000-a000-000000000001');

-- The creator.
set local role authenticated;
set local request.jwt.claims = '{"sub":"e0000000-0000-4000-a000-000000000001","role":"authenticated"}';
set local request.jwt.claim.sub = 'e0000000-0000-4000-a000-000000000001';
select throws_ok(
  $$ delete from public.creators where user_id = 'e0000000-0000-4000-a000-000000000001' $$,
  '42501', null, 'a creator cannot delete their own account (a service-role flow)'
);
select throws_ok(
  $$ delete from public.videos where id = 'e3000000-0000-4000-a000-000000000001' $$,
  '23503', null, 'a creator cannot delete a video that students have progress on'
);
select lives_ok(
  $$ delete from public.videos where id = 'e3000000-0000-4000-a000-000000000002' $$,
  'a creator deletes their own video that nobody used'
);
reset role;
select is_empty($$ select 1 from public.videos where id = 'e3000000-0000-4000-a000-000000000002' $$, 'the unused video is gone');
select is((select count(*)::int from public.students where creator_id = 'e1000000-0000-4000-a000-000000000001'), 1, 'the creator''s student is still enrolled');
select is((select watched_seconds from public.video_progress where student_id = 'e2000000-0000-4000-a000-000000000001'), 60, 'the student''s progress is intact');
select is((select count(*)::int from public.chat_messages where session_id::text like 'e4000000-%'), 2, 'the student''s chats are intact');

-- The student deletes one of their own sessions: its messages go with it, nothing else does.
set local role authenticated;
set local request.jwt.claims = '{"sub":"e0000000-0000-4000-a000-000000000011","role":"authenticated"}';
set local request.jwt.claim.sub = 'e0000000-0000-4000-a000-000000000011';
select lives_ok(
  $$ delete from public.chat_sessions where id = 'e4000000-0000-4000-a000-000000000002' $$,
  'a student deletes their own chat session'
);
select throws_ok(
  $$ delete from public.students where id = 'e2000000-0000-4000-a000-000000000001' $$,
  '42501', null, 'a student cannot delete their enrolment'
);
reset role;
select results_eq(
  $$ select content from public.chat_messages where session_id::text like 'e4000000-%' $$,
  array['first session'], 'the deleted session took its own messages only'
);

-- Account deletion by the service role: enrolments and learning data go; usage keeps its owner.
set local role service_role;
set local request.jwt.claims = '{"role":"service_role"}';
select lives_ok(
  $$ delete from public.creators where id = 'e1000000-0000-4000-a000-000000000001' $$,
  'the service role deletes a creator account'
);
reset role;
select is_empty($$ select 1 from public.students where creator_id = 'e1000000-0000-4000-a000-000000000001' $$, 'the account''s enrolments are removed');
select is_empty($$ select 1 from public.video_progress where student_id = 'e2000000-0000-4000-a000-000000000001' $$, 'their progress is removed');
select results_eq(
  $$ select creator_id from public.ai_api_usage where user_id = 'e0000000-0000-4000-a000-000000000011' $$,
  $$ values ('e1000000-0000-4000-a000-000000000001'::uuid) $$,
  'AI usage keeps its creator (quota history survives the account)'
);
select results_eq(
  $$ select creator_id, student_id, video_id from public.analytics_events where event_type = 'deletion_probe' $$,
  $$ values (null::uuid, null::uuid, null::uuid) $$,
  'analytics events stay, anonymised'
);
select is_empty($$ select 1 from public.analytics_daily_metrics where event_type = 'deletion_probe' $$, 'the account''s own daily metrics are removed');

select * from finish();
rollback;
