-- RLS of the application tables: a user reaches only their own rows.
begin;

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
select set_config('request.jwt.claims', '{"role":"anon"}', true);
do $$
declare
  t text;
begin
  foreach t in array array['creators', 'students', 'videos', 'video_chunks', 'chat_sessions', 'chat_messages',
    'video_progress', 'quiz_attempts', 'project_submissions', 'student_achievements', 'analytics_events',
    'analytics_daily_metrics'] loop
    begin
      execute format('select count(*) from public.%I', t);
      raise exception 'anon could read public.%', t;
    exception when insufficient_privilege then null;
    end;
  end loop;
end $$;
reset role;

-- Creator One.
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"a0000000-0000-4000-a000-000000000001","role":"authenticated"}', true);
select set_config('request.jwt.claim.sub', 'a0000000-0000-4000-a000-000000000001', true);
do $$
begin
  if (select count(*) from public.creators where id::text like 'a1000000-0000-4000-a000-%') <> 1 then
    raise exception 'creator should see exactly their own creator row';
  end if;
  if (select count(*) from public.students where id::text like 'a2000000-0000-4000-a000-%') <> 1 then
    raise exception 'creator should see exactly the student enrolled with them';
  end if;
  if (select count(*) from public.videos where id::text like 'a3000000-0000-4000-a000-%') <> 2 then
    raise exception 'creator should see both of their own videos (completed and pending)';
  end if;
  if (select count(*) from public.video_chunks where video_id::text like 'a3000000-0000-4000-a000-%') <> 2 then
    raise exception 'creator should see the chunks of their own videos only';
  end if;
  if exists (select 1 from public.chat_sessions where id::text like 'a4000000-0000-4000-a000-%') then
    raise exception 'a creator must not read students'' chat sessions';
  end if;

  -- Own row: allowed columns update; version bumped by the trigger.
  update public.creators set name = 'Creator One (renamed)' where id = 'a1000000-0000-4000-a000-000000000001';
  if (select version from public.creators where id = 'a1000000-0000-4000-a000-000000000001') <> 2 then
    raise exception 'update should have bumped version to 2';
  end if;

  -- Another creator's row: invisible, so the update matches nothing.
  update public.creators set name = 'hijacked' where id = 'a1000000-0000-4000-a000-000000000002';
  if found then
    raise exception 'creator updated another creator''s row';
  end if;

  -- Plan is billing data: column privilege denies it.
  begin
    update public.creators set plan = 'enterprise' where id = 'a1000000-0000-4000-a000-000000000001';
    raise exception 'creator could upgrade their own plan';
  exception when insufficient_privilege then null;
  end;

  -- Inserting a video for someone else's creator id violates the policy.
  begin
    insert into public.videos (creator_id, title, video_url) values
      ('a1000000-0000-4000-a000-000000000002', 'sneaky', 'https://v/x');
    raise exception 'creator inserted a video for another creator';
  exception when insufficient_privilege then null;
  end;
  insert into public.videos (creator_id, title, video_url) values
    ('a1000000-0000-4000-a000-000000000001', 'mine', 'https://v/mine');
end $$;
reset role;

