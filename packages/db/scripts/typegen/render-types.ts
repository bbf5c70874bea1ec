// Renders SchemaInfo in the shape `supabase gen types typescript` emits, so code written against the
// official generator (Database['public']['Tables'][T]['Row'|'Insert'|'Update'], Tables<'x'>,
// TablesInsert<'x'>...) works unchanged with this file.
import type {
  ColumnInfo,
  EnumInfo,
  FunctionArg,
  FunctionInfo,
  RelationInfo,
  SchemaInfo,
} from './introspect.ts';

const STRING_TYPES = new Set([
  'bpchar',
  'varchar',
  'text',
  'citext',
  'uuid',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'bytea',
  'name',
  'tsvector',
  'tsquery',
  'vector',
  'money',
  'xml',
  'bit',
  'varbit',
  'oid',
  'regclass',
]);
const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);

interface TypeRef {
  typeName: string;
  isArray: boolean;
  isEnum: boolean;
}

/** Postgres type -> TypeScript, following postgres-meta's mapping. */
export function tsType(t: TypeRef, schema: string): string {
  let base: string;
  if (t.isEnum) base = `Database["${schema}"]["Enums"]["${t.typeName}"]`;
  else if (t.typeName === 'bool') base = 'boolean';
  else if (NUMBER_TYPES.has(t.typeName)) base = 'number';
  else if (STRING_TYPES.has(t.typeName)) base = 'string';
  else if (t.typeName === 'json' || t.typeName === 'jsonb') base = 'Json';
  else if (t.typeName === 'void') base = 'undefined';
  else if (t.typeName === 'record') base = 'Record<string, unknown>';
  else base = 'unknown';
  return t.isArray ? (base.includes(' ') ? `(${base})[]` : `${base}[]`) : base;
}

const pad = (n: number) => ' '.repeat(n);
const WIDTH = 80;

function columnLines(
  rel: RelationInfo,
  mode: 'Row' | 'Insert' | 'Update',
  schema: string,
  indent: number,
): string[] {
  return rel.columns.map((c: ColumnInfo) => {
    const t = tsType(c, schema) + (c.nullable ? ' | null' : '');
    if (mode === 'Row') return `${pad(indent)}${c.name}: ${t}`;
    if (c.generated === 's' || c.identity === 'a') return `${pad(indent)}${c.name}?: never`;
    const optional = mode === 'Update' || c.nullable || c.hasDefault || c.identity === 'd';
    return `${pad(indent)}${c.name}${optional ? '?' : ''}: ${t}`;
  });
}

function renderRelationships(rel: RelationInfo, indent: number): string[] {
  if (rel.relationships.length === 0) return [`${pad(indent)}Relationships: []`];
  const out = [`${pad(indent)}Relationships: [`];
  for (const r of rel.relationships) {
    out.push(
      `${pad(indent + 2)}{`,
      `${pad(indent + 4)}foreignKeyName: "${r.foreignKeyName}"`,
      `${pad(indent + 4)}columns: [${r.columns.map((c) => `"${c}"`).join(', ')}]`,
      `${pad(indent + 4)}isOneToOne: ${r.isOneToOne}`,
      `${pad(indent + 4)}referencedRelation: "${r.referencedRelation}"`,
      `${pad(indent + 4)}referencedColumns: [${r.referencedColumns.map((c) => `"${c}"`).join(', ')}]`,
      `${pad(indent + 2)}},`,
    );
  }
  out.push(`${pad(indent)}]`);
  return out;
}

function renderRelations(
  relations: RelationInfo[],
  schema: string,
  indent: number,
  views: boolean,
): string[] {
  if (relations.length === 0) return [`${pad(indent)}[_ in never]: never`];
  const out: string[] = [];
  for (const rel of relations) {
    out.push(`${pad(indent)}${rel.name}: {`);
    out.push(
      `${pad(indent + 2)}Row: {`,
      ...columnLines(rel, 'Row', schema, indent + 4),
      `${pad(indent + 2)}}`,
    );
    if (!views) {
      out.push(
        `${pad(indent + 2)}Insert: {`,
        ...columnLines(rel, 'Insert', schema, indent + 4),
        `${pad(indent + 2)}}`,
      );
      out.push(
        `${pad(indent + 2)}Update: {`,
        ...columnLines(rel, 'Update', schema, indent + 4),
        `${pad(indent + 2)}}`,
      );
    }
    out.push(...renderRelationships(rel, indent + 2));
    out.push(`${pad(indent)}}`);
  }
  return out;
}

/** `{ a: T; b?: U }` on one line when it fits (prettier-style), otherwise one member per line. */
function objectType(members: string[], indent: number, prefix: string, suffix = ''): string[] {
  const oneLine = `${pad(indent)}${prefix}{ ${members.join('; ')} }${suffix}`;
  if (oneLine.length <= WIDTH) return [oneLine];
  return [
    `${pad(indent)}${prefix}{`,
    ...members.map((m) => `${pad(indent + 2)}${m}`),
    `${pad(indent)}}${suffix}`,
  ];
}

