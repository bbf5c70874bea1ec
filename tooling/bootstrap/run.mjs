#!/usr/bin/env node
// Fresh-machine entry point. Runs on any Node >= 20 with npm and nothing else:
// it makes sure a Node >= 22.12 and the pinned pnpm exist (fetching both from the npm
// registry into .cache/toolchain when they do not), installs the workspace, then runs
// the requested root script with that toolchain first on PATH.
// Usage: node tooling/bootstrap/run.mjs <dev|test|build|...> [args...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const toolDir = join(root, '.cache', 'toolchain');
const binDir = join(toolDir, 'node_modules', '.bin');
const localNode = join(toolDir, 'node_modules', 'node', 'bin', 'node');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '').split('+')[0];
const nodeMajor = readFileSync(join(root, '.node-version'), 'utf8').trim().split('.')[0];

function fail(message) {
  console.error(`[bootstrap] ${message}`);
  process.exit(1);
}

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) {
    if (r.error.code === 'ENOENT') fail(`"${cmd}" was not found on PATH (${r.error.message}).`);
    throw r.error;
  }
  return r.status ?? 1;
}

function nodeIsNewEnough(version) {
  const [maj, min] = version.replace(/^v/, '').split('.').map(Number);
  return maj > 22 || (maj === 22 && min >= 12);
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(toolDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

// What is on disk decides, not a stamp: a cache filled by a run on a newer Node has no Node of
// its own, and a cache can lose files. Checked every run, so switching Node versions is safe.
function toolchainProblems(needNode) {
  const problems = [];
  if (installedVersion('pnpm') !== pnpmVersion || !existsSync(join(binDir, 'pnpm'))) {
    problems.push(`pnpm ${pnpmVersion}`);
  }
  if (needNode) {
    const r = existsSync(localNode) ? spawnSync(localNode, ['-v'], { encoding: 'utf8' }) : undefined;
    const version = r?.status === 0 ? r.stdout.trim() : '';
    if (!version || !nodeIsNewEnough(version)) problems.push(`Node ${nodeMajor}`);
  }
  return problems;
}

function ensureToolchain(needNode) {
  if (toolchainProblems(needNode).length === 0) return;
  mkdirSync(toolDir, { recursive: true });
  writeFileSync(join(toolDir, 'package.json'), '{"private":true}\n');
  // Everything in one install: npm removes what a later install does not name again.
  const deps = [`pnpm@${pnpmVersion}`, ...(needNode ? [`node@${nodeMajor}`] : [])];
  console.error(`[bootstrap] fetching ${deps.join(', ')} into .cache/toolchain`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', toolDir, ...deps]);
  if (status !== 0)
    fail(`npm install of ${deps.join(', ')} failed (exit ${status}); see npm's output above.`);
  const missing = toolchainProblems(needNode);
  if (missing.length > 0)
    fail(`after npm install, ${missing.join(' and ')} still do not work from ${toolDir}.`);
}

const [script = 'test', ...rest] = process.argv.slice(2);
// Node older than 22.12 runs only this file: everything after it uses the Node in the cache.
const needNode = !nodeIsNewEnough(process.version);
ensureToolchain(needNode);
// The Node that pnpm and every script it runs will find first: ours, even when an older `node`
// comes earlier on the caller's PATH (a Node 24 run by absolute path, an nvm shim, …).
const nodeDir = needNode ? dirname(localNode) : dirname(process.execPath);
const env = {
  ...process.env,
  PATH: [nodeDir, binDir, process.env.PATH].join(delimiter),
  NEXT_TELEMETRY_DISABLED: '1',
};

const install = ['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])];
let status = run('pnpm', install, env);
if (status === 0) status = run('pnpm', ['run', script, ...rest], env);
process.exit(status);
