import type { LocalRegistry } from './registry.ts';
import { readTarball } from './tarball.ts';
import type { PackageManifest } from './workspace.ts';

export interface PublishedTarball {
  manifest: PackageManifest;
  files: Set<string>;
  packedBytes: number;
  unpackedBytes: number;
}

/**
 * The tarball the registry serves for name@version (what every consumer downloads), read in memory;
 * undefined when the registry does not have that version.
 */
export async function fetchPublished(
  registry: LocalRegistry,
  name: string,
  version: string,
): Promise<PublishedTarball | undefined> {
  const response = await fetch(new URL(name.replace('/', '%2f'), registry.url));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`registry answered ${response.status} for ${name}`);
  const packument = (await response.json()) as { versions?: Record<string, { dist?: { tarball?: string } }> };
  const tarballUrl = packument.versions?.[version]?.dist?.tarball;
  if (!tarballUrl) return undefined;
  const tgz = Buffer.from(await (await fetch(tarballUrl)).arrayBuffer());
  const entries = readTarball(tgz);
  const manifestEntry = entries.find((entry) => entry.path === 'package.json');
  if (!manifestEntry) throw new Error(`${name}@${version}: the tarball has no package.json`);
  return {
    manifest: JSON.parse(manifestEntry.content.toString('utf8')) as PackageManifest,
    files: new Set(entries.map((entry) => entry.path)),
    packedBytes: tgz.length,
    unpackedBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
  };
}
