-- A user's DELETE removes nothing that belongs to another user; usage keeps its owner.
--
-- Foreign-key actions run with the table owner's rights, past RLS and past column grants. Every
-- ON DELETE action below was reviewed for whose rows it removes and who may trigger it:
--
--   reference                          action     who may delete the parent   decision
--   students.creator_id                cascade    creator (!), service role   creator loses DELETE (below)
--   videos.creator_id                  cascade    creator (!), service role   idem
--   chat_sessions.creator_id           cascade    creator (!), service role   idem
--   analytics_daily_metrics.creator_id cascade    creator (!), service role   idem
--   analytics_events.creator_id        set null   creator (!), service role   idem
--   ai_api_usage.creator_id            set null   creator (!), service role   no foreign key (below)
--   video_progress.video_id            cascade    creator (!), service role   no action (below)
--   video_chunks.video_id              cascade    creator, service role       kept: the creator's own chunks
--   chat_sessions.video_id             set null   creator, service role       kept: unlinks, the session stays
--   quiz_attempts.video_id             set null   creator, service role       kept: unlinks, the attempt stays
--   analytics_events.video_id          set null   creator, service role       kept: unlinks, the event stays
--   chat_messages.session_id           cascade    student (own), service role kept: their own messages
--   *.student_id (6 tables)            cascade    service role                kept: enrolment deletion
--   analytics_events.student_id        set null   service role                kept: anonymises events
--
-- A creator could DELETE their creators row, and the cascades removed their students' enrolments
-- (which only the service role may write), chats, progress, quiz attempts, submissions, achievements,
-- the creator's metrics, and cleared ai_api_usage.creator_id. Deleting an account is a service-role
-- flow (it may use these cascades deliberately); users get no DELETE on creators.
revoke delete on public.creators from authenticated;
drop policy creators_delete_own on public.creators;

-- A creator may still delete a video, but no longer a student's progress with it: while progress rows
-- reference the video, the delete fails (23503, a conflict) and the video stays. (NO ACTION, checked at
-- the end of the statement: when the service role deletes an account, the progress rows go through
-- the students' cascade in the same statement.)
alter table public.video_progress
  drop constraint video_progress_video_id_fkey,
  add constraint video_progress_video_id_fkey foreign key (video_id) references public.videos (id);

-- Quota-relevant usage keeps its owner after the creator is deleted: creator_id stays a plain id, like
-- user_id, so per-creator usage history (and any quota computed from it) survives the account.
alter table public.ai_api_usage drop constraint ai_api_usage_creator_id_fkey;
