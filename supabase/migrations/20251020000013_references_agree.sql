-- The references a user writes must agree with each other, as chat_sessions already requires.
--
-- 20251020000009 made each reference point at a row the user can reach, one at a time. A student
-- enrolled with two creators can reach both creators' videos, so an enrolment with one creator could
-- be attached to the other creator's video (video_progress, quiz_attempts), and one analytics event
-- could mix the creator, the enrolment and the video of different courses, attributing the student's
-- activity to a course it did not happen in. Each insert policy now also requires that every
-- reference names the same creator. (The sub-selects run under the caller's RLS: a row they cannot
-- read yields null, and the check fails.)

drop policy video_progress_insert_own on public.video_progress;
create policy video_progress_insert_own on public.video_progress for insert to authenticated
  with check (
    student_id in (select private.my_student_ids())
    and exists (
      select 1 from public.students s
      join public.videos v on v.creator_id = s.creator_id
      where s.id = video_progress.student_id and v.id = video_progress.video_id
    )
  );

drop policy quiz_attempts_insert_own on public.quiz_attempts;
create policy quiz_attempts_insert_own on public.quiz_attempts for insert to authenticated
  with check (
    student_id in (select private.my_student_ids())
    and (
      video_id is null
      or exists (
        select 1 from public.students s
        join public.videos v on v.creator_id = s.creator_id
        where s.id = quiz_attempts.student_id and v.id = quiz_attempts.video_id
      )
    )
  );

drop policy analytics_events_insert_own on public.analytics_events;
create policy analytics_events_insert_own on public.analytics_events for insert to authenticated
  with check (
    user_id = (select auth.uid())
    -- Each reference is one the caller can reach ...
    and (student_id is null or student_id in (select private.my_student_ids()))
    and (
      creator_id is null
      or creator_id in (select private.my_creator_ids())
      or creator_id in (select private.my_enrolled_creator_ids())
    )
    and (video_id is null or video_id in (select v.id from public.videos v))
    -- ... and they all name the same creator.
    and (
      student_id is null or creator_id is null
      or creator_id = (select s.creator_id from public.students s where s.id = analytics_events.student_id)
    )
    and (
      video_id is null or creator_id is null
      or creator_id = (select v.creator_id from public.videos v where v.id = analytics_events.video_id)
    )
    and (
      video_id is null or student_id is null
      or (select v.creator_id from public.videos v where v.id = analytics_events.video_id)
         = (select s.creator_id from public.students s where s.id = analytics_events.student_id)
    )
  );
