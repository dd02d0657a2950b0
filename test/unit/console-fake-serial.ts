// A stand-in for QEMU's serial chardev: a unix socket server (one client) plus a logfile that
// records everything "the guest" prints, connected or not, as `-chardev socket,...,logfile=`.
// Not a test file: shared by the console-*.test.ts files beside it.
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class FakeSerial {
  readonly dir: string;
  readonly socketPath: string;
  readonly logPath: string;
  private server: Server | null = null;
  private client: Socket | null = null;
  /** connections QEMU has not served yet (it serves one client at a time) */
  private waiting: Socket[] = [];
  /** bytes the console sent to the guest */
  received = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'kt-'));
    this.socketPath = join(this.dir, 's.sock');
    this.logPath = join(this.dir, 'console.log');
    writeFileSync(this.logPath, '');
  }

  endpoint(withLog = true) {
    return withLog
      ? { kind: 'unix' as const, socketPath: this.socketPath, logPath: this.logPath }
      : { kind: 'unix' as const, socketPath: this.socketPath };
  }

  /** Start listening (a new QEMU); rotate=true moves the old log aside as the driver does. */
  async start(opts: { rotate?: boolean } = {}): Promise<void> {
    if (opts.rotate) {
      renameSync(this.logPath, this.logPath + '.1');
      writeFileSync(this.logPath, '');
    }
    rmSync(this.socketPath, { force: true });
    // one client at a time; as QEMU, a second one waits (unserved) until the first leaves
    const waiting = this.waiting;
    const serve = (sock: Socket) => {
      this.client = sock;
      sock.on('data', (d) => {
        this.received = Buffer.concat([this.received, d]);
        for (const w of this.waiters.splice(0)) w();
      });
      sock.resume();
      for (const w of this.waiters.splice(0)) w();
    };
    const server = createServer((sock) => {
      sock.on('error', () => {});
      sock.on('close', () => {
        const i = waiting.indexOf(sock);
        if (i >= 0) waiting.splice(i, 1);
        if (this.client !== sock) return;
        this.client = null;
        const next = waiting.shift();
        if (next && this.server) serve(next);
      });
      if (this.client) {
        sock.pause();
        waiting.push(sock);
        return;
      }
      serve(sock);
    });
    await new Promise<void>((resolve) => server.listen(this.socketPath, resolve));
    this.server = server;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** The guest prints: to the client if any (QEMU sends first), then to the log. */
  print(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.client?.write(buf);
    appendFileSync(this.logPath, buf);
  }

  /** What QEMU does when it retries a socket write: the client gets `sent`, the log `logged`. */
  printDiverging(sent: string, logged: string): void {
    this.client?.write(Buffer.from(sent, 'utf8'));
    appendFileSync(this.logPath, logged);
  }

  /** Only into the log, as output printed before QEMU accepted the client. */
  printLogOnly(data: string): void {
    appendFileSync(this.logPath, data);
  }

  /** QEMU exits: the client is dropped and nobody listens any more. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const w of this.waiting.splice(0)) w.destroy();
    this.client?.destroy();
    this.client = null;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }

  async waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Poll until a condition holds (the session publishes asynchronously). */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 15));
  }
}
