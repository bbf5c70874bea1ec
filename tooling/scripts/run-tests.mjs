#!/usr/bin/env node
// Runs every package's tests through turbo, streams the output, and closes with one plain line
// "N passed, N failed" summed over the vitest summaries, so CI logs say what ran. Exit code is turbo's.
import { spawn } from 'node:child_process';

const child = spawn('turbo', ['run', 'test', '--concurrency=1', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
const totals = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
const ansi = /\u001b\[[0-9;]*m/g;

const pending = { out: '', err: '' };

function scan(chunk, out, which) {
  out.write(chunk);
  const lines = (pending[which] + chunk.toString()).split('\n');
  pending[which] = lines.pop() ?? '';
  for (const raw of lines) {
    const line = raw.replace(ansi, '');
    const m = /\sTests\s+(.*)\(\d+\)\s*$/.exec(line);
    if (!m) continue;
    packages += 1;
    for (const [, n, kind] of m[1].matchAll(/(\d+)\s+(passed|failed|skipped)/g)) totals[kind] += Number(n);
  }
}
child.stdout.on('data', (c) => scan(c, process.stdout, 'out'));
child.stderr.on('data', (c) => scan(c, process.stderr, 'err'));
child.on('close', (code) => {
  scan('\n', { write() {} }, 'out');
  console.log(`\nvitest summaries from ${packages} test runs:`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(code ?? 1);
});
