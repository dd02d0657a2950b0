// A scriptable stand-in for a QEMU QMP monitor on a real unix socket, for client unit tests.
// Like QEMU it serves one client at a time: a second connection gets no greeting until the
// first one disconnects (unless `exclusive: false`).
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeRequest {
  execute: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** How the fake answers one command. */
export type FakeReply =
  | { return: unknown; delayMs?: number }
  | { error: { class: string; desc: string }; delayMs?: number }
  /** never answer */
  | { never: true }
  /** close the connection instead of answering */
  | { closeConnection: true }
  /** write these raw bytes instead of a JSON reply */
  | { raw: string; delayMs?: number };

export type FakeHandler = (args: Record<string, unknown> | undefined, req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeQmpOptions {
  /** the greeting object; default one like QEMU 7.2's */
  greeting?: Record<string, unknown>;
  /** hold the greeting back until releaseGreeting() */
  withholdGreeting?: boolean;
  /** one client at a time, like QEMU; default true */
  exclusive?: boolean;
  /** split everything the server writes into chunks of this many bytes, each written separately */
  chunkBytes?: number;
}

const DEFAULT_GREETING = {
  QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: 'fake' }, capabilities: ['oob'] },
};

export class FakeQmpServer {
  readonly path: string;
  /** every command received, in order, from every client (qmp_capabilities included) */
  readonly received: FakeRequest[] = [];
  private readonly dir: string;
  private readonly server: net.Server;
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly clients: net.Socket[] = [];
  private active: net.Socket | undefined;
  private greetingHeld: boolean;
  private readonly opts: FakeQmpOptions;
  private readonly greeted = new WeakSet<net.Socket>();
  /** pending chunked writes per client, so chunks of consecutive messages never interleave */
  private readonly chunkChain = new WeakMap<net.Socket, Promise<void>>();

  private constructor(opts: FakeQmpOptions) {
    this.opts = opts;
    this.greetingHeld = opts.withholdGreeting ?? false;
    this.dir = mkdtempSync(join(tmpdir(), 'kt-'));
    this.path = join(this.dir, 'qmp.sock');
    this.server = net.createServer((s) => this.onConnection(s));
    this.handle('qmp_capabilities', () => ({ return: {} }));
    this.handle('query-status', () => ({ return: { status: 'running', running: true, singlestep: false } }));
  }

  static async start(opts: FakeQmpOptions = {}): Promise<FakeQmpServer> {
    const f = new FakeQmpServer(opts);
    await new Promise<void>((resolve, reject) => {
      f.server.once('error', reject);
      f.server.listen(f.path, () => resolve());
    });
    return f;
  }

  /** Script the reply for a command (replaces any earlier handler for it). */
  handle(command: string, handler: FakeHandler): this {
    this.handlers.set(command, handler);
    return this;
  }

  /** Number of clients currently connected (served or waiting). */
  get connectionCount(): number {
    return this.clients.length;
  }

  /** Resolves once `n` clients are connected. */
  async waitForConnections(n: number, timeoutMs = 2000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.clients.length < n) {
      if (Date.now() > until) throw new Error(`fake QMP: expected ${n} connections, have ${this.clients.length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  releaseGreeting(): void {
    this.greetingHeld = false;
    this.serveNext();
  }

  /** Send an event to the client being served. */
  emitEvent(event: string, data?: Record<string, unknown>, timestamp = { seconds: 1700000000, microseconds: 250000 }): void {
    const msg: Record<string, unknown> = { timestamp, event };
    if (data) msg.data = data;
    this.writeActive(`${JSON.stringify(msg)}\r\n`);
  }

  /** Write raw bytes to the client being served (garbage, partial lines...). */
  sendRaw(text: string): void {
    this.writeActive(text);
  }

  /** Drop every client connection abruptly. */
  closeClients(): void {
    for (const c of [...this.clients]) c.destroy();
  }

  async close(): Promise<void> {
    this.closeClients();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onConnection(s: net.Socket): void {
    this.clients.push(s);
    s.on('error', () => {});
    s.on('close', () => {
      this.clients.splice(this.clients.indexOf(s), 1);
      if (this.active === s) this.active = undefined;
      this.serveNext();
    });
    this.serveNext();
  }

  /** Greet the next waiting client when the monitor is free. */
  private serveNext(): void {
    if (this.greetingHeld) return;
    const exclusive = this.opts.exclusive ?? true;
    const candidates = exclusive ? (this.active ? [] : this.clients.slice(0, 1)) : this.clients.filter((c) => !this.greeted.has(c));
    for (const s of candidates) {
      if (this.greeted.has(s)) continue;
      this.greeted.add(s);
      if (exclusive) this.active = s;
      else this.active ??= s;
      this.startSession(s);
    }
  }

  private startSession(s: net.Socket): void {
    let buf = '';
    s.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) void this.onRequest(s, JSON.parse(line) as FakeRequest);
      }
    });
    this.write(s, `${JSON.stringify(this.opts.greeting ?? DEFAULT_GREETING)}\r\n`);
  }

  private async onRequest(s: net.Socket, req: FakeRequest): Promise<void> {
    this.received.push(req);
    const handler = this.handlers.get(req.execute);
    const reply: FakeReply = handler
      ? await handler(req.arguments, req)
      : { error: { class: 'CommandNotFound', desc: `The command ${req.execute} has not been found` } };
    if ('never' in reply) return;
    if ('closeConnection' in reply) {
      s.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (s.destroyed) return;
    if ('raw' in reply) {
      this.write(s, reply.raw);
      return;
    }
    const body: Record<string, unknown> = 'error' in reply ? { error: reply.error } : { return: reply.return };
    if (req.id !== undefined) body.id = req.id;
    this.write(s, `${JSON.stringify(body)}\r\n`);
  }

  private writeActive(text: string): void {
    if (!this.active) throw new Error('fake QMP: no client is being served');
    this.write(this.active, text);
  }

  private write(s: net.Socket, text: string): void {
    const n = this.opts.chunkBytes;
    if (!n) {
      s.write(text);
      return;
    }
    // Separate writes with a pause between them so the client really sees separate chunks.
    const bytes = Buffer.from(text, 'utf8');
    let chain = this.chunkChain.get(s) ?? Promise.resolve();
    for (let i = 0; i < bytes.length; i += n) {
      const part = bytes.subarray(i, i + n);
      chain = chain.then(
        () =>
          new Promise<void>((r) => {
            if (!s.destroyed) s.write(part);
            setTimeout(r, 1);
          }),
      );
    }
    this.chunkChain.set(s, chain);
  }
}
