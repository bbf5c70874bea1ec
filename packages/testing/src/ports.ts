import { createServer, Socket } from 'node:net';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 (bind to port 0, read it back, release it).
 *
 * The port is free at the moment we return it, but another process may grab it before the caller
 * binds it. Callers that start servers therefore wrap the start in `withPortRetry` so an
 * EADDRINUSE race becomes a retry on a fresh port rather than a failed test run.
 */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a loopback listener'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Asks for `count` distinct free ports (holding all listeners open until every port is known). */
export async function getFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    const ports: number[] = [];
    for (const server of servers) {
      server.unref();
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, () => {
          const address = server.address();
          if (address === null || typeof address === 'string') reject(new Error('no port'));
          else resolve(address.port);
        });
      });
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
      ),
    );
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** Whether an error (or its log text) says the address was already taken. */
export function isAddressInUse(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; logs?: unknown };
  if (e.code === 'EADDRINUSE') return true;
  const text = `${typeof e.message === 'string' ? e.message : ''}\n${typeof e.logs === 'string' ? e.logs : ''}`;
  return /EADDRINUSE|address already in use|Address in use|could not bind/i.test(text);
}

/**
 * Runs `start(port)` on a fresh free port, retrying on a new port when the start failed because
 * the port was taken between `getFreePort()` and the bind (a real race on busy CI machines).
 */
export async function withPortRetry<T>(
  start: (port: number) => Promise<T>,
  options: { attempts?: number; host?: string } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await getFreePort(options.host);
    try {
      return await start(port);
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      lastError = error;
    }
  }
  throw new Error(`could not bind a free loopback port after ${attempts} attempts`, { cause: lastError });
}
