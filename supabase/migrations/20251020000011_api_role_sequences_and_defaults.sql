-- Sequences and default privileges: anon and authenticated get nothing they were not explicitly given.
--
-- Supabase's default privileges grant ALL on every new table and sequence in `public` to anon and
-- authenticated. Migrations 02–08 revoke, table by table, what they do not mean to expose, but 07 left
-- the sequences of analytics_events and analytics_daily_metrics with USAGE, SELECT and UPDATE for both
-- roles. UPDATE is setval(): one call, which no rollback undoes, moves a sequence behind existing ids
-- and every later insert fails with a duplicate key.
--
-- Inserting into an identity column needs no privilege on its sequence (Postgres checks the table's
-- INSERT only), so the API roles need none on any sequence.
revoke all on all sequences in schema public from anon, authenticated;

-- At the source: tables and sequences the migration owner creates from now on grant the API roles
-- nothing until a migration says so, so a forgotten revoke can no longer expose a table or a sequence.
-- (Functions keep Postgres' own default, EXECUTE for PUBLIC, which cannot be revoked per schema and
-- which extensions rely on; supabase/tests/function_privileges.sql checks every function instead.)
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
