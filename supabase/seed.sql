-- Development data for `pnpm dev` and `supabase db reset`. Fixed ids so a developer can sign a JWT
-- for a known user (startLocalSupabase().signUserToken(userId)) and see RLS at work:
--
--   creator  Ada Lovelace     user 00000000-0000-4000-a000-000000000001  creator 10000000-0000-4000-a000-000000000001
--   creator  Grace Hopper     user 00000000-0000-4000-a000-000000000002  creator 10000000-0000-4000-a000-000000000002
--   student  Alan Turing      user 00000000-0000-4000-a000-000000000011  (enrolled with Ada)
--   student  Katherine Johnson user 00000000-0000-4000-a000-000000000012 (enrolled with Ada and Grace)
--
-- Tests never rely on these rows: every test creates its own users and data.
-- Re-runnable: every insert skips rows that already exist.

insert into public.creators (id, user_id, name, email, plan) values
  ('10000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000001', 'Ada Lovelace', 'ada@example.com', 'pro'),
  ('10000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000002', 'Grace Hopper', 'grace@example.com', 'basic')
on conflict do nothing;

insert into public.students (id, user_id, creator_id, name, email, plan, onboarding_completed, last_active) values
  ('20000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000011', '10000000-0000-4000-a000-000000000001',
   'Alan Turing', 'alan@example.com', 'basic', true, now() - interval '2 hours'),
  ('20000000-0000-4000-a000-000000000002', '00000000-0000-4000-a000-000000000012', '10000000-0000-4000-a000-000000000001',
   'Katherine Johnson', 'katherine@example.com', 'pro', true, now() - interval '1 day'),
  ('20000000-0000-4000-a000-000000000003', '00000000-0000-4000-a000-000000000012', '10000000-0000-4000-a000-000000000002',
   'Katherine Johnson', 'katherine@example.com', 'basic', false, null)
on conflict do nothing;

insert into public.videos (id, creator_id, title, description, video_url, duration_seconds, processing_status, full_transcript, processed_at, created_at) values
  ('30000000-0000-4000-a000-000000000001', '10000000-0000-4000-a000-000000000001', 'Notes on the Analytical Engine',
   'What a general-purpose machine can compute.', 'https://videos.example.com/ada/engine.mp4', 1260, 'completed',
   'The Analytical Engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.',
   now() - interval '6 days', now() - interval '7 days'),
  ('30000000-0000-4000-a000-000000000002', '10000000-0000-4000-a000-000000000001', 'Bernoulli numbers, step by step',
   'The first published program, line by line.', 'https://videos.example.com/ada/bernoulli.mp4', 1810, 'completed',
   'To compute the Bernoulli numbers we begin with the operation cards.', now() - interval '3 days', now() - interval '4 days'),
  ('30000000-0000-4000-a000-000000000003', '10000000-0000-4000-a000-000000000001', 'Poetical science (draft)',
   null, 'https://videos.example.com/ada/poetical.mp4', null, 'pending', null, null, now() - interval '1 hour'),
  ('30000000-0000-4000-a000-000000000004', '10000000-0000-4000-a000-000000000002', 'Compilers for everyone',
   'From A-0 to COBOL.', 'https://videos.example.com/grace/compilers.mp4', 2400, 'processing', null, null, now() - interval '2 days')
on conflict do nothing;

insert into public.video_chunks (id, video_id, chunk_index, chunk_text, start_timestamp, end_timestamp, topic_tags) values
  ('31000000-0000-4000-a000-000000000001', '30000000-0000-4000-a000-000000000001', 0,
   'The Analytical Engine weaves algebraic patterns', 0, 42.5, '{engine,patterns}'),
  ('31000000-0000-4000-a000-000000000002', '30000000-0000-4000-a000-000000000001', 1,
   'just as the Jacquard loom weaves flowers and leaves.', 42.5, 90, '{loom}'),
  ('31000000-0000-4000-a000-000000000003', '30000000-0000-4000-a000-000000000002', 0,
   'To compute the Bernoulli numbers we begin with the operation cards.', 0, 60, '{bernoulli,programs}')
on conflict do nothing;

insert into public.chat_sessions (id, student_id, creator_id, video_id, title, message_count, last_message_at) values
  ('40000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000001', '10000000-0000-4000-a000-000000000001',
   '30000000-0000-4000-a000-000000000001', 'What is the engine for?', 2, now() - interval '3 hours')
on conflict do nothing;

