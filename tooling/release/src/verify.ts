import type { PackageManifest } from './workspace.ts';

/** Ranges that only mean something inside this workspace; a consumer's npm or pnpm cannot install them. */
const LOCAL_PROTOCOLS = ['workspace:', 'catalog:', 'link:', 'file:', 'portal:'];
const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
] as const;

export interface PublishedPackage {
  name: string;
  /** The package.json inside the tarball the registry serves. */
  manifest: PackageManifest;
  /** Paths inside the tarball (without `package/`). */
  files: ReadonlySet<string>;
  packedBytes: number;
  unpackedBytes: number;
  maxPackedBytes: number;
}

/** Every file path an `exports` map (any nesting of conditions and arrays) points at. */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (Array.isArray(exports)) return exports.flatMap(exportTargets);
  if (exports !== null && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

/** Files the manifest promises: exports targets, main, module, types, bin. Patterns (`*`) are skipped. */
export function promisedFiles(manifest: PackageManifest): string[] {
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const all = [
    ...exportTargets(manifest.exports),
    manifest.main,
    manifest.module,
    manifest.types,
    manifest.typings,
    ...bins,
  ].filter((path): path is string => typeof path === 'string' && !path.includes('*'));
  return [...new Set(all.map((path) => path.replace(/^\.\//, '')))];
}

/**
 * What is wrong with a published package, as its consumers would meet it: a range they cannot
 * install, a file the manifest points at but the tarball lacks (a publish without its build), or a
 * tarball over its size budget. Empty when nothing is.
 */
export function verifyPublished(pkg: PublishedPackage): string[] {
  const problems: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(pkg.manifest[field] ?? {})) {
      const protocol = LOCAL_PROTOCOLS.find((p) => range.startsWith(p));
      if (protocol) {
        problems.push(
          `${pkg.name}: ${field}.${dep} is "${range}" in the published package.json — a ${protocol} range is only meaningful inside the workspace (publish with pnpm, which rewrites it)`,
        );
      }
    }
  }
  const missing = promisedFiles(pkg.manifest).filter((path) => !pkg.files.has(path));
  if (missing.length > 0) {
    problems.push(
      `${pkg.name}: the tarball lacks ${missing.length} file(s) its package.json points at (was it published without its build?): ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', …' : ''}`,
    );
  }
  if (!pkg.files.has('README.md')) problems.push(`${pkg.name}: the tarball has no README.md`);
  if (pkg.packedBytes > pkg.maxPackedBytes) {
    problems.push(
      `${pkg.name}: packed size ${formatBytes(pkg.packedBytes)} is over its budget of ${formatBytes(pkg.maxPackedBytes)} (tooling/release/packages/<dir>/budget.json)`,
    );
  }
  return problems;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
