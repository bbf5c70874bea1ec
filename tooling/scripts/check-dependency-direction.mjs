#!/usr/bin/env node
// Fails when a publishable package depends on a package above it in the layering of DESIGN.md:
// errors ← config ← monitoring ← {redis, db} ← {cache, ratelimit, jobs} ← http ← apps.
// Only runtime and peer dependencies count; dev dependencies (test harness, benches) may point anywhere private.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const layer = {
  errors: 0,
  config: 1,
  monitoring: 2,
  db: 3,
  redis: 3,
  cache: 4,
  ratelimit: 4,
  jobs: 4,
  http: 5,
};
const root = new URL('../../packages/', import.meta.url).pathname;
const problems = [];
for (const dir of readdirSync(root)) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const own = layer[dir];
  if (own === undefined) {
    problems.push(`packages/${dir} has no layer in tooling/scripts/check-dependency-direction.mjs`);
    continue;
  }
  const deps = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
  for (const name of Object.keys(deps)) {
    if (!name.startsWith('@mentora/')) continue;
    const target = layer[name.slice('@mentora/'.length)];
    if (target === undefined) problems.push(`${pkg.name} depends on unpublished ${name}`);
    else if (target >= own)
      problems.push(`${pkg.name} (layer ${own}) must not depend on ${name} (layer ${target})`);
  }
}
if (problems.length > 0) {
  console.error(`Dependency direction violated:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('dependency direction ok');
