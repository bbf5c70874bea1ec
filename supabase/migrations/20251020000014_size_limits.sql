-- Size limits on what users write (a student's 30 MB analytics event was stored). Every text, JSON or
-- array column anon or authenticated may INSERT or UPDATE is bounded by a CHECK; the API gateway also
-- caps request bodies, but a CHECK holds whatever the client and whoever the writer.
--
-- Limits, chosen generously above real use and far below what hurts (rows stay well under the 1 GB
-- field limit, PostgREST and JSON parsing stay cheap, a page of 1000 rows stays small):
--   emails                           320 characters (RFC 5321: 64 local part + @ + 255 domain)
--   URLs                           2,048 characters (what browsers and CDNs reliably accept)
--   chat session titles              300 characters (as video titles)
--   video descriptions             5,000 characters
--   chat message content          32,000 characters (a long question, or an answer of ~8k tokens)
--   project submission content   100,000 characters (a write-up or a source file; larger work is a URL)
--   analytics session ids            200 characters
--   JSON, measured as its text: settings and preferences 16 KiB, analytics properties 16 KiB,
--   quiz answers 64 KiB.
-- Violations are 23514 (check_violation): a 400 ValidationError through @mentora/db.

alter table public.creators
  add constraint creators_email_length check (char_length(email) <= 320),
  add constraint creators_settings_size check (octet_length(settings::text) <= 16384);

alter table public.students
  add constraint students_email_length check (char_length(email) <= 320),
  add constraint students_preferences_size check (octet_length(preferences::text) <= 16384);

alter table public.videos
  add constraint videos_description_length check (char_length(description) <= 5000),
  add constraint videos_video_url_length check (char_length(video_url) <= 2048),
  add constraint videos_thumbnail_url_length check (char_length(thumbnail_url) <= 2048);

alter table public.chat_sessions
  add constraint chat_sessions_title_length check (char_length(title) <= 300);

alter table public.chat_messages
  add constraint chat_messages_content_length check (char_length(content) <= 32000);

alter table public.quiz_attempts
  add constraint quiz_attempts_answers_size check (octet_length(answers::text) <= 65536);

alter table public.project_submissions
  add constraint project_submissions_submission_url_length check (char_length(submission_url) <= 2048),
  add constraint project_submissions_content_length check (char_length(content) <= 100000);

alter table public.analytics_events
  add constraint analytics_events_properties_size check (octet_length(properties::text) <= 16384),
  add constraint analytics_events_session_id_length check (char_length(session_id) <= 200);
