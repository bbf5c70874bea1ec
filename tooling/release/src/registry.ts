import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startProcess, withPortRetry } from '@mentora/testing';

export interface LocalRegistry {
  /** Base URL with a trailing slash, as npm and pnpm want it in .npmrc. */
  readonly url: string;
  /** The `//host:port/` key that auth settings in .npmrc are scoped to. */
  readonly authKey: string;
  stop(): Promise<void>;
}

// Anyone may read and publish: the registry lives on loopback for one run and holds nothing else.
// No uplinks: only what the check publishes is in it, so a consumer resolving @mentora/* from it can
// never get a copy from elsewhere; every other package comes from the consumer's usual registry.
function verdaccioConfig(storage: string): string {
  return `storage: ${JSON.stringify(storage)}
uplinks: {}
packages:
  '**':
    access: $all
    publish: $all
    unpublish: $all
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, 'htpasswd'))}
    max_users: -1
web:
  enable: false
max_body_size: 100mb
log: { type: stdout, format: pretty, level: warn }
`;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** A throwaway verdaccio 6 on a free loopback port, storing into `dir`. */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  const configFile = join(dir, 'verdaccio.yaml');
  await writeFile(configFile, verdaccioConfig(storage));
  // The CLI is not an export of the package; it sits next to its package.json.
  const bin = join(
    dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')),
    'bin',
    'verdaccio',
  );
  return withPortRetry(async (port) => {
    const url = `http://127.0.0.1:${port}/`;
    const service = await startProcess({
      name: 'verdaccio',
      command: process.execPath,
      args: [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      ready: () => answers(url),
      logDir: dir,
    });
    return { url, authKey: `//127.0.0.1:${port}/`, stop: () => service.stop() };
  });
}
