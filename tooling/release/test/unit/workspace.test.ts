import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBudgetFaults, parseFault } from '../../src/faults.ts';
import { codeEntries, listPublicPackages, specifier } from '../../src/workspace.ts';

describe('listPublicPackages', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'release-workspace-'));
    const pkg = async (dir: string, manifest: object, settings?: { budget?: object; smoke?: boolean }) => {
      await mkdir(join(root, 'packages', dir), { recursive: true });
      await writeFile(join(root, 'packages', dir, 'package.json'), JSON.stringify(manifest));
      await mkdir(join(root, 'settings', dir), { recursive: true });
      if (settings?.budget)
        await writeFile(join(root, 'settings', dir, 'budget.json'), JSON.stringify(settings.budget));
      if (settings?.smoke) await writeFile(join(root, 'settings', dir, 'smoke.ts'), '');
    };
    await pkg(
      'ready',
      { name: '@x/ready', version: '1.0.0' },
      { budget: { maxPackedBytes: 1000 }, smoke: true },
    );
    await pkg('private', { name: '@x/private', version: '1.0.0', private: true });
    await pkg('new', { name: '@x/new', version: '0.1.0' });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('picks every non-private package and asks a new one for its budget and smoke', () => {
    const { packages, problems } = listPublicPackages(root, join(root, 'settings'));
    expect(packages.map((p) => [p.manifest.name, p.settings.maxPackedBytes])).toEqual([['@x/ready', 1000]]);
    expect(problems).toEqual([
      expect.stringMatching(
        /@x\/new is public but has no size budget: add tooling\/release\/packages\/new\/budget\.json/,
      ),
      expect.stringMatching(
        /@x\/new is public but has no smoke: add tooling\/release\/packages\/new\/smoke\.ts/,
      ),
    ]);
  });
});

describe('entries and faults', () => {
  it('lists code entries, not package.json', () => {
    const manifest = {
      name: '@x/a',
      version: '1',
      exports: { '.': './i.js', './redis': './r.js', './package.json': './package.json' },
    };
    expect(codeEntries(manifest)).toEqual(['.', './redis']);
    expect(codeEntries(manifest).map((e) => specifier('@x/a', e))).toEqual(['@x/a', '@x/a/redis']);
  });

  it('parses --inject and shrinks only the named budget', () => {
    expect(parseFault('no-dist=errors')).toEqual({ kind: 'no-dist', dir: 'errors' });
    expect(() => parseFault('typo=errors')).toThrow(
      /expected <no-dist\|workspace-range\|over-budget>=<package dir>/,
    );
    const packages = [
      { dir: 'errors', manifest: { name: '@m/errors' } },
      { dir: 'db', manifest: { name: '@m/db' } },
    ];
    const budgets = applyBudgetFaults([parseFault('over-budget=errors')], packages as never);
    expect([...budgets]).toEqual([['@m/errors', 1024]]);
  });
});
