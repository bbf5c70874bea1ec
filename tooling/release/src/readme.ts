import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One ```ts block of a package README. */
export interface ReadmeBlock {
  /** `errors#2`: package folder and the block's number among the README's TypeScript blocks. */
  id: string;
  dir: string;
  index: number;
  /** Line of the opening fence in the README (1-based). */
  line: number;
  code: string;
  /** Hidden lines from a `<!-- prelude … -->` comment right above the fence (inputs the reader supplies). */
  prelude: string;
  /** Under a "Quick start" heading: type-checked AND executed against real services. */
  quickStart: boolean;
  /** ```ts no-check: <reason> — a fragment, not type-checked. Never allowed in a quick start. */
  noCheck?: string;
  /** First 12 hex chars of SHA-256 over prelude and code: ties an expected failure to this exact text. */
  hash: string;
}

export interface ReadmeParse {
  blocks: ReadmeBlock[];
  /** Problems with the README itself (a no-check without a reason, no quick start, …). */
  problems: string[];
  /** Hash of the whole README, for README-level expected failures. */
  hash: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

const hash12 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/**
 * Extracts the TypeScript blocks of a README. A block is a quick start when it sits under a heading
 * that says "Quick start" (including that heading's sub-sections). `<!-- prelude … -->` directly above
 * a fence holds hidden lines prepended when checking (declarations of what the reader supplies).
 */
export function parseReadme(dir: string, text: string): ReadmeParse {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  const problems: string[] = [];
  let quickStartLevel: number | undefined;
  let pendingPrelude: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] as string).length;
      if (quickStartLevel !== undefined && level <= quickStartLevel) quickStartLevel = undefined;
      if (/quick\s*start/i.test(heading[2] as string)) quickStartLevel = level;
      pendingPrelude = undefined;
      continue;
    }
    const prelude = /^<!--\s*prelude:?\s*([\s\S]*)$/.exec(line);
    if (prelude) {
      const body: string[] = [];
      let rest = prelude[1] as string;
      while (!rest.includes('-->')) {
        body.push(rest);
        i += 1;
        if (i >= lines.length) break;
        rest = lines[i] as string;
      }
      body.push(rest.slice(0, rest.indexOf('-->')));
      pendingPrelude = body.join('\n').trim();
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (line.trim() !== '') pendingPrelude = undefined;
      continue;
    }
    const marker = fence[2] as string;
    const lang = (fence[3] as string).toLowerCase();
    const info = (fence[4] as string).trim();
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length; i++) {
      const closing = lines[i] as string;
      if (closing.trim().startsWith(marker) && closing.trim().replace(/[`~]/g, '') === '') break;
      body.push(closing);
    }
    const preludeText = pendingPrelude ?? '';
    pendingPrelude = undefined;
    if (lang !== 'ts' && lang !== 'typescript') continue;
    const index = blocks.length + 1;
    const id = `${dir}#${index}`;
    const code = body.join('\n');
    const block: ReadmeBlock = {
      id,
      dir,
      index,
      line: start + 1,
      code,
      prelude: preludeText,
      quickStart: quickStartLevel !== undefined,
      hash: hash12(`${preludeText}\n${code}`),
    };
    const noCheck = /^no-check\b:?\s*(.*)$/.exec(info);
    if (noCheck) {
      const reason = (noCheck[1] as string).trim();
      if (block.quickStart) problems.push(`${id} (line ${block.line}): a quick start is never no-check`);
      else if (reason === '')
        problems.push(`${id} (line ${block.line}): no-check needs a reason (\`\`\`ts no-check: why)`);
      else block.noCheck = reason;
    }
    blocks.push(block);
  }
  return { blocks, problems, hash: hash12(text) };
}

/** A README must show a quick start that runs: at least one TypeScript block under "Quick start". */
export function quickStartProblem(dir: string, parsed: ReadmeParse): string | undefined {
  return parsed.blocks.some((block) => block.quickStart && !block.noCheck)
    ? undefined
    : `${dir}: the README has no TypeScript quick start (a \`\`\`ts block under a "Quick start" heading)`;
}

/** The file a block becomes in the consumer: prelude, code, and `export {}` so every block is a module. */
export function blockFile(block: ReadmeBlock): { name: string; text: string; preludeLines: number } {
  const prelude = block.prelude ? `${block.prelude}\n` : '';
  return {
    name: `readme/${block.dir}-${block.index}.ts`,
    text: `${prelude}${block.code}\nexport {};\n`,
    preludeLines: prelude === '' ? 0 : prelude.split('\n').length - 1,
  };
}

/** Maps a line of the generated file back to the README line. */
export function readmeLine(block: ReadmeBlock, fileLine: number): number {
  const { preludeLines } = blockFile(block);
  return fileLine <= preludeLines ? block.line : block.line + (fileLine - preludeLines);
}

export async function writeBlocks(consumerDir: string, blocks: readonly ReadmeBlock[]): Promise<void> {
  await mkdir(join(consumerDir, 'readme'), { recursive: true });
  for (const block of blocks) {
    if (block.noCheck) continue;
    const file = blockFile(block);
    await writeFile(join(consumerDir, file.name), file.text);
  }
}

/** An accepted failure of one exact block text (or README text), with why; see readme-expected-failures.json. */
export interface ExpectedFailure {
  id: string;
  hash: string;
  reason: string;
}

export interface Outcome {
  id: string;
  hash: string;
  problems: string[];
}

export interface Judgement {
  failures: string[];
  expected: string[];
  warnings: string[];
}

/**
 * Applies the expected failures: a listed failure of exactly that text is reported, not fatal; a
 * listed item that now passes is fatal (remove the entry); an entry whose text changed no longer
 * applies — the new text is checked for real — and is reported as stale.
 */
export function judge(outcomes: readonly Outcome[], expectations: readonly ExpectedFailure[]): Judgement {
  const result: Judgement = { failures: [], expected: [], warnings: [] };
  const used = new Set<ExpectedFailure>();
  for (const outcome of outcomes) {
    const entry = expectations.find((e) => e.id === outcome.id && e.hash === outcome.hash);
    if (entry) used.add(entry);
    if (outcome.problems.length === 0) {
      if (entry) {
        result.failures.push(
          `${outcome.id} passes now but is listed as an expected failure: remove it from tooling/release/readme-expected-failures.json`,
        );
      }
      continue;
    }
    if (entry)
      result.expected.push(
        `${outcome.id}: expected to fail (${entry.reason}): ${outcome.problems.length} problem(s)`,
      );
    else result.failures.push(...outcome.problems);
  }
  for (const entry of expectations) {
    if (!used.has(entry)) {
      result.warnings.push(
        `stale expected failure ${entry.id}@${entry.hash}: that text is gone, the current text is checked for real; delete the entry`,
      );
    }
  }
  return result;
}
