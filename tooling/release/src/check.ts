#!/usr/bin/env node
// The release check: publishes every public package to a throwaway registry exactly as the release
// workflow would, then installs each one as a user would and uses it. See tooling/release/README.md.
// Usage: node tooling/release/src/check.ts [--keep] [--inject <fault>=<package-dir>]...
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  allSpecifiers,
  CLIENTS,
  type ConsumerContext,
  checkImports,
  checkMinimalConsumer,
  cleanEnv,
  createFullConsumer,
  type FullConsumer,
  type Published,
  runSmoke,
  typeCheckConsumer,
} from './consumers.ts';
import { mapLimit, run } from './exec.ts';
import { applyBudgetFaults, applyPrePublishFaults, type Fault, parseFault } from './faults.ts';
import { fetchPublished } from './published.ts';
import { checkReadmes } from './readme-check.ts';
import { startLocalRegistry } from './registry.ts';
import {
  copyRepository,
  prepareWorkspace,
  publishPackages,
  useRegistry,
  versionPackages,
  versionsAfterBump,
} from './scratch.ts';
import { formatBytes, verifyPublished } from './verify.ts';
import { listPublicPackages } from './workspace.ts';

const here = dirname(new URL(import.meta.url).pathname);
const releaseRoot = resolve(here, '..');
const root = resolve(releaseRoot, '../..');

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    inject: { type: 'string', multiple: true, default: [] },
  },
});
const faults: Fault[] = (values.inject ?? []).map(parseFault);

const timings: [string, number][] = [];
const failures: string[] = [];
const notes: string[] = [];
const startedAll = performance.now();

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(`\n[release] ${name}…`);
  try {
    return await fn();
  } finally {
    const ms = Math.round(performance.now() - started);
    timings.push([name, ms]);
    console.log(`[release] ${name}: ${(ms / 1000).toFixed(1)} s`);
  }
}

function finish(): never {
  const total = Math.round(performance.now() - startedAll);
  console.log('\n[release] time by step:');
  for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
  console.log(`  ${(total / 1000).toFixed(1).padStart(6)} s  total`);
  for (const note of notes) console.log(`[release] note: ${note}`);
  if (failures.length > 0) {
    console.error(`\n[release] RELEASE CHECK FAILED (${failures.length} problem(s)):`);
    for (const failure of failures) console.error(`  ✗ ${failure.replace(/\n/g, '\n    ')}`);
    process.exit(1);
  }
  console.log('\n[release] release check passed');
  process.exit(0);
}

