-- Learning progress: watch progress, quiz attempts, project submissions, achievements.
-- All of it belongs to a student (students.user_id = auth.uid()).

create table public.video_progress (
  id uuid primary key default gen_random_uuid(),
  student_id uuid not null references public.students (id) on delete cascade,
  video_id uuid not null references public.videos (id) on delete cascade,
  watched_seconds integer not null default 0 check (watched_seconds >= 0),
  completed boolean not null default false,
  last_position_seconds integer not null default 0 check (last_position_seconds >= 0),
  last_watched timestamptz not null default now(),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- upsert({ onConflict: 'student_id,video_id' }) relies on this.
  unique (student_id, video_id)
);

-- Seeds' index: a student's dashboard, most recently watched first.
create index idx_video_progress_student on public.video_progress (student_id, last_watched desc);
create index idx_video_progress_video on public.video_progress (video_id);

create trigger video_progress_updated_at before update on public.video_progress
  for each row execute function private.set_updated_at();
create trigger video_progress_version before update on public.video_progress
  for each row execute function private.bump_version();

create table public.quiz_attempts (
  id uuid primary key default gen_random_uuid(),
  student_id uuid not null references public.students (id) on delete cascade,
  video_id uuid references public.videos (id) on delete set null,
  quiz_id uuid not null,
  answers jsonb not null default '[]'::jsonb,
  score numeric(5, 2) check (score between 0 and 100),
  passed boolean,
  started_at timestamptz not null default now(),
  completed_at timestamptz,
  created_at timestamptz not null default now()
);

-- Seeds' index: a student's attempts for analytics, newest first.
create index idx_quiz_attempts_student on public.quiz_attempts (student_id, created_at desc);
create index idx_quiz_attempts_quiz on public.quiz_attempts (quiz_id);

create table public.project_submissions (
  id uuid primary key default gen_random_uuid(),
  student_id uuid not null references public.students (id) on delete cascade,
  project_id uuid not null,
  title text not null check (char_length(title) between 1 and 300),
  submission_url text,
  content text,
  status text not null default 'submitted'
    check (status in ('draft', 'submitted', 'reviewed', 'approved', 'rejected')),
  feedback text,
  score numeric(5, 2) check (score between 0 and 100),
  submitted_at timestamptz not null default now(),
  reviewed_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Seeds' index: a student's portfolio, newest first.
create index idx_project_submissions_student on public.project_submissions (student_id, submitted_at desc);
-- Review queue: only submissions waiting for a reviewer.
create index idx_project_submissions_pending on public.project_submissions (submitted_at)
  where status = 'submitted';

create trigger project_submissions_updated_at before update on public.project_submissions
  for each row execute function private.set_updated_at();
create trigger project_submissions_version before update on public.project_submissions
  for each row execute function private.bump_version();

create table public.student_achievements (
  id uuid primary key default gen_random_uuid(),
  student_id uuid not null references public.students (id) on delete cascade,
  achievement_type text not null,
  achievement_data jsonb not null default '{}'::jsonb,
  unlocked_at timestamptz not null default now(),
  unique (student_id, achievement_type)
);

-- Seeds' index: a student's profile, newest achievements first.
create index idx_student_achievements_student on public.student_achievements (student_id, unlocked_at desc);

alter table public.video_progress enable row level security;
alter table public.quiz_attempts enable row level security;
alter table public.project_submissions enable row level security;
alter table public.student_achievements enable row level security;

revoke all on public.video_progress, public.quiz_attempts, public.project_submissions,
  public.student_achievements from anon, authenticated;
grant select on public.video_progress, public.quiz_attempts, public.project_submissions,
  public.student_achievements to authenticated;
grant insert (student_id, video_id, watched_seconds, completed, last_position_seconds, last_watched)
  on public.video_progress to authenticated;
grant update (watched_seconds, completed, last_position_seconds, last_watched, version)
  on public.video_progress to authenticated;
-- Scores are computed by the server; a student submits answers only.
grant insert (student_id, video_id, quiz_id, answers, started_at) on public.quiz_attempts to authenticated;
grant insert (student_id, project_id, title, submission_url, content, status)
  on public.project_submissions to authenticated;
grant update (title, submission_url, content, status, version) on public.project_submissions to authenticated;
-- Achievements are awarded by the server only.
grant all on public.video_progress, public.quiz_attempts, public.project_submissions,
  public.student_achievements to service_role;

create policy video_progress_select_own on public.video_progress for select to authenticated
  using (student_id in (select private.my_student_ids()));
create policy video_progress_insert_own on public.video_progress for insert to authenticated
  with check (
    student_id in (select private.my_student_ids())
    and video_id in (select v.id from public.videos v)
  );
create policy video_progress_update_own on public.video_progress for update to authenticated
  using (student_id in (select private.my_student_ids()))
  with check (student_id in (select private.my_student_ids()));

create policy quiz_attempts_select_own on public.quiz_attempts for select to authenticated
  using (student_id in (select private.my_student_ids()));
create policy quiz_attempts_insert_own on public.quiz_attempts for insert to authenticated
  with check (student_id in (select private.my_student_ids()));

create policy project_submissions_select_own on public.project_submissions for select to authenticated
  using (student_id in (select private.my_student_ids()));
create policy project_submissions_insert_own on public.project_submissions for insert to authenticated
  with check (student_id in (select private.my_student_ids()) and status in ('draft', 'submitted'));
-- Students edit their work until it is reviewed; they can never set a reviewed status themselves.
create policy project_submissions_update_own on public.project_submissions for update to authenticated
  using (student_id in (select private.my_student_ids()) and status in ('draft', 'submitted'))
  with check (student_id in (select private.my_student_ids()) and status in ('draft', 'submitted'));

create policy student_achievements_select_own on public.student_achievements for select to authenticated
  using (student_id in (select private.my_student_ids()));
