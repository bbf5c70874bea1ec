// Usage: node scripts/gen-types.ts           regenerate src/database.types.ts and src/table-metadata.ts
//        node scripts/gen-types.ts --check   exit 1 when the committed files differ from the migrations
//        --migrations <dir>                  read another migrations folder (the drift test uses it)
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './typegen.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const migrationsFlag = process.argv.indexOf('--migrations');
const migrationsDir =
  migrationsFlag === -1
    ? join(packageDir, '..', '..', 'supabase', 'migrations')
    : resolve(process.argv[migrationsFlag + 1] ?? '');
const targets = {
  databaseTypes: join(packageDir, 'src', 'database.types.ts'),
  tableMetadata: join(packageDir, 'src', 'table-metadata.ts'),
} as const;

const check = process.argv.includes('--check');
const generated = await generate(migrationsDir);
let drift = false;
for (const key of Object.keys(targets) as (keyof typeof targets)[]) {
  const path = targets[key];
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === generated[key]) continue;
  if (check) {
    drift = true;
    console.error(`${path} is out of date with supabase/migrations`);
  } else {
    await writeFile(path, generated[key]);
    console.log(`wrote ${path}`);
  }
}
if (drift) {
  console.error('Run `pnpm --filter @mentora/db gen:types` and commit the result.');
  process.exit(1);
}
if (check) console.log('database types are up to date');
