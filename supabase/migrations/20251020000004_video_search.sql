-- Semantic search over transcript chunks (RAG retrieval for chat).
--
-- pgvector is optional: Supabase and PGlite (with @electric-sql/pglite-pgvector) have it, Debian's
-- Postgres 15 does not. Where it is missing the embedding column, its ivfflat index and the
-- similarity search are skipped with a notice; everything else in the schema is identical.
-- Dynamic SQL so nothing here is even parsed against a missing `vector` type.
do $vector$
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    execute 'create extension if not exists vector with schema extensions';
    execute 'alter table public.video_chunks add column embedding extensions.vector(1536)';
    -- Seeds' ANN index for chat retrieval (cosine distance, 100 lists).
    execute 'create index idx_video_chunks_embedding on public.video_chunks
               using ivfflat (embedding extensions.vector_cosine_ops) with (lists = 100)';
    execute $fn$
      create function public.match_video_chunks(
        query_embedding extensions.vector(1536),
        match_count integer default 5,
        filter_video_ids uuid[] default null
      )
      returns table (
        id uuid,
        video_id uuid,
        chunk_index integer,
        chunk_text text,
        start_timestamp double precision,
        end_timestamp double precision,
        similarity double precision
      )
      language plpgsql
      stable
      set search_path = public, extensions
      as $body$
      declare
        k integer := least(greatest(coalesce(match_count, 5), 1), 50);
      begin
        -- SECURITY INVOKER: RLS of video_chunks (and so of videos) limits what a user can match.
        if filter_video_ids is null then
          -- Whole corpus: approximate nearest neighbours through the ivfflat index.
          return query
            select c.id, c.video_id, c.chunk_index, c.chunk_text, c.start_timestamp, c.end_timestamp,
                   1 - (c.embedding <=> query_embedding)
            from public.video_chunks c
            where c.embedding is not null
            order by c.embedding <=> query_embedding
            limit k;
        else
          -- A few videos: filter first, then rank exactly. Ranking through the ANN index and filtering
          -- afterwards can return fewer than k rows, or none, when the videos' chunks sit in lists
          -- the index did not probe.
          return query
            with candidates as materialized (
              select c.id, c.video_id, c.chunk_index, c.chunk_text, c.start_timestamp, c.end_timestamp,
                     c.embedding <=> query_embedding as distance
              from public.video_chunks c
              where c.embedding is not null and c.video_id = any (filter_video_ids)
            )
            select x.id, x.video_id, x.chunk_index, x.chunk_text, x.start_timestamp, x.end_timestamp,
                   1 - x.distance
            from candidates x
            order by x.distance, x.id
            limit k;
        end if;
      end;
      $body$
    $fn$;
    execute 'revoke all on function public.match_video_chunks(extensions.vector, integer, uuid[]) from public, anon, authenticated';
    execute 'grant execute on function public.match_video_chunks(extensions.vector, integer, uuid[])
               to authenticated, service_role';
  else
    raise notice 'pgvector is not available on this server: skipping video_chunks.embedding, idx_video_chunks_embedding and match_video_chunks()';
  end if;
end
$vector$;