function argMember(a: FunctionArg, schema: string): string {
  return `${a.name}${a.hasDefault ? '?' : ''}: ${tsType(a, schema)}`;
}

function renderFunction(fn: FunctionInfo, schema: SchemaInfo, schemaName: string, indent: number): string[] {
  const args = fn.args.length === 0 ? 'never' : undefined;
  const set = fn.returnsSet ? '[]' : '';
  let returnsLines: string[] | undefined;
  let simpleReturns: string | undefined;
  let setof: string[] = [];
  if (fn.returns.kind === 'scalar') {
    simpleReturns = tsType(fn.returns, schemaName) + set;
  } else if (fn.returns.kind === 'table') {
    const members = fn.returns.columns.map((c) => `${c.name}: ${tsType(c, schemaName)}`);
    returnsLines = [
      `${pad(indent + 2)}Returns: {`,
      ...members.map((m) => `${pad(indent + 4)}${m}`),
      `${pad(indent + 2)}}[]`,
    ];
  } else {
    const relationName = fn.returns.relation;
    const rel = schema.relations.find((r) => r.name === relationName);
    const members = (rel?.columns ?? []).map(
      (c) => `${c.name}: ${tsType(c, schemaName)}${c.nullable ? ' | null' : ''}`,
    );
    returnsLines = [
      `${pad(indent + 2)}Returns: {`,
      ...members.map((m) => `${pad(indent + 4)}${m}`),
      `${pad(indent + 2)}}${set}`,
    ];
    setof = [
      `${pad(indent + 2)}SetofOptions: {`,
      `${pad(indent + 4)}from: "*"`,
      `${pad(indent + 4)}to: "${relationName}"`,
      `${pad(indent + 4)}isOneToOne: ${!fn.returnsSet}`,
      `${pad(indent + 4)}isSetofReturn: ${fn.returnsSet}`,
      `${pad(indent + 2)}}`,
    ];
  }
  if (args && simpleReturns) {
    const oneLine = `${pad(indent)}${fn.name}: { Args: never; Returns: ${simpleReturns} }`;
    if (oneLine.length <= WIDTH) return [oneLine];
  }
  const out = [`${pad(indent)}${fn.name}: {`];
  if (args) out.push(`${pad(indent + 2)}Args: never`);
  else
    out.push(
      ...objectType(
        fn.args.map((a) => argMember(a, schemaName)),
        indent + 2,
        'Args: ',
      ),
    );
  if (simpleReturns) out.push(`${pad(indent + 2)}Returns: ${simpleReturns}`);
  else out.push(...(returnsLines ?? []));
  out.push(...setof, `${pad(indent)}}`);
  return out;
}

function renderEnums(enums: EnumInfo[], indent: number): string[] {
  if (enums.length === 0) return [`${pad(indent)}[_ in never]: never`];
  return enums.flatMap((e) => {
    const union = e.values.map((v) => JSON.stringify(v)).join(' | ');
    const oneLine = `${pad(indent)}${e.name}: ${union}`;
    if (oneLine.length <= WIDTH) return [oneLine];
    return [`${pad(indent)}${e.name}:`, ...e.values.map((v) => `${pad(indent + 2)}| ${JSON.stringify(v)}`)];
  });
}

export function renderDatabaseTypes(
  schema: SchemaInfo,
  options: { postgrestVersion: string; header: string },
): string {
  const s = 'public';
  const tables = schema.relations.filter((r) => r.kind === 'table');
  const views = schema.relations.filter((r) => r.kind === 'view');
  const fns = schema.functions.flatMap((f) => renderFunction(f, schema, s, 6));
  const lines = [
    options.header,
    'export type Json =',
    '  | string',
    '  | number',
    '  | boolean',
    '  | null',
    '  | { [key: string]: Json | undefined }',
    '  | Json[]',
    '',
    'export type Database = {',
    '  // Allows to automatically instantiate createClient with right options',
    "  // instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)",
    '  __InternalSupabase: {',
    `    PostgrestVersion: "${options.postgrestVersion}"`,
    '  }',
    `  ${s}: {`,
    '    Tables: {',
    ...renderRelations(tables, s, 6, false),
    '    }',
    '    Views: {',
    ...renderRelations(views, s, 6, true),
    '    }',
    '    Functions: {',
    ...(fns.length ? fns : ['      [_ in never]: never']),
    '    }',
    '    Enums: {',
    ...renderEnums(schema.enums, 6),
    '    }',
    '    CompositeTypes: {',
    '      [_ in never]: never',
    '    }',
    '  }',
    '}',
    '',
    HELPERS,
    'export const Constants = {',
    `  ${s}: {`,
    schema.enums.length === 0
      ? '    Enums: {},'
      : [
          '    Enums: {',
          ...schema.enums.map(
            (e) => `      ${e.name}: [${e.values.map((v) => JSON.stringify(v)).join(', ')}],`,
          ),
          '    },',
        ].join('\n'),
    '  },',
    '} as const',
    '',
  ];
  return lines.join('\n');
}

const HELPERS = `type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never
`;
