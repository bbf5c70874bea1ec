import { existsSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './exec.ts';
import type { LocalRegistry } from './registry.ts';
import { type PublicPackage, readManifest } from './workspace.ts';

/**
 * A copy of the repository as the release workflow would check it out: every file git knows or would
 * add (so uncommitted work is what gets checked), plus each public package's `dist` from the build
 * that ran before this check. The version bump only rewrites package.json and CHANGELOG.md, neither
 * of which the build reads, so the copied build is the one the workflow's build step would produce.
 */
export async function copyRepository(
  root: string,
  scratch: string,
  packages: readonly PublicPackage[],
): Promise<void> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
  });
  const files = listed.stdout.split('\0').filter((path) => path !== '' && existsSync(join(root, path)));
  const dirs = new Set(files.map((path) => dirname(join(scratch, path))));
  await Promise.all([...dirs].map((dir) => mkdir(dir, { recursive: true })));
  // Copied one by one (not `cp -r` of the tree) so nothing git ignores — node_modules, caches,
  // .env files — ever reaches the scratch copy.
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map((path) => cp(join(root, path), join(scratch, path))));
  }
  for (const pkg of packages) {
    const dist = join(pkg.path, 'dist');
    if (existsSync(dist)) await cp(dist, join(scratch, 'packages', pkg.dir, 'dist'), { recursive: true });
  }
}

/**
 * Installs the scratch workspace from the local store (pnpm resolves `workspace:` ranges at publish
 * time from the installed workspace links) and commits it, since `changeset publish` tags releases.
 */
export async function prepareWorkspace(scratch: string, env: NodeJS.ProcessEnv): Promise<void> {
  await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--filter', './packages/*'], {
    cwd: scratch,
    env: { ...env, CI: 'true' },
  });
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=release check', '-c', 'user.email=release-check@localhost', ...args], {
      cwd: scratch,
    });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'scratch copy for the release check');
}

/** `changeset version`: consumes the pending changesets, bumps versions and writes the CHANGELOGs. */
export async function versionPackages(scratch: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('pnpm', ['exec', 'changeset', 'version'], { cwd: scratch, env });
  return result.output;
}

/** The version each public package has in the scratch copy after `changeset version`. */
export function versionsAfterBump(scratch: string, packages: readonly PublicPackage[]): Map<string, string> {
  return new Map(
    packages.map((pkg) => [pkg.manifest.name, readManifest(join(scratch, 'packages', pkg.dir)).version]),
  );
}

/** Points npm and pnpm in the scratch copy at the local registry (with a token: npm refuses to publish without one). */
export async function useRegistry(dir: string, registry: LocalRegistry): Promise<void> {
  await writeFile(
    join(dir, '.npmrc'),
    `registry=${registry.url}\n${registry.authKey}:_authToken=release-check\n`,
  );
}

/**
 * `changeset publish`, as the release workflow runs it (there with provenance, which needs the CI's
 * OIDC token and so is left out here): every public package whose version is not in the registry yet,
 * through pnpm publish, which turns `workspace:` and `catalog:` ranges into real ones.
 */
export async function publishPackages(scratch: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run('pnpm', ['exec', 'changeset', 'publish'], { cwd: scratch, env });
  return result.output;
}
