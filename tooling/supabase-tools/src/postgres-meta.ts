// `supabase gen types typescript` without Docker. The CLI runs the postgres-meta image
// (`node dist/server/server.js`) with a few environment variables and prints its stdout; this does
// the same with the npm release of the same postgres-meta version, so the file is byte for byte the
// CLI's (the CLI prints the generator's output unchanged).
import { runCommand, SYSTEM_PATH } from '@mentora/testing';
import { packageVersion, pathOf } from './resolve.ts';

export interface GenerateTypesOptions {
  /** Any Postgres the generator can read (a throwaway server, PGlite over the wire protocol...). */
  databaseUrl: string;
  /** `--schema`: the CLI's default is `public` plus `[api] schemas` of supabase/config.toml. */
  schemas?: readonly string[];
  /** Hang guard for the whole run. Default 120 s. */
  timeoutMs?: number;
}

/** The postgres-meta release whose generator runs (the image tag the pinned CLI uses). */
export const postgresMetaVersion = (): string => packageVersion('@supabase/postgres-meta');

/**
 * The TypeScript types `supabase gen types typescript --db-url <databaseUrl>` prints: same generator
 * version, same environment (`--query-timeout` 15 s, one-to-one detection on, as for PostgREST ≥ 10).
 */
export async function generateTypescriptTypes(options: GenerateTypesOptions): Promise<string> {
  const schemas = options.schemas ?? ['public'];
  const { stdout } = await runCommand(
    process.execPath,
    [pathOf('@supabase/postgres-meta', 'dist', 'server', 'server.js')],
    {
      env: {
        PATH: SYSTEM_PATH,
        PG_META_DB_URL: options.databaseUrl,
        PG_CONN_TIMEOUT_SECS: '15',
        PG_QUERY_TIMEOUT_SECS: '15',
        PG_META_GENERATE_TYPES: 'typescript',
        PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: schemas.join(','),
        PG_META_GENERATE_TYPES_SWIFT_ACCESS_CONTROL: 'internal',
        PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
      },
      timeoutMs: options.timeoutMs ?? 120_000,
    },
  );
  return stdout;
}
