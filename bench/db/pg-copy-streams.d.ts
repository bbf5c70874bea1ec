// pg-copy-streams ships no types; this is the one function the bench uses.
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream';
  export function from(sql: string): Writable & { rowCount?: number };
}
