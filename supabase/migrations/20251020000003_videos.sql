-- Videos and their transcript chunks (the RAG corpus). Creators own videos; students read the
-- completed videos of the creators they are enrolled with. Processing (transcripts, chunks,
-- embeddings, status) is written by the worker with the service role.

create table public.videos (
  id uuid primary key default gen_random_uuid(),
  creator_id uuid not null references public.creators (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 300),
  description text,
  video_url text not null,
  thumbnail_url text,
  duration_seconds integer check (duration_seconds >= 0),
  processing_status text not null default 'pending'
    check (processing_status in ('pending', 'processing', 'completed', 'failed')),
  error_message text,
  full_transcript text,
  transcript_data jsonb,
  processed_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Seeds' composite index: a creator's videos by status, newest first.
create index idx_videos_creator_status on public.videos (creator_id, processing_status, created_at desc);
-- Keyset pagination of a creator's videos: list({ filters: { creator_id }, orderBy: 'created_at' })
-- orders by (created_at, id); this index serves both directions and the primary-key tie-break.
create index idx_videos_creator_created on public.videos (creator_id, created_at desc, id desc);
-- Work queue of the processing pipeline: only unfinished videos, so the index stays tiny.
create index idx_videos_unprocessed on public.videos (created_at)
  where processing_status in ('pending', 'processing');

create trigger videos_updated_at before update on public.videos
  for each row execute function private.set_updated_at();
create trigger videos_version before update on public.videos
  for each row execute function private.bump_version();

create table public.video_chunks (
  id uuid primary key default gen_random_uuid(),
  video_id uuid not null references public.videos (id) on delete cascade,
  chunk_index integer not null check (chunk_index >= 0),
  chunk_text text not null,
  start_timestamp double precision check (start_timestamp >= 0),
  end_timestamp double precision check (end_timestamp >= start_timestamp),
  topic_tags text[] not null default '{}',
  created_at timestamptz not null default now(),
  unique (video_id, chunk_index)
);

-- Seeds' retrieval index (the unique constraint above already leads with video_id, this one is the
-- seeds' name for plain lookups and keeps the plan obvious).
create index idx_video_chunks_video_id on public.video_chunks (video_id);

alter table public.videos enable row level security;
alter table public.video_chunks enable row level security;

revoke all on public.videos, public.video_chunks from anon, authenticated;
grant select on public.videos, public.video_chunks to authenticated;
grant insert (creator_id, title, description, video_url, thumbnail_url, duration_seconds)
  on public.videos to authenticated;
grant update (title, description, thumbnail_url, version) on public.videos to authenticated;
grant delete on public.videos to authenticated;
grant all on public.videos, public.video_chunks to service_role;

create policy videos_select_own_or_enrolled on public.videos for select to authenticated
  using (
    creator_id in (select private.my_creator_ids())
    or (
      processing_status = 'completed'
      and creator_id in (select private.my_enrolled_creator_ids())
    )
  );
create policy videos_insert_own on public.videos for insert to authenticated
  with check (creator_id in (select private.my_creator_ids()));
create policy videos_update_own on public.videos for update to authenticated
  using (creator_id in (select private.my_creator_ids()))
  with check (creator_id in (select private.my_creator_ids()));
create policy videos_delete_own on public.videos for delete to authenticated
  using (creator_id in (select private.my_creator_ids()));

-- Chunks are readable by whoever can read the video (RLS of videos applies inside the sub-select).
create policy video_chunks_select_readable_video on public.video_chunks for select to authenticated
  using (video_id in (select v.id from public.videos v));
