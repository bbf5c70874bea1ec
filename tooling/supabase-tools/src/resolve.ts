import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of an installed npm package (resolved from this package, where the pinned versions live). */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The version of an installed npm package, read from its package.json. */
export function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

export const pathOf = (name: string, ...parts: string[]) => join(packageDir(name), ...parts);
