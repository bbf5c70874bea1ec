-- RAG chat: a student's sessions and their messages.

create table public.chat_sessions (
  id uuid primary key default gen_random_uuid(),
  student_id uuid not null references public.students (id) on delete cascade,
  creator_id uuid not null references public.creators (id) on delete cascade,
  video_id uuid references public.videos (id) on delete set null,
  title text,
  status text not null default 'active' check (status in ('active', 'ended', 'archived')),
  message_count integer not null default 0 check (message_count >= 0),
  last_message_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Seeds' index: a student's chat history, newest first (id for keyset tie-breaks).
create index idx_chat_sessions_student on public.chat_sessions (student_id, created_at desc, id desc);
create index idx_chat_sessions_creator on public.chat_sessions (creator_id, created_at desc);

create trigger chat_sessions_updated_at before update on public.chat_sessions
  for each row execute function private.set_updated_at();
create trigger chat_sessions_version before update on public.chat_sessions
  for each row execute function private.bump_version();

create table public.chat_messages (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.chat_sessions (id) on delete cascade,
  role text not null check (role in ('user', 'assistant', 'system')),
  content text not null,
  -- Chunks cited by an assistant answer: [{ "chunk_id": "...", "video_id": "...", "start": 12.5 }]
  sources jsonb not null default '[]'::jsonb,
  token_count integer check (token_count >= 0),
  created_at timestamptz not null default now()
);

-- Seeds' index: a session's messages in order, for building the model context.
create index idx_chat_messages_session on public.chat_messages (session_id, created_at asc, id asc);

alter table public.chat_sessions enable row level security;
alter table public.chat_messages enable row level security;

revoke all on public.chat_sessions, public.chat_messages from anon, authenticated;
grant select, delete on public.chat_sessions to authenticated;
grant insert (student_id, creator_id, video_id, title) on public.chat_sessions to authenticated;
grant update (title, status, version) on public.chat_sessions to authenticated;
grant select on public.chat_messages to authenticated;
-- Users write their own questions; assistant answers are written by the server (service role).
grant insert (session_id, role, content) on public.chat_messages to authenticated;
grant all on public.chat_sessions, public.chat_messages to service_role;

create policy chat_sessions_select_own on public.chat_sessions for select to authenticated
  using (student_id in (select private.my_student_ids()));
-- A session belongs to one of the caller's enrolments, with that enrolment's creator.
create policy chat_sessions_insert_own on public.chat_sessions for insert to authenticated
  with check (
    exists (
      select 1 from public.students s
      where s.id = student_id and s.creator_id = chat_sessions.creator_id and s.user_id = (select auth.uid())
    )
  );
create policy chat_sessions_update_own on public.chat_sessions for update to authenticated
  using (student_id in (select private.my_student_ids()))
  with check (student_id in (select private.my_student_ids()));
create policy chat_sessions_delete_own on public.chat_sessions for delete to authenticated
  using (student_id in (select private.my_student_ids()));

create policy chat_messages_select_own on public.chat_messages for select to authenticated
  using (session_id in (select cs.id from public.chat_sessions cs));
create policy chat_messages_insert_own on public.chat_messages for insert to authenticated
  with check (role = 'user' and session_id in (select cs.id from public.chat_sessions cs));