-- Student One (enrolled with Creator One).
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"a0000000-0000-4000-a000-000000000011","role":"authenticated"}', true);
select set_config('request.jwt.claim.sub', 'a0000000-0000-4000-a000-000000000011', true);
do $$
begin
  if (select count(*) from public.students where id::text like 'a2000000-0000-4000-a000-%') <> 1 then
    raise exception 'student should see only their own enrolment';
  end if;
  if exists (select 1 from public.creators where id::text like 'a1000000-0000-4000-a000-%') then
    raise exception 'a student must not read creator rows';
  end if;
  if (select array_agg(title order by title) from public.videos where id::text like 'a3000000-0000-4000-a000-%') <> array['Done'] then
    raise exception 'student should see only completed videos of their creator';
  end if;
  if (select array_agg(chunk_text) from public.video_chunks where video_id::text like 'a3000000-0000-4000-a000-%') <> array['readable chunk'] then
    raise exception 'student should see only chunks of readable videos';
  end if;
  if (select count(*) from public.chat_sessions where id::text like 'a4000000-0000-4000-a000-%') <> 1 then
    raise exception 'student should see only their own chat session';
  end if;
  if (select array_agg(content) from public.chat_messages) <> array['mine'] then
    raise exception 'student should see only messages of their own sessions';
  end if;
  if (select count(*) from public.video_progress) <> 1 then
    raise exception 'student should see only their own progress';
  end if;

  -- Enrolment is written by the service role only.
  begin
    insert into public.students (user_id, creator_id, name, email) values
      ('a0000000-0000-4000-a000-000000000011', 'a1000000-0000-4000-a000-000000000002', 'Free rider', 'f@example.com');
    raise exception 'student enrolled themselves';
  exception when insufficient_privilege then null;
  end;

  -- A session must belong to one of the caller's enrolments.
  begin
    insert into public.chat_sessions (student_id, creator_id) values
      ('a2000000-0000-4000-a000-000000000002', 'a1000000-0000-4000-a000-000000000002');
    raise exception 'student opened a session as another student';
  exception when insufficient_privilege then null;
  end;
  insert into public.chat_sessions (student_id, creator_id) values
    ('a2000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001');

  -- Users write questions only; answers come from the server.
  begin
    insert into public.chat_messages (session_id, role, content) values
      ('a4000000-0000-4000-a000-000000000001', 'assistant', 'forged answer');
    raise exception 'student wrote an assistant message';
  exception when insufficient_privilege then null;
  end;
  insert into public.chat_messages (session_id, role, content) values
    ('a4000000-0000-4000-a000-000000000001', 'user', 'a question');

  -- Progress on another creator's video (not readable) is refused.
  begin
    insert into public.video_progress (student_id, video_id) values
      ('a2000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000003');
    raise exception 'student recorded progress on an unreadable video';
  exception when insufficient_privilege then null;
  end;

  -- Quiz scores are computed by the server.
  begin
    insert into public.quiz_attempts (student_id, quiz_id, score) values
      ('a2000000-0000-4000-a000-000000000001', gen_random_uuid(), 100);
    raise exception 'student set their own quiz score';
  exception when insufficient_privilege then null;
  end;

  -- Analytics: own events only.
  begin
    insert into public.analytics_events (user_id, event_type) values ('a0000000-0000-4000-a000-000000000001', 'spoof');
    raise exception 'student recorded an event as another user';
  exception when insufficient_privilege then null;
  end;
  insert into public.analytics_events (user_id, event_type) values ('a0000000-0000-4000-a000-000000000011', 'video_started');
  -- ... and never attributed to another creator, student or an unreadable video (a foreign key alone
  -- would accept them, and the other creator's dashboard would show them).
  begin
    insert into public.analytics_events (user_id, creator_id, event_type) values
      ('a0000000-0000-4000-a000-000000000011', 'a1000000-0000-4000-a000-000000000002', 'spoof');
    raise exception 'student attributed an event to a creator they are not enrolled with';
  exception when insufficient_privilege then null;
  end;
  begin
    insert into public.analytics_events (user_id, student_id, event_type) values
      ('a0000000-0000-4000-a000-000000000011', 'a2000000-0000-4000-a000-000000000002', 'spoof');
    raise exception 'student attributed an event to another student';
  exception when insufficient_privilege then null;
  end;
  begin
    insert into public.analytics_events (user_id, video_id, event_type) values
      ('a0000000-0000-4000-a000-000000000011', 'a3000000-0000-4000-a000-000000000002', 'spoof');
    raise exception 'student recorded an event on an unreadable video';
  exception when insufficient_privilege then null;
  end;
  insert into public.analytics_events (user_id, student_id, creator_id, video_id, event_type) values
    ('a0000000-0000-4000-a000-000000000011', 'a2000000-0000-4000-a000-000000000001',
     'a1000000-0000-4000-a000-000000000001', 'a3000000-0000-4000-a000-000000000001', 'video_started');

  -- Sessions and quiz attempts name readable videos of the session's creator only.
  begin
    insert into public.chat_sessions (student_id, creator_id, video_id) values
      ('a2000000-0000-4000-a000-000000000001', 'a1000000-0000-4000-a000-000000000001',
       'a3000000-0000-4000-a000-000000000003');
    raise exception 'student opened a session about another creator''s video';
  exception when insufficient_privilege then null;
  end;
  begin
    insert into public.quiz_attempts (student_id, quiz_id, video_id) values
      ('a2000000-0000-4000-a000-000000000001', gen_random_uuid(), 'a3000000-0000-4000-a000-000000000002');
    raise exception 'student recorded a quiz attempt on an unreadable video';
  exception when insufficient_privilege then null;
  end;
end $$;
reset role;

-- service_role bypasses RLS.
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
do $$
begin
  if (select count(*) from public.creators where id::text like 'a1000000-0000-4000-a000-%') <> 2 then
    raise exception 'service_role should see every creator';
  end if;
  if (select count(*) from public.chat_messages where session_id::text like 'a4000000-0000-4000-a000-%') <> 3 then
    raise exception 'service_role should see every message';
  end if;
end $$;
reset role;

rollback;
