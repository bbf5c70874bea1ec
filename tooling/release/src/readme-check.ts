import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RedisService, type SupabaseStack, startRedis, startSupabaseStack } from '@mentora/testing';
import type { ConsumerContext, FullConsumer, Published } from './consumers.ts';
import { capture } from './exec.ts';
import {
  blockFile,
  type ExpectedFailure,
  type Judgement,
  judge,
  type Outcome,
  parseReadme,
  quickStartProblem,
  type ReadmeBlock,
  readmeLine,
  writeBlocks,
} from './readme.ts';
import { type TscError, typeCheck } from './tsc.ts';

/** A seeded user (supabase/seed.sql: creator Ada Lovelace) whose token quick starts act with. */
const EXAMPLE_USER_ID = '00000000-0000-4000-a000-000000000001';

/**
 * The real services the quick starts run against, and the environment they get: the stack's
 * variables as `@mentora/config` reads them, REDIS_URL, and MENTORA_EXAMPLE_ACCESS_TOKEN for a
 * README prelude that stands for "the signed-in user's access token".
 */
async function startQuickStartServices(
  root: string,
): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  let stack: SupabaseStack | undefined;
  let redis: RedisService | undefined;
  try {
    [stack, redis] = await Promise.all([
      startSupabaseStack({
        mode: 'embedded',
        migrationsDir: join(root, 'supabase', 'migrations'),
        seedFile: join(root, 'supabase', 'seed.sql'),
      }),
      startRedis(),
    ]);
    const token = await stack.signUserToken(EXAMPLE_USER_ID);
    const started = { stack, redis };
    return {
      env: { ...stack.env(), REDIS_URL: redis.url, MENTORA_EXAMPLE_ACCESS_TOKEN: token },
      stop: async () => {
        await Promise.all([started.stack.stop(), started.redis.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([stack?.stop(), redis?.stop()]);
    throw error;
  }
}

function describeTypeError(block: ReadmeBlock, error: TscError): string {
  return `${block.id} (packages/${block.dir}/README.md:${readmeLine(block, error.line)}, ${error.resolution}): ${error.text}`;
}

/**
 * Every TypeScript block of every public package's README, type-checked (strict, nodenext and bundler,
 * no DOM lib) in a consumer that installed the published packages; the quick starts also run, on a
 * real Supabase stack and Redis. Failures listed in readme-expected-failures.json for exactly that
 * text are reported but do not fail the check.
 */
export async function checkReadmes(
  ctx: ConsumerContext,
  consumer: FullConsumer,
  published: readonly Published[],
  root: string,
  expectations: readonly ExpectedFailure[],
): Promise<Judgement> {
  const outcomes: Outcome[] = [];
  const blocks: ReadmeBlock[] = [];
  for (const { pkg } of published) {
    const text = await readFile(join(pkg.path, 'README.md'), 'utf8');
    const parsed = parseReadme(pkg.dir, text);
    const missing = quickStartProblem(pkg.dir, parsed);
    outcomes.push({
      id: `${pkg.dir}#readme`,
      hash: parsed.hash,
      problems: [...parsed.problems, ...(missing ? [missing] : [])],
    });
    blocks.push(...parsed.blocks);
  }
  await writeBlocks(consumer.dir, blocks);
  const checked = blocks.filter((block) => !block.noCheck);
  const errors: TscError[] = [];
  for (const resolution of ['nodenext', 'bundler'] as const) {
    errors.push(
      ...(await typeCheck(ctx.tsc, consumer.dir, resolution, ['readme/*.ts'], ctx.env, {
        name: `tsconfig.readme-${resolution}.json`,
      })),
    );
  }
  const byFile = new Map(checked.map((block) => [blockFile(block).name, block]));
  const stray = errors.filter((error) => !byFile.has(error.file));
  outcomes.push({
    id: 'readme-declarations',
    hash: '-',
    problems: stray.map((e) => `README type check (${e.resolution}) ${e.file}:${e.line}: ${e.text}`),
  });

  const quickStarts = checked.filter((block) => block.quickStart);
  const services = quickStarts.length > 0 ? await startQuickStartServices(root) : undefined;
  try {
    for (const block of blocks) {
      const problems = errors
        .filter((error) => byFile.get(error.file) === block)
        .map((error) => describeTypeError(block, error));
      let ran = '';
      let output = '';
      if (block.quickStart && !block.noCheck) {
        if (problems.length > 0) {
          problems.push(`${block.id}: quick start not run (type errors above)`);
        } else {
          const started = performance.now();
          const result = await capture(process.execPath, [blockFile(block).name], {
            cwd: consumer.dir,
            env: { ...ctx.env, ...services?.env },
            timeoutMs: 90_000,
          });
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          ran = result.code === 0 ? `, ran in ${seconds} s` : '';
          if (result.code === 0) output = result.output.trim();
          if (result.code !== 0) {
            const why =
              result.code === null
                ? 'did not exit within 90 s (a client or timer left open?)'
                : `exited ${result.code}`;
            problems.push(
              `${block.id} (packages/${block.dir}/README.md:${block.line}): quick start ${why}:\n${result.output.trim().split('\n').slice(-25).join('\n')}`,
            );
          }
        }
      }
      const kind = block.noCheck
        ? `no-check (${block.noCheck})`
        : block.quickStart
          ? 'quick start'
          : 'type-checked';
      console.log(
        `  ${problems.length === 0 ? 'ok  ' : 'FAIL'} ${block.id.padEnd(14)} line ${String(block.line).padEnd(4)} ${kind}${ran}`,
      );
      if (output)
        console.log(
          output
            .split('\n')
            .slice(0, 12)
            .map((l) => `       │ ${l}`)
            .join('\n'),
        );
      outcomes.push({ id: block.id, hash: block.hash, problems });
    }
  } finally {
    await services?.stop();
  }
  const readmeProblems = outcomes.filter((o) => o.id.endsWith('#readme') && o.problems.length > 0);
  for (const outcome of readmeProblems) console.log(`  FAIL ${outcome.id}: ${outcome.problems.join('; ')}`);
  return judge(outcomes, expectations);
}
