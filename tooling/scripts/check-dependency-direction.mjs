#!/usr/bin/env node
// Fails when a workspace package depends on one at its own layer or above, on a package nobody placed in a
// layer, or — when it is published — on a private package. Every kind of dependency counts: dependencies,
// peer, optional and dev dependencies (turbo builds dev dependencies first, so a dev edge upwards is a
// cycle too; a published manifest lists its dev dependencies too), and what is bundled into the build
// (tsup `noExternal`, package.json `bundleDependencies`). The test harness, @mentora/testing, is used by
// published packages in their dev dependencies only, except where an entry of theirs is a testing helper.
//
//   errors ← config ← testing ← monitoring ← {redis, db} ← {cache, ratelimit, jobs} ← http ← apps
//
// Usage: node tooling/scripts/check-dependency-direction.mjs [--root <dir>]
// The checker first runs its own cases (below), so a rule that stopped catching anything fails too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Layers of the publishable libraries (packages/*), by directory name. */
export const LIBRARY_LAYERS = {
  errors: 0,
  config: 1,
  // The service harness: errors at run time, config in its own tests; every library above may test with it.
  testing: 1.5,
  monitoring: 2,
  // One connection layer for every Redis user; listed before the package exists so it lands in place.
  redis: 3,
  db: 3,
  cache: 4,
  ratelimit: 4,
  jobs: 4,
  http: 5,
};

/**
 * Private workspace packages outside packages/. Apps, benches and dev tooling sit on top and nothing uses
 * them; Supabase's tools sit just above the harness they run on.
 */
export const SUPPORT_LAYERS = {
  // Supabase's own CLI, type generator and pgTAP runner: the db package's tests use it.
  '@mentora/supabase-tools': 1.6,
  '@mentora/web': 6,
  '@mentora/worker': 6,
  '@mentora/dev': 6,
  '@mentora/bench': 6,
  // The release check publishes and installs every package; nothing depends on it.
  '@mentora/release': 6,
};

/**
 * Test-only packages: a published package names them in devDependencies only, except the kinds listed
 * for it (a testing entry of its own that runs on the harness).
 */
export const TEST_ONLY = {
  '@mentora/testing': {
    // @mentora/db/testing starts the local Supabase on the harness: an optional peer, so the root entry's
    // users install none of it.
    '@mentora/db': ['peerDependencies'],
  },
};

/**
 * Known exceptions, each with the reason it is tolerated for now. They are reported on every run (so the
 * count stays visible) and do not fail it.
 */
export const ALLOWED = [
  {
    from: '@mentora/db',
    to: '@mentora/supabase-tools',
    kind: 'devDependencies',
    // Supabase's CLI (db push, db lint), postgres-meta's type generator and pgTAP, for db's own schema
    // tests and type generation: hundreds of MB of binaries that are not worth publishing.
    why: "db's schema tests and type generation run Supabase's own tools, which are not published",
  },
];

const KINDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];

/** `noExternal: [...]` entries of a tsup config: string literals and regular expression literals. */
export function tsupNoExternal(source) {
  const match = /noExternal\s*:\s*\[([^\]]*)\]/s.exec(source);
  if (!match) return [];
  const body = match[1].replace(/\/\/[^\n]*/g, '');
  const entries = [];
  for (const m of body.matchAll(/'([^']+)'|"([^"]+)"|`([^`]+)`|\/((?:\\.|[^/\\\n])+)\/([a-z]*)/g)) {
    if (m[4] !== undefined) entries.push(new RegExp(m[4], m[5]));
    else entries.push(m[1] ?? m[2] ?? m[3]);
  }
  return entries;
}

/**
 * The rules, on package descriptors: `{ name, private, layer, deps: { [kind]: string[] }, bundled: (string|RegExp)[] }`.
 * Returns the problems, the allowed exceptions met, and how many @mentora edges were checked.
 */
export function analyze(packages, exceptions = ALLOWED) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const problems = [];
  const allowed = [];
  let edges = 0;
  for (const pkg of packages) {
    if (pkg.layer === undefined) {
      problems.push(
        `${pkg.name} (${pkg.dir}) has no layer in tooling/scripts/check-dependency-direction.mjs`,
      );
      continue;
    }
    const edgesOf = [];
    for (const kind of KINDS) for (const dep of pkg.deps[kind] ?? []) edgesOf.push({ dep, kind });
    for (const dep of byName.keys()) {
      if (dep !== pkg.name && pkg.bundled.some((b) => (typeof b === 'string' ? b === dep : b.test(dep)))) {
        edgesOf.push({ dep, kind: 'bundled' });
      }
    }
    for (const name of pkg.bundledDependencies ?? []) edgesOf.push({ dep: name, kind: 'bundled' });
    for (const { dep, kind } of edgesOf) {
      if (!dep.startsWith('@mentora/')) continue;
      edges++;
      const target = byName.get(dep);
      if (!target || target.layer === undefined) {
        problems.push(
          `${pkg.name} depends on ${dep} (${kind}), which is not a workspace package with a layer`,
        );
        continue;
      }
      if (target.layer >= pkg.layer) {
        problems.push(
          `${pkg.name} (layer ${pkg.layer}) must not depend on ${dep} (layer ${target.layer}) — ${kind}`,
        );
      }
      if (!pkg.private && target.private) {
        const exception = exceptions.find((a) => a.from === pkg.name && a.to === dep && a.kind === kind);
        if (exception) allowed.push(`${pkg.name} → ${dep} (${kind}): ${exception.why}`);
        else problems.push(`published ${pkg.name} depends on private ${dep} — ${kind}`);
      }
      const testOnly = TEST_ONLY[dep];
      if (testOnly && !pkg.private && kind !== 'devDependencies' && !testOnly[pkg.name]?.includes(kind)) {
        problems.push(
          `published ${pkg.name} depends on the test-only ${dep} outside devDependencies — ${kind}`,
        );
      }
    }
  }
  return { problems, allowed, edges };
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every workspace package of the repository at `root`, as descriptors for `analyze`. */
export function readWorkspace(root) {
  const dirs = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      if (existsSync(join(base, d, 'package.json'))) dirs.push({ group, dir: join(group, d), short: d });
    }
  }
  if (existsSync(join(root, 'bench', 'package.json')))
    dirs.push({ group: 'bench', dir: 'bench', short: 'bench' });
  return dirs.map(({ group, dir, short }) => {
    const pkg = readJson(join(root, dir, 'package.json'));
    const tsup = join(root, dir, 'tsup.config.ts');
    const layer = group === 'packages' ? LIBRARY_LAYERS[short] : SUPPORT_LAYERS[pkg.name];
    return {
      name: pkg.name,
      dir,
      private: pkg.private === true,
      layer,
      deps: Object.fromEntries(KINDS.map((k) => [k, Object.keys(pkg[k] ?? {})])),
      bundled: existsSync(tsup) ? tsupNoExternal(readFileSync(tsup, 'utf8')) : [],
      bundledDependencies: pkg.bundleDependencies ?? pkg.bundledDependencies ?? [],
    };
  });
}

