import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureBinary,
  ensureDebianFile,
  findBinary,
  MissingBinaryError,
  POSTGRES_BIN_DIR,
} from '../src/binaries.ts';
import { getFreePort, getFreePorts, isPortOpen, withPortRetry } from '../src/ports.ts';
import { ServiceStartError, startProcess } from '../src/process.ts';
import { isRoot, lookupSystemUser } from '../src/system-user.ts';
import { waitForPortClosed } from './helpers.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, limitMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

const httpService = (port: number, extra = '') =>
  `${extra};require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;

describe('ports', () => {
  it('hands out distinct bindable loopback ports', async () => {
    const ports = await getFreePorts(5);
    expect(new Set(ports).size).toBe(5);
    const single = await getFreePort();
    expect(single).toBeGreaterThan(0);
    expect(await isPortOpen(single)).toBe(false);
  });

  it('withPortRetry retries on EADDRINUSE with a new port and rethrows anything else', async () => {
    const tried: number[] = [];
    const port = await withPortRetry(async (candidate) => {
      tried.push(candidate);
      if (tried.length < 3) throw Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
      return candidate;
    });
    expect(tried).toHaveLength(3);
    expect(port).toBe(tried[2]);
    await expect(
      withPortRetry(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('startProcess', () => {
  it('waits for the probe, captures logs to a file, and stops the process', async () => {
    const port = await getFreePort();
    const service = await startProcess({
      name: 'http',
      command: process.execPath,
      args: ['-e', httpService(port, "console.log('hello from the service')")],
      ready: () => isPortOpen(port),
    });
    expect(await isPortOpen(port)).toBe(true);
    expect(await service.readLogs()).toContain('hello from the service');
    await service.stop();
    expect(service.isRunning()).toBe(false);
    expect(isAlive(service.pid)).toBe(false);
    expect(await isPortOpen(port)).toBe(false);
    expect(existsSync(service.logFile)).toBe(false);
  });

  it('fails fast with the log tail when the process exits before it is ready', async () => {
    const error = await startProcess({
      name: 'doomed',
      command: process.execPath,
      args: ['-e', "console.error('cannot start: config is broken'); process.exit(3)"],
      ready: async () => false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).message).toContain('code 3');
    expect((error as ServiceStartError).logs).toContain('config is broken');
  });

  it('a probe that never answers does not hide the process exiting', async () => {
    // E.g. the service lost its port to another process and the probe talks to that one.
    const error = await startProcess({
      name: 'exits-while-probed',
      command: process.execPath,
      args: ['-e', "console.error('bind: Address already in use'); setTimeout(() => process.exit(3), 100)"],
      ready: () => new Promise<boolean>(() => {}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).message).toContain('code 3');
  });

  it('a probe that never answers does not outlast the start timeout', async () => {
    const error = await startProcess({
      name: 'never-ready',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      ready: () => new Promise<boolean>(() => {}),
      readyTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).message).toContain('not ready before the start timeout');
  });

  it('kills a process that ignores the stop signal after the grace period', async () => {
    const port = await getFreePort();
    const service = await startProcess({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', httpService(port, "process.on('SIGTERM', () => console.log('ignoring SIGTERM'))")],
      ready: () => isPortOpen(port),
      stopTimeoutMs: 300,
    });
    await service.stop();
    expect((await service.exited).signal).toBe('SIGKILL');
    expect(isAlive(service.pid)).toBe(false);
  });

  it('kills the service and removes its temp files when the parent process is SIGKILLed', async () => {
    const parent = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'crash-parent.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = await new Promise<{ port: number; pid: number; logFile: string }>((resolve, reject) => {
      let buffer = '';
      parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const line = buffer.split('\n')[0];
        if (buffer.includes('\n') && line) resolve(JSON.parse(line));
      });
      parent.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    expect(await isPortOpen(report.port)).toBe(true);
    expect(existsSync(report.logFile)).toBe(true);

    parent.kill('SIGKILL');
    expect(await waitForExit(report.pid)).toBe(true);
    expect(await waitForPortClosed(report.port)).toBe(true);
    // The watchdog removes the temp log dir once the service is gone.
    const deadline = Date.now() + 20_000;
    while (existsSync(dirname(report.logFile)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(dirname(report.logFile))).toBe(false);
  });
});

describe('ensureBinary', () => {
  it('finds PATH binaries and the PostgreSQL 15 tools', async () => {
    expect(await findBinary('sh')).toMatch(/\/sh$/);
    expect(await ensureBinary('initdb', 'postgresql-15')).toBe(join(POSTGRES_BIN_DIR, 'initdb'));
  });

  it('ensureDebianFile returns a file that a package installed', async () => {
    const control = '/usr/share/postgresql/15/extension/plpgsql.control';
    expect(await ensureDebianFile(control, 'postgresql-15')).toBe(control);
  });

  it.each([
    ["ensureBinary('mentora-no-such-binary', 'mentora-no-such-package')", 'mentora-no-such-binary'],
    [
      "ensureDebianFile('/nonexistent/mentora.control', 'mentora-no-such-package')",
      '/nonexistent/mentora.control',
    ],
  ])('without root, %s is a clear error naming the Debian package to install', async (call, missing) => {
    const script =
      `import('./src/binaries.ts').then((m) => m.${call})` +
      '.then(() => console.log(JSON.stringify({ ok: true })))' +
      '.catch((e) => console.log(JSON.stringify({ name: e.name, message: e.message })))';
    let user: { uid: number; gid: number } | undefined;
    if (isRoot()) {
      user = await lookupSystemUser('postgres');
      if (!user)
        throw new Error('running as root without a postgres user: cannot drop privileges for this test');
    }
    const child = spawn(process.execPath, ['-e', script], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    await new Promise((resolve) => child.once('close', resolve));
    const result = JSON.parse(out) as { name: string; message: string };
    expect(result.name).toBe(MissingBinaryError.name);
    expect(result.message).toContain(missing);
    expect(result.message).toContain('apt-get install -y mentora-no-such-package');
  });
});
