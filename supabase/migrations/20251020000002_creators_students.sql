-- Creators (course owners) and students (learners enrolled with one creator).
--
-- Ownership model: every app row belongs to an auth user through one of these two tables.
--   creators.user_id = auth.uid()  -> the creator and everything under their creator_id
--   students.user_id = auth.uid()  -> the student and everything under their student_id
-- Child tables reach their owner through creator_id / student_id (see private.my_* below).

create table public.creators (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique,
  name text not null check (char_length(name) between 1 and 200),
  email text not null check (position('@' in email) > 1),
  plan text not null default 'basic' check (plan in ('basic', 'pro', 'enterprise')),
  whop_company_id text unique,
  settings jsonb not null default '{}'::jsonb,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.students (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  creator_id uuid not null references public.creators (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  email text not null check (position('@' in email) > 1),
  plan text not null default 'basic' check (plan in ('basic', 'pro', 'enterprise')),
  whop_membership_id text unique,
  onboarding_completed boolean not null default false,
  last_active timestamptz,
  preferences jsonb not null default '{}'::jsonb,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, creator_id)
);

create index idx_students_user on public.students (user_id);
create index idx_students_creator_created on public.students (creator_id, created_at desc, id desc);
-- Seeds' partial index: the creator dashboard lists onboarded students by recent activity.
create index idx_students_creator_active on public.students (creator_id, last_active desc)
  where onboarding_completed = true;

create trigger creators_updated_at before update on public.creators
  for each row execute function private.set_updated_at();
create trigger creators_version before update on public.creators
  for each row execute function private.bump_version();
create trigger students_updated_at before update on public.students
  for each row execute function private.set_updated_at();
create trigger students_version before update on public.students
  for each row execute function private.bump_version();

-- RLS helpers. SECURITY DEFINER so policies on child tables do not recurse through the RLS of
-- creators/students, and STABLE so Postgres evaluates them once per statement (wrapped in a
-- sub-select in the policies). They only ever return the caller's own ids.
create or replace function private.my_creator_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select c.id from public.creators c where c.user_id = auth.uid();
$$;

create or replace function private.my_student_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.id from public.students s where s.user_id = auth.uid();
$$;

-- Creators whose courses the caller is enrolled in (students may read those creators' published videos).
create or replace function private.my_enrolled_creator_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.creator_id from public.students s where s.user_id = auth.uid();
$$;

revoke all on function private.my_creator_ids() from public, anon, authenticated;
revoke all on function private.my_student_ids() from public, anon, authenticated;
revoke all on function private.my_enrolled_creator_ids() from public, anon, authenticated;
grant execute on function private.my_creator_ids() to authenticated, service_role;
grant execute on function private.my_student_ids() to authenticated, service_role;
grant execute on function private.my_enrolled_creator_ids() to authenticated, service_role;

alter table public.creators enable row level security;
alter table public.students enable row level security;

-- anon reaches no app table at all; authenticated users are narrowed by column grants and the
-- policies below. Plans, memberships and enrolments are written by the service role only (billing
-- webhooks), so a user cannot upgrade themselves or enrol with a creator they have not paid.
-- `version` is updatable because update() sends `version = N + 1` (the trigger has the last word).
revoke all on public.creators, public.students from anon, authenticated;
grant select on public.creators, public.students to authenticated;
grant insert (user_id, name, email, settings) on public.creators to authenticated;
grant update (name, email, settings, version) on public.creators to authenticated;
grant delete on public.creators to authenticated;
grant update (name, preferences, onboarding_completed, last_active, version) on public.students to authenticated;
grant all on public.creators, public.students to service_role;

create policy creators_select_own on public.creators for select to authenticated
  using (user_id = (select auth.uid()));
create policy creators_insert_own on public.creators for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy creators_update_own on public.creators for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy creators_delete_own on public.creators for delete to authenticated
  using (user_id = (select auth.uid()));

-- A student sees their own enrolment rows; a creator sees the students enrolled with them.
create policy students_select_own on public.students for select to authenticated
  using (
    user_id = (select auth.uid())
    or creator_id in (select private.my_creator_ids())
  );
create policy students_update_own on public.students for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