/** The checker's own cases: each rule must catch what it is for. */
function selfTest() {
  const lib = (name, layer, deps = {}, extra = {}) => ({
    name: `@mentora/${name}`,
    dir: `packages/${name}`,
    private: false,
    layer,
    deps,
    bundled: [],
    ...extra,
  });
  const harness = lib('testing', 1.5, { dependencies: ['@mentora/errors'] });
  const tools = { ...lib('tools', 1.6), private: true };
  const base = [lib('errors', 0), lib('config', 1, { dependencies: ['@mentora/errors'] }), harness, tools];
  const cases = [
    [
      'a clean graph',
      [
        ...base,
        lib('db', 3, { devDependencies: ['@mentora/testing'], peerDependencies: ['@mentora/testing'] }),
        lib('cache', 4, { devDependencies: ['@mentora/testing'] }),
      ],
      0,
    ],
    ['published on private, dev', [...base, lib('db', 3, { devDependencies: ['@mentora/tools'] })], 1],
    ['published on private, peer', [...base, lib('db', 3, { peerDependencies: ['@mentora/tools'] })], 1],
    [
      'published on private, optional',
      [...base, lib('db', 3, { optionalDependencies: ['@mentora/tools'] })],
      1,
    ],
    ['test-only at run time', [...base, lib('cache', 4, { dependencies: ['@mentora/testing'] })], 1],
    [
      'test-only as a peer elsewhere',
      [...base, lib('cache', 4, { peerDependencies: ['@mentora/testing'] })],
      1,
    ],
    [
      'test-only under the harness',
      [...base, lib('monitoring', 1.2, { devDependencies: ['@mentora/testing'] })],
      1,
    ],
    ['upwards, runtime', [...base, lib('errors2', 0, { dependencies: ['@mentora/config'] })], 1],
    ['upwards, dev only', [...base, lib('x', 0.5, { devDependencies: ['@mentora/config'] })], 1],
    [
      'same layer (peer)',
      [...base, lib('cache', 4, { peerDependencies: ['@mentora/jobs'] }), lib('jobs', 4)],
      1,
    ],
    ['unknown package', [...base, lib('db', 3, { optionalDependencies: ['@mentora/nope'] })], 1],
    ['no layer', [...base, lib('mystery', undefined)], 1],
    ['published on private, runtime', [...base, lib('db', 3, { dependencies: ['@mentora/tools'] })], 1],
    ['bundled private by tsup', [...base, lib('cache', 4, {}, { bundled: [/^@mentora\/too/] })], 1],
    ['bundledDependencies', [...base, lib('cache', 4, {}, { bundledDependencies: ['@mentora/tools'] })], 1],
  ];
  const failures = [];
  for (const [what, packages, expected] of cases) {
    const { problems } = analyze(packages);
    if (problems.length !== expected)
      failures.push(`${what}: expected ${expected} problem(s), got ${JSON.stringify(problems)}`);
  }
  const parsed = tsupNoExternal(
    `export default { noExternal: ['@mentora/testing', /^@mentora\\/x/i, "a"], // c\n }`,
  );
  if (parsed.length !== 3 || !(parsed[1] instanceof RegExp) || !parsed[1].test('@mentora/X1')) {
    failures.push(`tsupNoExternal parsed ${String(parsed)}`);
  }
  const tested = ALLOWED.map((a) => ({ ...a, from: '@mentora/db', to: '@mentora/tools' }));
  const listed = analyze([...base, lib('db', 3, { devDependencies: ['@mentora/tools'] })], tested);
  if (listed.problems.length !== 0 || listed.allowed.length !== 1) {
    failures.push(`an allow-listed edge: ${JSON.stringify(listed)}`);
  }
  return failures;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname;
if (isMain) {
  const failures = selfTest();
  if (failures.length > 0) {
    console.error(`check-dependency-direction: its own cases fail:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  const rootFlag = process.argv.indexOf('--root');
  const root =
    rootFlag === -1 ? new URL('../../', import.meta.url).pathname : resolve(process.argv[rootFlag + 1]);
  const packages = readWorkspace(root);
  const { problems, allowed, edges } = analyze(packages);
  for (const a of allowed) console.warn(`allowed for now: ${a}`);
  if (problems.length > 0) {
    console.error(`Dependency direction violated:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(
    `dependency direction ok: ${packages.length} packages, ${edges} @mentora edges (every kind, bundles included), ${allowed.length} allowed exception(s)`,
  );
}
