import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown> | string;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  bin?: string | Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** What the release check needs to know about one publishable package, beyond its manifest. */
export interface ReleaseSettings {
  /** Largest accepted tarball, in bytes (what `npm pack` writes, gzip). */
  maxPackedBytes: number;
  /** The smoke run in consumer projects: `tooling/release/packages/<dir>/smoke.ts`. */
  smokeFile: string;
}

export interface PublicPackage {
  /** Folder under packages/, e.g. `errors`. */
  dir: string;
  path: string;
  manifest: PackageManifest;
  settings: ReleaseSettings;
}

export function readManifest(path: string): PackageManifest {
  return JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * Every package under packages/* that is not private: what `changeset publish` publishes. A package
 * that turns public goes through the check with no change here; it only needs its own folder under
 * tooling/release/packages/ (a size budget and a smoke), and the check says so when that is missing.
 */
export function listPublicPackages(
  root: string,
  settingsRoot: string,
): { packages: PublicPackage[]; problems: string[] } {
  const packages: PublicPackage[] = [];
  const problems: string[] = [];
  const packagesDir = join(root, 'packages');
  for (const dir of readdirSync(packagesDir).sort()) {
    const path = join(packagesDir, dir);
    if (!existsSync(join(path, 'package.json'))) continue;
    const manifest = readManifest(path);
    if (manifest.private) continue;
    const settingsDir = join(settingsRoot, dir);
    const budgetFile = join(settingsDir, 'budget.json');
    const smokeFile = join(settingsDir, 'smoke.ts');
    const missing: string[] = [];
    if (!existsSync(budgetFile)) {
      missing.push(
        `${manifest.name} is public but has no size budget: add tooling/release/packages/${dir}/budget.json ({ "maxPackedBytes": … })`,
      );
    }
    if (!existsSync(smokeFile)) {
      missing.push(
        `${manifest.name} is public but has no smoke: add tooling/release/packages/${dir}/smoke.ts (run in consumer projects against the published package)`,
      );
    }
    if (missing.length > 0) {
      problems.push(...missing);
      continue;
    }
    const budget = JSON.parse(readFileSync(budgetFile, 'utf8')) as { maxPackedBytes?: unknown };
    if (typeof budget.maxPackedBytes !== 'number' || budget.maxPackedBytes <= 0) {
      problems.push(`tooling/release/packages/${dir}/budget.json: maxPackedBytes must be a positive number`);
      continue;
    }
    packages.push({ dir, path, manifest, settings: { maxPackedBytes: budget.maxPackedBytes, smokeFile } });
  }
  return { packages, problems };
}

/** The subpaths a package exports that hold code (`.`, `./redis`, …), not `./package.json`. */
export function codeEntries(manifest: PackageManifest): string[] {
  const exports = manifest.exports;
  if (exports === undefined || typeof exports === 'string') return ['.'];
  return Object.keys(exports).filter(
    (key) => key.startsWith('.') && !key.endsWith('.json') && !key.includes('*'),
  );
}

/** `@mentora/cache` + `./redis` → `@mentora/cache/redis`. */
export function specifier(name: string, entry: string): string {
  return entry === '.' ? name : `${name}/${entry.slice(2)}`;
}
