/** What the query builder knows about a column at runtime (generated from the migrated schema). */
export interface ColumnMetadata {
  /** pg_type name (`uuid`, `timestamptz`, `int8`...); arrays end in `[]`. */
  readonly type: string;
  readonly nullable: boolean;
}

export interface TableMetadata {
  /** Single-column primary key, or null when the table has none or a composite one. */
  readonly primaryKey: string | null;
  /** Whether the table has the integer `version` column used for optimistic locking. */
  readonly versioned: boolean;
  readonly columns: Readonly<Record<string, ColumnMetadata>>;
}
