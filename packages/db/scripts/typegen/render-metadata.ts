// Renders the runtime twin of database.types.ts: per table, its primary key, whether it has the
// optimistic-lock `version` column, and each column's Postgres type and nullability. The query builder
// uses it as the allowlist for filters/ordering/selects and to type-check cursor values.
import type { SchemaInfo } from './introspect.ts';

export function renderTableMetadata(schema: SchemaInfo, header: string): string {
  const lines = [
    header,
    "import type { TableMetadata } from './metadata-types.js';",
    '',
    'export const TABLE_METADATA = {',
  ];
  for (const rel of schema.relations.filter((r) => r.kind === 'table')) {
    const pk = rel.primaryKey.length === 1 ? `'${rel.primaryKey[0]}'` : 'null';
    const versioned = rel.columns.some(
      (c) => c.name === 'version' && ['int2', 'int4', 'int8'].includes(c.typeName),
    );
    lines.push(
      `  ${rel.name}: {`,
      `    primaryKey: ${pk},`,
      `    versioned: ${versioned},`,
      '    columns: {',
    );
    for (const c of rel.columns) {
      const type = c.isArray ? `${c.typeName}[]` : c.typeName;
      lines.push(`      ${c.name}: { type: '${type}', nullable: ${c.nullable} },`);
    }
    lines.push('    },', '  },');
  }
  lines.push('} as const satisfies Record<string, TableMetadata>;', '');
  return lines.join('\n');
}
