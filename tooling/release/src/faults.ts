// Faults the check must catch, injected on purpose to prove it does (`--inject <kind>=<package dir>`).
// They change only the scratch copy and this run's budgets, never the repository.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.ts';
import type { LocalRegistry } from './registry.ts';
import type { PublicPackage } from './workspace.ts';

export const FAULT_KINDS = ['no-dist', 'workspace-range', 'over-budget'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** Folder under packages/, e.g. `errors`. */
  dir: string;
}

export function parseFault(text: string): Fault {
  const [kind, dir] = text.split('=');
  if (!FAULT_KINDS.includes(kind as FaultKind) || !dir) {
    throw new Error(
      `--inject ${text}: expected <${FAULT_KINDS.join('|')}>=<package dir>, e.g. no-dist=errors`,
    );
  }
  return { kind: kind as FaultKind, dir };
}

/**
 * `no-dist`: the package is published without its build (as when the workflow's build step is skipped).
 * `workspace-range`: the package is published by npm, which copies `workspace:` ranges verbatim,
 * before `changeset publish` runs (which then skips that version as already published).
 */
export async function applyPrePublishFaults(
  faults: readonly Fault[],
  scratch: string,
  registry: LocalRegistry,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  for (const fault of faults) {
    const dir = join(scratch, 'packages', fault.dir);
    if (fault.kind === 'no-dist') {
      console.log(`[release] fault: removing packages/${fault.dir}/dist before publishing`);
      await rm(join(dir, 'dist'), { recursive: true, force: true });
    } else if (fault.kind === 'workspace-range') {
      console.log(`[release] fault: publishing packages/${fault.dir} with npm (no range rewriting)`);
      await writeFile(
        join(dir, '.npmrc'),
        `registry=${registry.url}\n${registry.authKey}:_authToken=release-check\n`,
      );
      await run('npm', ['publish', '--ignore-scripts'], { cwd: dir, env });
    }
  }
}

/** `over-budget`: this run's budget for the package is 1 KiB, which no package fits. */
export function applyBudgetFaults(
  faults: readonly Fault[],
  packages: readonly PublicPackage[],
): Map<string, number> {
  const budgets = new Map<string, number>();
  for (const fault of faults) {
    if (fault.kind !== 'over-budget') continue;
    const pkg = packages.find((p) => p.dir === fault.dir);
    if (pkg) budgets.set(pkg.manifest.name, 1024);
  }
  return budgets;
}
