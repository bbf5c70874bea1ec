import { describe, expect, it } from 'vitest';
import { blockFile, judge, parseReadme, quickStartProblem, readmeLine } from '../../src/readme.ts';

const README = `# pkg

## Quick start

\`\`\`ts
import { a } from 'pkg';
a();
\`\`\`

### A sub-section of the quick start

<!-- prelude
const token = 'x';
-->
\`\`\`ts
use(token);
\`\`\`

## API

\`\`\`ts no-check: a signature, not code
a(options?): Promise<void>
\`\`\`

\`\`\`sh
pnpm add pkg
\`\`\`

\`\`\`typescript
a();
\`\`\`

\`\`\`ts no-check
b();
\`\`\`
`;

describe('parseReadme', () => {
  const parsed = parseReadme('pkg', README);

  it('finds every ts block, marks quick starts (sub-sections included) and no-check reasons', () => {
    expect(parsed.blocks.map((b) => [b.id, b.line, b.quickStart, b.noCheck ?? null])).toEqual([
      ['pkg#1', 5, true, null],
      ['pkg#2', 15, true, null],
      ['pkg#3', 21, false, 'a signature, not code'],
      ['pkg#4', 29, false, null],
      ['pkg#5', 33, false, null],
    ]);
  });

  it('refuses a no-check without a reason, and a no-check quick start', () => {
    expect(parsed.problems).toEqual([expect.stringMatching(/pkg#5 \(line 33\): no-check needs a reason/)]);
    const quick = parseReadme('q', '## Quick start\n\n```ts no-check: too long\nx\n```\n');
    expect(quick.problems).toEqual([expect.stringMatching(/q#1 .*a quick start is never no-check/)]);
    // Refused as no-check, so it is checked and run like any quick start.
    expect(quick.blocks[0]?.noCheck).toBeUndefined();
    expect(quickStartProblem('api', parseReadme('api', '## API\n\n```ts\nx\n```\n'))).toMatch(
      /no TypeScript quick start/,
    );
    expect(quickStartProblem('pkg', parsed)).toBeUndefined();
  });

  it('prepends a prelude and maps file lines back to README lines', () => {
    const block = parsed.blocks[1] as (typeof parsed.blocks)[number];
    expect(block.prelude).toBe("const token = 'x';");
    const file = blockFile(block);
    expect(file.text).toBe("const token = 'x';\nuse(token);\nexport {};\n");
    expect(readmeLine(block, 2)).toBe(16);
  });

  it('hashes the exact text, so an edit changes the hash', () => {
    const edited = parseReadme('pkg', README.replace('a();\n```\n\n###', 'a(1);\n```\n\n###'));
    expect(edited.blocks[0]?.hash).not.toBe(parsed.blocks[0]?.hash);
    expect(edited.blocks[1]?.hash).toBe(parsed.blocks[1]?.hash);
  });
});

describe('judge: expected failures apply to one exact text', () => {
  const failing = { id: 'pkg#1', hash: 'aaa', problems: ['pkg#1: boom'] };
  const passing = { id: 'pkg#2', hash: 'bbb', problems: [] };

  it('fails on unexpected failures', () => {
    expect(judge([failing, passing], []).failures).toEqual(['pkg#1: boom']);
  });

  it('reports an expected failure of that exact text without failing', () => {
    const result = judge([failing], [{ id: 'pkg#1', hash: 'aaa', reason: 'being rewritten' }]);
    expect(result.failures).toEqual([]);
    expect(result.expected).toEqual([expect.stringContaining('being rewritten')]);
  });

  it('checks changed text for real and calls the entry stale', () => {
    const result = judge([failing], [{ id: 'pkg#1', hash: 'old', reason: 'x' }]);
    expect(result.failures).toEqual(['pkg#1: boom']);
    expect(result.warnings).toEqual([expect.stringMatching(/stale expected failure pkg#1@old/)]);
  });

  it('fails when a listed item passes, so the entry gets removed', () => {
    const result = judge([passing], [{ id: 'pkg#2', hash: 'bbb', reason: 'x' }]);
    expect(result.failures).toEqual([expect.stringMatching(/pkg#2 passes now .* remove it/)]);
  });
});
