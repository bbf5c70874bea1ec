import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarball } from '../../src/tarball.ts';
import { type PublishedPackage, promisedFiles, verifyPublished } from '../../src/verify.ts';
import type { PackageManifest } from '../../src/workspace.ts';

const execFileAsync = promisify(execFile);

const manifest: PackageManifest = {
  name: '@mentora/example',
  version: '1.0.0',
  main: './dist/index.cjs',
  types: './dist/index.d.cts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './redis': { import: './dist/redis.js', require: './dist/redis.cjs' },
    './package.json': './package.json',
  },
  dependencies: { '@mentora/errors': '^0.2.0', zod: '4.6.7' },
  peerDependencies: { ioredis: '^6.0.0' },
};

const builtFiles = [
  'package.json',
  'README.md',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/redis.js',
  'dist/redis.cjs',
];

function published(overrides: Partial<PublishedPackage> = {}): PublishedPackage {
  return {
    name: manifest.name,
    manifest,
    files: new Set(builtFiles),
    packedBytes: 40_000,
    unpackedBytes: 150_000,
    maxPackedBytes: 50_000,
    ...overrides,
  };
}

describe('verifyPublished: the three ways a publish breaks consumers', () => {
  it('accepts a complete package within budget', () => {
    expect(verifyPublished(published())).toEqual([]);
  });

  it('fails a package published without its dist', () => {
    const problems = verifyPublished(published({ files: new Set(['package.json', 'README.md']) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/lacks 6 file\(s\).*published without its build/);
    expect(problems[0]).toContain('dist/index.js');
  });

  it('fails a workspace: or catalog: range left in any dependency field', () => {
    const problems = verifyPublished(
      published({
        manifest: {
          ...manifest,
          dependencies: { '@mentora/errors': 'workspace:^', zod: 'catalog:' },
          peerDependencies: { '@mentora/config': 'workspace:*' },
        },
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/dependencies\.@mentora\/errors is "workspace:\^"/);
    expect(problems.join('\n')).toMatch(/dependencies\.zod is "catalog:"/);
    expect(problems.join('\n')).toMatch(/peerDependencies\.@mentora\/config is "workspace:\*"/);
  });

  it('fails a package over its size budget', () => {
    const problems = verifyPublished(published({ packedBytes: 50_001 }));
    expect(problems).toEqual([
      expect.stringMatching(/packed size 48\.8 KiB is over its budget of 48\.8 KiB/),
    ]);
  });

  it('lists every file the manifest promises, conditions and arrays included', () => {
    expect(promisedFiles(manifest).sort()).toEqual(builtFiles.filter((f) => f !== 'README.md').sort());
    expect(
      promisedFiles({ name: 'x', version: '1', exports: { '.': ['./a.js', { node: './b.js' }] } }),
    ).toEqual(['a.js', 'b.js']);
  });
});

describe('readTarball on what npm pack writes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'release-tarball-'));
    const deep = join(
      dir,
      'dist',
      'a-folder-with-a-rather-long-name',
      'and-another-one-below-it-to-pass-100-chars',
    );
    await mkdir(deep, { recursive: true });
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'tarball-fixture', version: '1.0.0', files: ['dist'] }),
    );
    await writeFile(join(dir, 'README.md'), '# fixture\n');
    await writeFile(join(dir, 'dist', 'index.js'), 'export const answer = 42;\n');
    await writeFile(join(deep, 'a-long-file-name-as-well.js'), 'export {};\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads names (long ones too), sizes and contents', async () => {
    const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: dir,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    const entries = readTarball(await readFile(join(dir, filename)));
    const paths = entries.map((e) => e.path).sort();
    expect(paths).toEqual([
      'README.md',
      'dist/a-folder-with-a-rather-long-name/and-another-one-below-it-to-pass-100-chars/a-long-file-name-as-well.js',
      'dist/index.js',
      'package.json',
    ]);
    const index = entries.find((e) => e.path === 'dist/index.js');
    expect(index?.content.toString()).toBe('export const answer = 42;\n');
    expect(index?.size).toBe(26);
  });
});
