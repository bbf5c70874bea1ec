#!/usr/bin/env node
// Fresh-machine entry point. Runs on any Node >= 20 with npm and nothing else:
// it makes sure a Node >= 22.12 and the pinned pnpm exist (fetching both from the npm
// registry into .cache/toolchain when they do not), installs the workspace, then runs
// the requested root script with that toolchain first on PATH.
// Usage: node tooling/bootstrap/run.mjs <dev|test|build|...> [args...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const toolDir = join(root, '.cache', 'toolchain');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '').split('+')[0];
const nodeMajor = readFileSync(join(root, '.node-version'), 'utf8').trim().split('.')[0];

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function nodeIsNewEnough(version) {
  const [maj, min] = version.replace(/^v/, '').split('.').map(Number);
  return maj > 22 || (maj === 22 && min >= 12);
}

function ensureToolchain() {
  const stamp = join(toolDir, 'stamp.json');
  const want = JSON.stringify({ node: nodeMajor, pnpm: pnpmVersion });
  const useSystemNode = nodeIsNewEnough(process.version);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return useSystemNode;
  mkdirSync(toolDir, { recursive: true });
  writeFileSync(join(toolDir, 'package.json'), '{"private":true}\n');
  const deps = [`pnpm@${pnpmVersion}`];
  if (!useSystemNode) deps.push(`node@${nodeMajor}`);
  console.error(`[bootstrap] fetching ${deps.join(', ')} into .cache/toolchain`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', toolDir, ...deps]);
  if (status !== 0) {
    console.error('[bootstrap] npm install of the toolchain failed');
    process.exit(status);
  }
  writeFileSync(stamp, want);
  return useSystemNode;
}

const [script = 'test', ...rest] = process.argv.slice(2);
ensureToolchain();
const bins = [join(toolDir, 'node_modules', '.bin')];
const localNode = join(toolDir, 'node_modules', 'node', 'bin');
if (!nodeIsNewEnough(process.version) && existsSync(localNode)) bins.unshift(localNode);
const env = { ...process.env, PATH: [...bins, process.env.PATH].join(':'), NEXT_TELEMETRY_DISABLED: '1' };

const install = ['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])];
let status = run('pnpm', install, env);
if (status === 0) status = run('pnpm', ['run', script, ...rest], env);
process.exit(status);
