import { Socket } from 'node:net';

/**
 * Whether a Postgres-protocol server on host:port accepts sessions now.
 *
 * An open TCP port is not enough: Postgres listens before recovery finishes and answers
 * "the database system is starting up" (SQLSTATE 57P03) until then. We send a StartupMessage and
 * read the first reply: an authentication request ('R') or any error other than 57P03 means the
 * server is up. No client library needed, so this also probes PGlite's socket server.
 */
export function probePostgres(
  port: number,
  options: { host?: string; user?: string; database?: string; timeoutMs?: number } = {},
): Promise<boolean> {
  const host = options.host ?? '127.0.0.1';
  const params = `user\0${options.user ?? 'postgres'}\0database\0${options.database ?? 'postgres'}\0\0`;
  const body = Buffer.from(params, 'utf8');
  const startup = Buffer.alloc(8 + body.length);
  startup.writeInt32BE(8 + body.length, 0);
  startup.writeInt32BE(196608, 4); // protocol 3.0
  body.copy(startup, 8);

  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    let received = Buffer.alloc(0);
    const finish = (ready: boolean) => {
      if (settled) return;
      settled = true;
      // Terminate ('X') politely so the server does not log an unexpected EOF.
      if (ready && socket.writable) socket.end(Buffer.from([0x58, 0, 0, 0, 4]));
      else socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(options.timeoutMs ?? 2000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 5) return;
      const type = String.fromCharCode(received[0] as number);
      if (type === 'R') return finish(true);
      if (type !== 'E') return finish(false);
      const length = received.readInt32BE(1);
      if (received.length < 1 + length) return;
      const fields = received.subarray(5, 1 + length).toString('utf8');
      // Error fields are "<code-letter><value>\0"; 'C' is the SQLSTATE.
      const sqlstate = fields
        .split('\0')
        .find((field) => field.startsWith('C'))
        ?.slice(1);
      finish(sqlstate !== '57P03');
    });
    socket.connect(port, host, () => socket.write(startup));
  });
}
