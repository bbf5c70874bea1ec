-- Inserts made by users must not point at other users' rows.
--
-- A foreign key only proves that a referenced row exists; it is checked without RLS. So the first
-- policies let a user attach their own rows to anyone's: an analytics event carrying another
-- creator's creator_id lands on that creator's dashboard (and in aggregate_daily_metrics), and a chat
-- session or quiz attempt could name any video id (also an oracle for whether a guessed id exists).
-- These policies replace them: every reference a user writes must be to a row that user can reach.
-- The sub-selects on public.videos run under the caller's RLS, so "a video I can read" is exactly what
-- the videos policies say (own videos, or completed videos of creators the caller is enrolled with).

drop policy analytics_events_insert_own on public.analytics_events;
create policy analytics_events_insert_own on public.analytics_events for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (student_id is null or student_id in (select private.my_student_ids()))
    and (
      creator_id is null
      or creator_id in (select private.my_creator_ids())
      or creator_id in (select private.my_enrolled_creator_ids())
    )
    and (video_id is null or video_id in (select v.id from public.videos v))
  );

-- A session belongs to one of the caller's enrolments, with that enrolment's creator, and is about a
-- video of that creator the caller can read.
drop policy chat_sessions_insert_own on public.chat_sessions;
create policy chat_sessions_insert_own on public.chat_sessions for insert to authenticated
  with check (
    exists (
      select 1 from public.students s
      where s.id = student_id and s.creator_id = chat_sessions.creator_id and s.user_id = (select auth.uid())
    )
    and (
      video_id is null
      or video_id in (select v.id from public.videos v where v.creator_id = chat_sessions.creator_id)
    )
  );

drop policy quiz_attempts_insert_own on public.quiz_attempts;
create policy quiz_attempts_insert_own on public.quiz_attempts for insert to authenticated
  with check (
    student_id in (select private.my_student_ids())
    and (video_id is null or video_id in (select v.id from public.videos v))
  );