const env = cleanEnv(process.env);
const work = await mkdtemp(join(tmpdir(), 'mentora-release-'));
const cleanups: (() => Promise<void>)[] = [];
let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse())
    await fn().catch((error) => console.error('[release] cleanup:', error));
  if (values.keep) console.log(`[release] kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

try {
  const discovered = listPublicPackages(root, join(releaseRoot, 'packages'));
  failures.push(...discovered.problems);
  const packages = discovered.packages;
  if (failures.length > 0) {
    await cleanup();
    finish();
  }
  console.log(`[release] public packages: ${packages.map((p) => p.manifest.name).join(', ')}`);
  if (faults.length > 0)
    console.log(`[release] injected faults: ${faults.map((f) => `${f.kind}=${f.dir}`).join(', ')}`);

  await step('build the public packages (turbo, cached after test:all)', () =>
    run(
      'pnpm',
      [
        'exec',
        'turbo',
        'run',
        'build',
        '--output-logs=errors-only',
        ...packages.map((p) => `--filter=${p.manifest.name}`),
      ],
      {
        cwd: root,
        env,
      },
    ),
  );

  const scratch = join(work, 'repo');
  await step('copy the repository to a scratch dir and install it from the store', async () => {
    await copyRepository(root, scratch, packages);
    await prepareWorkspace(scratch, env);
  });
  const versionOutput = await step('changeset version (pending changesets)', () =>
    versionPackages(scratch, env),
  );
  const versions = versionsAfterBump(scratch, packages);
  console.log(versionOutput.trim());

  const registry = await step('start verdaccio on loopback', () =>
    startLocalRegistry(join(work, 'registry')),
  );
  cleanups.push(() => registry.stop());
  console.log(`[release] registry at ${registry.url}`);
  await useRegistry(scratch, registry);

  await step('publish every public package as the release workflow does', async () => {
    await applyPrePublishFaults(faults, scratch, registry, env);
    console.log(
      (await publishPackages(scratch, env))
        .trim()
        .split('\n')
        .filter((l) => !/[◒◐◓◑]/.test(l))
        .join('\n'),
    );
  });

  const budgets = applyBudgetFaults(faults, packages);
  const published: Published[] = await step('download and verify what the registry serves', async () => {
    const rows: Published[] = [];
    console.log(
      `  ${'package'.padEnd(22)} ${'version'.padEnd(9)} ${'packed'.padStart(10)} ${'budget'.padStart(10)} ${'unpacked'.padStart(10)}  files`,
    );
    for (const pkg of packages) {
      const version = versions.get(pkg.manifest.name) as string;
      const tarball = await fetchPublished(registry, pkg.manifest.name, version);
      if (!tarball) {
        failures.push(`${pkg.manifest.name}@${version} is not in the registry after changeset publish`);
        continue;
      }
      const maxPackedBytes = budgets.get(pkg.manifest.name) ?? pkg.settings.maxPackedBytes;
      console.log(
        `  ${pkg.manifest.name.padEnd(22)} ${version.padEnd(9)} ${formatBytes(tarball.packedBytes).padStart(10)} ${formatBytes(maxPackedBytes).padStart(10)} ${formatBytes(tarball.unpackedBytes).padStart(10)}  ${tarball.files.size}`,
      );
      failures.push(...verifyPublished({ name: pkg.manifest.name, ...tarball, maxPackedBytes }));
      rows.push({ pkg, version, manifest: tarball.manifest });
    }
    return rows;
  });
  if (failures.length > 0) {
    await cleanup();
    finish();
  }

  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const ctx: ConsumerContext = { work, registry, env, tsc };

  await step(
    `one package alone, with npm and pnpm (${published.length * CLIENTS.length} blank projects)`,
    async () => {
      const jobs = published.flatMap((item) => CLIENTS.map((client) => ({ item, client })));
      const results = await mapLimit(jobs, 2, ({ item, client }) => checkMinimalConsumer(ctx, client, item));
      for (const result of results) {
        failures.push(...result.problems);
        console.log(
          `  ${result.problems.length === 0 ? 'ok  ' : 'FAIL'} ${result.client.padEnd(4)} ${result.name}`,
        );
      }
    },
  );

  const fullConsumers: FullConsumer[] = [];
  for (const client of CLIENTS) {
    await step(`every package and its peers with ${client}: install, import, type-check, smoke`, async () => {
      const consumer = await createFullConsumer(ctx, client, published);
      fullConsumers.push(consumer);
      console.log(`  installed in ${(consumer.installMs / 1000).toFixed(1)} s`);
      const importProblems = await checkImports(ctx, consumer.dir, allSpecifiers(published));
      failures.push(...importProblems.map((p) => `${client} (all packages): ${p}`));
      const typeErrors = await typeCheckConsumer(ctx, consumer, published);
      for (const error of typeErrors)
        failures.push(`${client} tsc (${error.resolution}) ${error.file}:${error.line}: ${error.text}`);
      console.log(
        `  imports: ${importProblems.length === 0 ? 'ok' : 'FAIL'}; types (node16, bundler): ${typeErrors.length} error(s)`,
      );
      for (const { pkg } of published) {
        const smoke = await runSmoke(ctx, consumer, pkg.dir);
        console.log(
          `  smoke ${pkg.dir.padEnd(12)} ${smoke.ok ? 'ok  ' : 'FAIL'} ${(smoke.ms / 1000).toFixed(1)} s${smoke.ok ? `  ${smoke.output.split('\n').at(-1)}` : ''}`,
        );
        if (!smoke.ok)
          failures.push(`${client} smoke ${pkg.dir}:\n${smoke.output.split('\n').slice(-30).join('\n')}`);
      }
    });
  }

  await step('README code: type-check every ```ts block, run the quick starts on real services', async () => {
    const npmConsumer = fullConsumers.find((c) => c.client === 'npm') as FullConsumer;
    const expectations = JSON.parse(
      await readFile(join(releaseRoot, 'readme-expected-failures.json'), 'utf8'),
    );
    const judgement = await checkReadmes(ctx, npmConsumer, published, root, expectations.entries);
    failures.push(...judgement.failures);
    for (const line of judgement.expected) notes.push(line);
    for (const line of judgement.warnings) notes.push(line);
  });
} catch (error) {
  failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await cleanup();
}
finish();