insert into public.chat_messages (id, session_id, role, content, sources, token_count, created_at) values
  ('41000000-0000-4000-a000-000000000001', '40000000-0000-4000-a000-000000000001', 'user',
   'Can the engine do more than arithmetic?', '[]', 9, now() - interval '3 hours 1 minute'),
  ('41000000-0000-4000-a000-000000000002', '40000000-0000-4000-a000-000000000001', 'assistant',
   'Yes: it manipulates symbols, so it can compose patterns of any kind.',
   '[{"chunk_id": "31000000-0000-4000-a000-000000000001", "video_id": "30000000-0000-4000-a000-000000000001", "start": 0}]',
   16, now() - interval '3 hours')
on conflict do nothing;

insert into public.video_progress (student_id, video_id, watched_seconds, completed, last_position_seconds, last_watched) values
  ('20000000-0000-4000-a000-000000000001', '30000000-0000-4000-a000-000000000001', 1260, true, 1260, now() - interval '5 hours'),
  ('20000000-0000-4000-a000-000000000001', '30000000-0000-4000-a000-000000000002', 600, false, 640, now() - interval '2 hours'),
  ('20000000-0000-4000-a000-000000000002', '30000000-0000-4000-a000-000000000001', 300, false, 300, now() - interval '1 day')
on conflict do nothing;

insert into public.quiz_attempts (id, student_id, video_id, quiz_id, answers, score, passed, completed_at) values
  ('50000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000001', '30000000-0000-4000-a000-000000000001',
   '51000000-0000-4000-a000-000000000001', '[{"q": 1, "a": "b"}, {"q": 2, "a": "d"}]', 85, true, now() - interval '4 hours')
on conflict do nothing;

insert into public.project_submissions (id, student_id, project_id, title, submission_url, status) values
  ('60000000-0000-4000-a000-000000000001', '20000000-0000-4000-a000-000000000001', '61000000-0000-4000-a000-000000000001',
   'Bernoulli numbers in TypeScript', 'https://git.example.com/alan/bernoulli', 'submitted')
on conflict do nothing;

insert into public.student_achievements (student_id, achievement_type, achievement_data) values
  ('20000000-0000-4000-a000-000000000001', 'first_video_completed', '{"video_id": "30000000-0000-4000-a000-000000000001"}'),
  ('20000000-0000-4000-a000-000000000001', 'first_quiz_passed', '{"score": 85}')
on conflict do nothing;

-- A week of events, so aggregate_daily_metrics() has something to roll up on day one.
insert into public.analytics_events (user_id, creator_id, student_id, video_id, event_type, properties, created_at)
select
  case when n % 2 = 0 then '00000000-0000-4000-a000-000000000011'::uuid else '00000000-0000-4000-a000-000000000012'::uuid end,
  '10000000-0000-4000-a000-000000000001',
  case when n % 2 = 0 then '20000000-0000-4000-a000-000000000001'::uuid else '20000000-0000-4000-a000-000000000002'::uuid end,
  '30000000-0000-4000-a000-000000000001',
  (array['video_started', 'video_completed', 'chat_message_sent', 'quiz_submitted'])[1 + n % 4],
  jsonb_build_object('seed', true, 'n', n),
  now() - make_interval(hours => n * 4)
from generate_series(1, 42) as n
where not exists (select 1 from public.analytics_events where properties ->> 'seed' = 'true');

insert into public.job_queue (run_id, function_id, event_name, status, payload, attempts, started_at, completed_at, created_at) values
  ('seed-run-1', 'process-video', 'video/upload.completed', 'completed',
   '{"videoId": "30000000-0000-4000-a000-000000000001"}', 1, now() - interval '6 days', now() - interval '6 days', now() - interval '6 days'),
  ('seed-run-2', 'process-video', 'video/upload.completed', 'running',
   '{"videoId": "30000000-0000-4000-a000-000000000004"}', 1, now() - interval '10 minutes', null, now() - interval '10 minutes')
on conflict do nothing;

insert into public.performance_metrics (metric_name, value, unit, tags)
select 'api.request.duration', 20 + (n * 7) % 180, 'ms', jsonb_build_object('route', '/api/chat')
from generate_series(1, 20) as n
where not exists (select 1 from public.performance_metrics);

insert into public.system_health_logs (service, status, latency_ms)
select s, 'healthy', 3 from unnest(array['database', 'cache']) as s
where not exists (select 1 from public.system_health_logs);
