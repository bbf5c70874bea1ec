-- References a user writes must agree with each other, not only each be reachable: a student enrolled
-- with two creators may not attach one enrolment to the other creator's video, or mix creator,
-- enrolment and video of different courses in one analytics event.
begin;
set local search_path = public, extensions;
select plan(13);

insert into public.creators (id, user_id, name, email) values
  ('f1000000-0000-4000-a000-00000000000a', 'f0000000-0000-4000-a000-00000000000a', 'Creator A', 'a@example.com'),
  ('f1000000-0000-4000-a000-00000000000b', 'f0000000-0000-4000-a000-00000000000b', 'Creator B', 'b@example.com');
-- One student, enrolled with both.
insert into public.students (id, user_id, creator_id, name, email) values
  ('f2000000-0000-4000-a000-00000000000a', 'f0000000-0000-4000-a000-000000000011', 'f1000000-0000-4000-a000-00000000000a', 'K', 'k@example.com'),
  ('f2000000-0000-4000-a000-00000000000b', 'f0000000-0000-4000-a000-000000000011', 'f1000000-0000-4000-a000-00000000000b', 'K', 'k@example.com');
insert into public.videos (id, creator_id, title, video_url, processing_status) values
  ('f3000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'A''s video', 'https://v/a', 'completed'),
  ('f3000000-0000-4000-a000-00000000000b', 'f1000000-0000-4000-a000-00000000000b', 'B''s video', 'https://v/b', 'completed');

set local role authenticated;
set local request.jwt.claims = '{"sub":"f0000000-0000-4000-a000-000000000011","role":"authenticated"}';
set local request.jwt.claim.sub = 'f0000000-0000-4000-a000-000000000011';

-- video_progress: the enrolment and the video belong to the same creator.
select throws_ok(
  $$ insert into public.video_progress (student_id, video_id) values
       ('f2000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b') $$,
  '42501', null, 'progress of the enrolment with A on B''s video is refused'
);
select lives_ok(
  $$ insert into public.video_progress (student_id, video_id) values
       ('f2000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000a'),
       ('f2000000-0000-4000-a000-00000000000b', 'f3000000-0000-4000-a000-00000000000b') $$,
  'progress of each enrolment on its own creator''s video is recorded'
);

-- quiz_attempts: the same, when the attempt names a video.
select throws_ok(
  $$ insert into public.quiz_attempts (student_id, quiz_id, video_id) values
       ('f2000000-0000-4000-a000-00000000000a', gen_random_uuid(), 'f3000000-0000-4000-a000-00000000000b') $$,
  '42501', null, 'a quiz attempt of the enrolment with A on B''s video is refused'
);
select lives_ok(
  $$ insert into public.quiz_attempts (student_id, quiz_id, video_id) values
       ('f2000000-0000-4000-a000-00000000000a', gen_random_uuid(), 'f3000000-0000-4000-a000-00000000000a'),
       ('f2000000-0000-4000-a000-00000000000a', gen_random_uuid(), null) $$,
  'a quiz attempt on the enrolment''s own creator''s video, or on none, is recorded'
);

-- chat_sessions: already required (kept here so the three tables are proven together).
select throws_ok(
  $$ insert into public.chat_sessions (student_id, creator_id, video_id) values
       ('f2000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b') $$,
  '42501', null, 'a chat session of the enrolment with A about B''s video is refused'
);

-- analytics_events: creator, enrolment and video name one course.
select throws_ok(
  $$ insert into public.analytics_events (user_id, student_id, creator_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000b', 'mixed') $$,
  '42501', null, 'an event with the enrolment with A and creator B is refused'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, creator_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b', 'mixed') $$,
  '42501', null, 'an event with creator A and B''s video is refused'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, student_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b', 'mixed') $$,
  '42501', null, 'an event with the enrolment with A and B''s video is refused'
);
select throws_ok(
  $$ insert into public.analytics_events (user_id, student_id, creator_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b', 'mixed') $$,
  '42501', null, 'an event whose video belongs to another course than its creator and enrolment is refused'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, student_id, creator_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000a', 'agrees'),
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000b', 'f1000000-0000-4000-a000-00000000000b', 'f3000000-0000-4000-a000-00000000000b', 'agrees') $$,
  'events whose creator, enrolment and video agree are recorded, for either course'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, student_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-000000000011', 'f2000000-0000-4000-a000-00000000000b', 'f3000000-0000-4000-a000-00000000000b', 'partial'),
       ('f0000000-0000-4000-a000-000000000011', null, null, 'none') $$,
  'events naming only some (or none) of the references are recorded when those agree'
);
reset role;

-- A creator's own events: their own videos only.
set local role authenticated;
set local request.jwt.claims = '{"sub":"f0000000-0000-4000-a000-00000000000a","role":"authenticated"}';
set local request.jwt.claim.sub = 'f0000000-0000-4000-a000-00000000000a';
select throws_ok(
  $$ insert into public.analytics_events (user_id, creator_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000b', 'mixed') $$,
  '42501', null, 'a creator cannot attach another creator''s video to their own event'
);
select lives_ok(
  $$ insert into public.analytics_events (user_id, creator_id, video_id, event_type) values
       ('f0000000-0000-4000-a000-00000000000a', 'f1000000-0000-4000-a000-00000000000a', 'f3000000-0000-4000-a000-00000000000a', 'own') $$,
  'a creator records an event on their own video'
);
reset role;

select * from finish();
rollback;
