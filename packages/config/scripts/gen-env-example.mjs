// Writes the repository's .env.example from the @mentora/config schema (run after the build):
//   pnpm --filter @mentora/config gen:env-example
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEnvExample } from '../dist/index.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.env.example');
writeFileSync(target, renderEnvExample());
console.log(`wrote ${target}`);
