-- Whose rows a DELETE can remove, over the whole catalog. A foreign key's ON DELETE action runs with
-- the table owner's rights, past RLS: when anon or authenticated may delete the referenced row, a
-- CASCADE removes, and a SET NULL rewrites, rows of other users that the caller could never touch
-- directly. Each such action must be on the allow-list below, with its reason; every other foreign key
-- to a table they may delete from is NO ACTION / RESTRICT (the delete fails while rows still use it).
begin;
set local search_path = public, extensions;
select plan(2);

create temp view fk_actions as
select child.relname as child, c.conname,
       (select string_agg(a.attname, ',' order by k.ord)
          from unnest(c.conkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
       case c.confdeltype when 'c' then 'cascade' when 'n' then 'set null' when 'd' then 'set default'
                          when 'r' then 'restrict' else 'no action' end as on_delete,
       parent.relname as parent, c.confrelid
from pg_constraint c
join pg_class child on child.oid = c.conrelid
join pg_class parent on parent.oid = c.confrelid
join pg_namespace n on n.oid = c.connamespace
where c.contype = 'f' and n.nspname = 'public';

create temp table allowed_actions (child name, columns text, on_delete text, parent name, reason text) on commit drop;
insert into allowed_actions values
  ('video_chunks', 'video_id', 'cascade', 'videos', 'the creator''s own transcript chunks go with their video'),
  ('quizzes', 'video_id', 'cascade', 'videos', 'the creator''s own generated quizzes go with their video'),
  ('chat_messages', 'session_id', 'cascade', 'chat_sessions', 'a student''s messages go with their own session'),
  ('chat_sessions', 'video_id', 'set null', 'videos', 'the student keeps the conversation; only the link to the deleted video is cleared'),
  ('quiz_attempts', 'video_id', 'set null', 'videos', 'the student keeps the attempt and its score; only the link is cleared'),
  ('analytics_events', 'video_id', 'set null', 'videos', 'the event and its counts stay; only the link is cleared');

select is_empty(
  $$ select child, columns, on_delete, parent from fk_actions f
     where on_delete in ('cascade', 'set null', 'set default')
       and (has_table_privilege('anon', f.confrelid, 'delete') or has_table_privilege('authenticated', f.confrelid, 'delete'))
     except select child, columns, on_delete, parent from allowed_actions $$,
  'a DELETE that anon or authenticated may run cascades into or rewrites only the rows the allow-list names'
);
select is_empty(
  $$ select child, columns, on_delete, parent from allowed_actions
     except select child, columns, on_delete, parent from fk_actions $$,
  'every allow-listed action exists (the list is not stale)'
);

select * from finish();
rollback;
