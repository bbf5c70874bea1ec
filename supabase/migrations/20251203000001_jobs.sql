-- Background jobs (@mentora/jobs): run tracking, idempotent chunk storage for the video pipeline, and
-- the quizzes that quiz generation writes. Everything here is written by the worker with the service
-- role; the functions are service_role-only like the other infrastructure functions.

-- ---------------------------------------------------------------------------------------------------
-- Job run tracking
-- ---------------------------------------------------------------------------------------------------

-- Records one Inngest run in job_queue, keyed by its run id. A run is reported many times (started,
-- each retried attempt, finished) and a report may arrive twice (a lost answer, a replayed request),
-- so this is an upsert that only moves forward: attempts never decrease, a finished run (completed,
-- failed, cancelled) keeps its final status and completion time, and started_at is the first report's.
-- `error` keeps the latest error seen, so a completed run that needed retries still shows why.
create or replace function public.record_job_run(
  p_run_id text,
  p_function_id text,
  p_event_name text,
  p_status text,
  p_attempts integer,
  p_max_attempts integer,
  p_event_id text default null,
  p_payload jsonb default null,
  p_result jsonb default null,
  p_error jsonb default null
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  finished boolean := p_status in ('completed', 'failed', 'cancelled');
begin
  if p_run_id is null or p_run_id = '' then
    raise exception 'p_run_id must not be empty' using errcode = '22004';
  end if;

  insert into public.job_queue as j
    (run_id, function_id, event_name, event_id, status, payload, result, error, attempts, max_attempts,
     started_at, completed_at)
  values
    (p_run_id, p_function_id, p_event_name, p_event_id, p_status, coalesce(p_payload, '{}'::jsonb),
     p_result, p_error, greatest(coalesce(p_attempts, 1), 0), greatest(coalesce(p_max_attempts, 0), 0),
     now(), case when finished then now() end)
  on conflict (run_id) where run_id is not null do update
    set status = case
          when j.status in ('completed', 'failed', 'cancelled') then j.status
          else excluded.status
        end,
        attempts = greatest(j.attempts, excluded.attempts),
        max_attempts = greatest(j.max_attempts, excluded.max_attempts),
        event_id = coalesce(j.event_id, excluded.event_id),
        result = case
          when j.status in ('completed', 'failed', 'cancelled') then j.result
          else coalesce(excluded.result, j.result)
        end,
        error = case
          when j.status in ('completed', 'failed', 'cancelled') then j.error
          else coalesce(excluded.error, j.error)
        end,
        started_at = coalesce(j.started_at, excluded.started_at),
        completed_at = coalesce(j.completed_at, excluded.completed_at);
end;
$$;

revoke all on function public.record_job_run(text, text, text, text, integer, integer, text, jsonb, jsonb, jsonb)
  from public, anon, authenticated;
grant execute on function public.record_job_run(text, text, text, text, integer, integer, text, jsonb, jsonb, jsonb)
  to service_role;

-- ---------------------------------------------------------------------------------------------------
-- Video chunks, stored idempotently
-- ---------------------------------------------------------------------------------------------------

-- store_video_chunks(video, chunks, total): writes one batch of a video's chunks and removes chunks at
-- or beyond `total` (left over from an earlier, longer transcript of the same video), in one
-- statement-level transaction. Rows are upserted on (video_id, chunk_index), so calling it again with
-- the same batch (a retried step, a replayed run) leaves exactly one row per chunk. Each element of
-- `p_chunks` is {chunk_index, chunk_text, start_timestamp?, end_timestamp?, topic_tags?, embedding?}.
-- Returns how many chunks the batch wrote.
--
-- Where pgvector is missing (video_chunks has no embedding column, see the video search migration)
-- the same function is created without the embedding: everything else is stored identically.
do $chunks$
declare
  has_embedding boolean := exists (
    select 1 from information_schema.columns
    where table_schema = 'public' and table_name = 'video_chunks' and column_name = 'embedding'
  );
begin
  execute format($fn$
    create or replace function public.store_video_chunks(p_video_id uuid, p_chunks jsonb, p_total integer)
    returns integer
    language plpgsql
    set search_path = ''
    as $body$
    declare
      written integer;
    begin
      if p_video_id is null or p_total is null or p_total < 0 then
        raise exception 'p_video_id and a non-negative p_total are required' using errcode = '22023';
      end if;
      if jsonb_typeof(coalesce(p_chunks, '[]'::jsonb)) <> 'array' then
        raise exception 'p_chunks must be a JSON array' using errcode = '22023';
      end if;

      delete from public.video_chunks c where c.video_id = p_video_id and c.chunk_index >= p_total;

      insert into public.video_chunks as c
        (video_id, chunk_index, chunk_text, start_timestamp, end_timestamp, topic_tags %1$s)
      select p_video_id,
             (e ->> 'chunk_index')::integer,
             e ->> 'chunk_text',
             (e ->> 'start_timestamp')::double precision,
             (e ->> 'end_timestamp')::double precision,
             coalesce(array(select jsonb_array_elements_text(coalesce(e -> 'topic_tags', '[]'::jsonb))), '{}')
             %2$s
      from jsonb_array_elements(coalesce(p_chunks, '[]'::jsonb)) as e
      where (e ->> 'chunk_index')::integer < p_total
      on conflict (video_id, chunk_index) do update
        set chunk_text = excluded.chunk_text,
            start_timestamp = excluded.start_timestamp,
            end_timestamp = excluded.end_timestamp,
            topic_tags = excluded.topic_tags
            %3$s;
      get diagnostics written = row_count;
      return written;
    end;
    $body$
  $fn$,
    case when has_embedding then ', embedding' else '' end,
    case when has_embedding then
      ', case when e ? ''embedding'' and jsonb_typeof(e -> ''embedding'') = ''array''
           then (e ->> ''embedding'')::extensions.vector end'
    else '' end,
    case when has_embedding then ', embedding = excluded.embedding' else '' end
  );
  if not has_embedding then
    raise notice 'video_chunks has no embedding column: store_video_chunks() stores chunks without embeddings';
  end if;
end
$chunks$;

revoke all on function public.store_video_chunks(uuid, jsonb, integer) from public, anon, authenticated;
grant execute on function public.store_video_chunks(uuid, jsonb, integer) to service_role;

-- ---------------------------------------------------------------------------------------------------
-- Quizzes
-- ---------------------------------------------------------------------------------------------------

-- A generated quiz for a video. The id is chosen by whoever requests the generation (it travels in
-- the quiz/generation.requested event), so a retried or replayed generation writes the same row.
create table public.quizzes (
  id uuid primary key,
  video_id uuid not null references public.videos (id) on delete cascade,
  creator_id uuid not null references public.creators (id) on delete cascade,
  question_count integer not null check (question_count between 1 and 50),
  -- [{ question, options: [text], answerIndex, explanation?, chunkIndex? }]
  questions jsonb not null check (jsonb_typeof(questions) = 'array'),
  generated_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index idx_quizzes_video on public.quizzes (video_id, created_at desc);
create index idx_quizzes_creator on public.quizzes (creator_id, created_at desc);

create trigger quizzes_updated_at before update on public.quizzes
  for each row execute function private.set_updated_at();

alter table public.quizzes enable row level security;
revoke all on public.quizzes from anon, authenticated;
grant select on public.quizzes to authenticated;
grant all on public.quizzes to service_role;

-- Readable by whoever can read the video (the creator; enrolled students once it is completed).
create policy quizzes_select_readable_video on public.quizzes for select to authenticated
  using (video_id in (select v.id from public.videos v));
