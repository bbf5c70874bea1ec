// Reads the shape of the `public` schema from pg_catalog: what `supabase gen types typescript`
// (postgres-meta) reads, narrowed to what this repository's schema uses.

/** Anything that can run a query and return rows (PGlite, or a pg client wrapped the same way). */
export interface QueryRunner {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface ColumnInfo {
  name: string;
  /** pg_type.typname; for arrays the element's typname with `isArray`. */
  typeName: string;
  typeSchema: string;
  isArray: boolean;
  isEnum: boolean;
  nullable: boolean;
  hasDefault: boolean;
  /** 'a' = GENERATED ALWAYS AS IDENTITY, 'd' = BY DEFAULT, '' = not an identity. */
  identity: string;
  /** 's' = GENERATED ALWAYS AS (...) STORED. */
  generated: string;
}

export interface RelationshipInfo {
  foreignKeyName: string;
  columns: string[];
  isOneToOne: boolean;
  referencedRelation: string;
  referencedColumns: string[];
}

export interface RelationInfo {
  name: string;
  kind: 'table' | 'view';
  columns: ColumnInfo[];
  primaryKey: string[];
  relationships: RelationshipInfo[];
}

export interface FunctionArg {
  name: string;
  typeName: string;
  typeSchema: string;
  isArray: boolean;
  isEnum: boolean;
  hasDefault: boolean;
}

export interface FunctionInfo {
  name: string;
  args: FunctionArg[];
  returnsSet: boolean;
  /** Scalar return type, or the table a function returns rows of, or the columns of RETURNS TABLE. */
  returns:
    | { kind: 'scalar'; typeName: string; typeSchema: string; isArray: boolean; isEnum: boolean }
    | { kind: 'relation'; relation: string }
    | { kind: 'table'; columns: FunctionArg[] };
}

export interface EnumInfo {
  name: string;
  values: string[];
}

export interface SchemaInfo {
  relations: RelationInfo[];
  functions: FunctionInfo[];
  enums: EnumInfo[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function introspect(db: QueryRunner, schema = 'public'): Promise<SchemaInfo> {
  const relations = await db.query<{ oid: number; name: string; relkind: string }>(
    `select c.oid::int as oid, c.relname as name, c.relkind::text as relkind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm')
        and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
    [schema],
  );

  const columns = await db.query<{
    relid: number;
    name: string;
    type_name: string;
    type_schema: string;
    is_array: boolean;
    is_enum: boolean;
    nullable: boolean;
    has_default: boolean;
    identity: string;
    generated: string;
  }>(
    `select a.attrelid::int as relid, a.attname as name,
            coalesce(et.typname, t.typname) as type_name,
            coalesce(etn.nspname, tn.nspname) as type_schema,
            (t.typcategory = 'A') as is_array,
            (coalesce(et.typtype, t.typtype) = 'e') as is_enum,
            not a.attnotnull as nullable, a.atthasdef as has_default,
            a.attidentity::text as identity, a.attgenerated::text as generated
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid
       join pg_namespace tn on tn.oid = t.typnamespace
       left join pg_type et on t.typcategory = 'A' and et.oid = t.typelem
       left join pg_namespace etn on etn.oid = et.typnamespace
      where n.nspname = $1 and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm')`,
    [schema],
  );

  const primaryKeys = await db.query<{ relid: number; columns: string[] }>(
    `select i.indrelid::int as relid,
            array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                   order by k.ord)::text[] as columns
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and i.indisprimary`,
    [schema],
  );

  const uniques = await db.query<{ relid: number; columns: string[] }>(
    `select i.indrelid::int as relid,
            array(select a.attname from unnest(i.indkey) k(attnum)
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum)::text[] as columns
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and i.indisunique and i.indpred is null`,
    [schema],
  );

  const foreignKeys = await db.query<{
    relid: number;
    name: string;
    columns: string[];
    referenced_relation: string;
    referenced_columns: string[];
  }>(
    `select con.conrelid::int as relid, con.conname as name,
            array(select a.attname from unnest(con.conkey) with ordinality k(attnum, ord)
                    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
                   order by k.ord)::text[] as columns,
            rc.relname as referenced_relation,
            array(select a.attname from unnest(con.confkey) with ordinality k(attnum, ord)
                    join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum
                   order by k.ord)::text[] as referenced_columns
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_class rc on rc.oid = con.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
      where con.contype = 'f' and n.nspname = $1 and rn.nspname = $1`,
    [schema],
  );

  const enums = await db.query<{ name: string; values: string[] }>(
    `select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as values
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = $1
      group by t.typname order by t.typname`,
    [schema],
  );

  const functions = await db.query<{
    name: string;
    arg_names: string[] | null;
    arg_modes: string[] | null;
    all_arg_types: string[];
    in_arg_count: number;
    default_count: number;
    returns_set: boolean;
    return_type: string;
    return_type_schema: string;
    return_is_array: boolean;
    return_is_enum: boolean;
    return_relation: string | null;
  }>(
    `select p.proname as name, p.proargnames::text[] as arg_names, p.proargmodes::text[] as arg_modes,
            array(select coalesce(et.typname, t.typname) || ':' || coalesce(etn.nspname, tn.nspname) || ':' ||
                         (t.typcategory = 'A')::text || ':' || (coalesce(et.typtype, t.typtype) = 'e')::text
                    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(typ, ord)
                    join pg_type t on t.oid = u.typ join pg_namespace tn on tn.oid = t.typnamespace
                    left join pg_type et on t.typcategory = 'A' and et.oid = t.typelem
                    left join pg_namespace etn on etn.oid = et.typnamespace
                   order by u.ord)::text[] as all_arg_types,
            p.pronargs::int as in_arg_count, p.pronargdefaults::int as default_count,
            p.proretset as returns_set,
            coalesce(ret.typname, rt.typname) as return_type,
            coalesce(retn.nspname, rtn.nspname) as return_type_schema,
            (rt.typcategory = 'A') as return_is_array,
            (coalesce(ret.typtype, rt.typtype) = 'e') as return_is_enum,
            rel.relname as return_relation
       from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
       join pg_type rt on rt.oid = p.prorettype join pg_namespace rtn on rtn.oid = rt.typnamespace
       left join pg_type ret on rt.typcategory = 'A' and ret.oid = rt.typelem
       left join pg_namespace retn on retn.oid = ret.typnamespace
       left join pg_class rel on rel.oid = rt.typrelid and rel.relkind in ('r', 'p', 'v', 'm')
      where n.nspname = $1 and p.prokind = 'f'
        and rt.typname not in ('trigger', 'event_trigger')
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      order by p.proname`,
    [schema],
  );

  const pkByRel = new Map(primaryKeys.rows.map((r) => [r.relid, r.columns]));
  const uniqueSets = new Map<number, string[][]>();
  for (const u of uniques.rows) uniqueSets.set(u.relid, [...(uniqueSets.get(u.relid) ?? []), u.columns]);

  const relationInfos: RelationInfo[] = relations.rows.map((rel) => {
    const cols = columns.rows
      .filter((c) => c.relid === rel.oid)
      .map<ColumnInfo>((c) => ({
        name: c.name,
        typeName: c.type_name,
        typeSchema: c.type_schema,
        isArray: c.is_array,
        isEnum: c.is_enum,
        nullable: c.nullable,
        hasDefault: c.has_default,
        identity: c.identity,
        generated: c.generated,
      }))
      .sort(byName);
    const relationships = foreignKeys.rows
      .filter((fk) => fk.relid === rel.oid)
      .map<RelationshipInfo>((fk) => ({
        foreignKeyName: fk.name,
        columns: fk.columns,
        // One-to-one when the referencing columns are themselves unique in this table.
        isOneToOne: (uniqueSets.get(rel.oid) ?? []).some(
          (set) => set.length === fk.columns.length && set.every((c) => fk.columns.includes(c)),
        ),
        referencedRelation: fk.referenced_relation,
        referencedColumns: fk.referenced_columns,
      }))
      .sort((a, b) =>
        a.foreignKeyName < b.foreignKeyName ? -1 : a.foreignKeyName > b.foreignKeyName ? 1 : 0,
      );
    return {
      name: rel.name,
      kind: rel.relkind === 'v' || rel.relkind === 'm' ? 'view' : 'table',
      columns: cols,
      primaryKey: pkByRel.get(rel.oid) ?? [],
      relationships,
    };
  });

  const functionInfos: FunctionInfo[] = functions.rows.map((fn) => {
    const types = fn.all_arg_types.map((t) => {
      const [typeName = '', typeSchema = '', isArray = 'false', isEnum = 'false'] = t.split(':');
      return { typeName, typeSchema, isArray: isArray === 'true', isEnum: isEnum === 'true' };
    });
    const modes = fn.arg_modes ?? types.map(() => 'i');
    const names = fn.arg_names ?? [];
    const all = types.map((t, i) => ({ ...t, name: names[i] ?? '', mode: modes[i] ?? 'i' }));
    const inArgs = all.filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v');
    const firstDefault = fn.in_arg_count - fn.default_count;
    const args = inArgs
      .map<FunctionArg>((a, i) => ({
        name: a.name,
        typeName: a.typeName,
        typeSchema: a.typeSchema,
        isArray: a.isArray,
        isEnum: a.isEnum,
        hasDefault: i >= firstDefault,
      }))
      .filter((a) => a.name !== '')
      .sort(byName);
    const tableColumns = all.filter((a) => a.mode === 't');
    let returns: FunctionInfo['returns'];
    if (tableColumns.length > 0) {
      returns = {
        kind: 'table',
        columns: tableColumns
          .map((c) => ({ ...c, hasDefault: false }))
          .map(({ mode: _mode, ...c }) => c)
          .sort(byName),
      };
    } else if (fn.return_relation) {
      returns = { kind: 'relation', relation: fn.return_relation };
    } else {
      returns = {
        kind: 'scalar',
        typeName: fn.return_type,
        typeSchema: fn.return_type_schema,
        isArray: fn.return_is_array,
        isEnum: fn.return_is_enum,
      };
    }
    return { name: fn.name, args, returnsSet: fn.returns_set, returns };
  });

  return { relations: relationInfos, functions: functionInfos, enums: enums.rows };
}
