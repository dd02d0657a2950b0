// A QMP client over a unix socket: greeting, capabilities negotiation, id-matched replies,
// events, a timeout on every request, and a closed connection rejecting everything pending.
import net from 'node:net';
import { KvmtuiError, QmpError } from '../errors.js';
import { QmpLineDecoder, type QmpMessage } from './qmp-framing.js';
import type { QmpClient, QmpEvent, QmpExecuteOptions } from './qmp-types.js';

export const DEFAULT_QMP_TIMEOUT_MS = 5000;
export const DEFAULT_QMP_CONNECT_TIMEOUT_MS = 2000;
export const DEFAULT_QMP_GREETING_TIMEOUT_MS = 3000;

export interface QmpConnectOptions {
  /** time for the socket connect itself; default 2000 ms */
  connectTimeoutMs?: number;
  /**
   * time for QEMU's greeting after connecting; default 3000 ms. A monitor serves one client at a
   * time: while another client holds it, a new connection gets no greeting.
   */
  greetingTimeoutMs?: number;
  /** per-request timeout when execute() is not given one; default 5000 ms */
  requestTimeoutMs?: number;
}

/** What QEMU says about itself in the greeting. */
export interface QmpGreeting {
  version?: { qemu?: { major: number; minor: number; micro: number }; package?: string };
  capabilities?: string[];
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

class QmpConnection implements QmpClient {
  greeting: QmpGreeting | undefined;
  private readonly decoder = new QmpLineDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(ev: QmpEvent) => void>();
  private readonly closeListeners = new Set<(err?: Error) => void>();
  private nextId = 1;
  private isClosed = false;
  private closingLocally = false;
  /** why the connection is going down, when it is not a plain close */
  private failure: Error | undefined;
  private greetingWaiter: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: net.Socket,
    private readonly socketPath: string,
    private readonly requestTimeoutMs: number,
  ) {
    let markClosed!: () => void;
    this.closedPromise = new Promise((r) => (markClosed = r));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.failure ??= new KvmtuiError('QMP_CLOSED', `QMP connection to ${this.socketPath} failed: ${err.code ?? err.message}`, {
        cause: err,
      });
    });
    socket.on('close', () => {
      this.finish();
      markClosed();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Resolves on QEMU's greeting; rejects on timeout or if the connection ends first. */
  waitForGreeting(timeoutMs: number): Promise<void> {
    if (this.greeting) return Promise.resolve();
    if (this.isClosed) return Promise.reject(this.closedError('greeting'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.greetingWaiter = undefined;
        reject(
          new KvmtuiError(
            'QMP_TIMEOUT',
            `monitor busy: no QMP greeting within ${timeoutMs} ms from ${this.socketPath} (another client may hold this monitor)`,
          ),
        );
      }, timeoutMs);
      this.greetingWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>, opts: QmpExecuteOptions = {}): Promise<T> {
    if (this.isClosed || this.closingLocally) return Promise.reject(this.closedError(command));
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A reply that turns up later is dropped: its id is no longer pending.
        this.pending.delete(id);
        reject(new KvmtuiError('QMP_TIMEOUT', `${command}: no reply from QEMU within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      const msg = args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
      this.socket.write(`${JSON.stringify(msg)}\n`);
    });
  }

  onEvent(listener: (ev: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onClose(listener: (err?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (!this.isClosed) {
      this.closingLocally = true;
      this.socket.destroy();
    }
    await this.closedPromise;
  }

  /** Tear down because QEMU broke the protocol: pending requests get this error. */
  private fail(err: Error): void {
    this.failure ??= err;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.decoder.push(chunk, (msg) => this.onMessage(msg));
    } catch (e) {
      this.fail(e instanceof Error ? e : new KvmtuiError('QMP_PROTOCOL', String(e)));
    }
  }

  private onMessage(msg: QmpMessage): void {
    if (!this.greeting) {
      if (!isObject(msg.QMP)) {
        throw new KvmtuiError('QMP_PROTOCOL', `QMP protocol error: ${this.socketPath} did not start with a QMP greeting`);
      }
      this.greeting = msg.QMP as QmpGreeting;
      this.greetingWaiter?.resolve();
      this.greetingWaiter = undefined;
      return;
    }
    if (typeof msg.event === 'string') {
      this.emitEvent(msg);
      return;
    }
    if ('return' in msg || 'error' in msg) {
      // Replies without a known id (e.g. one that arrives after its timeout) are dropped.
      const id = typeof msg.id === 'number' ? msg.id : undefined;
      const p = id === undefined ? undefined : this.pending.get(id);
      if (!p || id === undefined) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      if ('error' in msg) {
        const err = isObject(msg.error) ? msg.error : {};
        const cls = typeof err.class === 'string' ? err.class : 'GenericError';
        const desc = typeof err.desc === 'string' ? err.desc : 'unknown error';
        p.reject(new QmpError(cls, desc, p.command));
      } else {
        p.resolve(msg.return);
      }
    }
    // Anything else is a well-formed message this client does not know: ignored, not fatal.
  }

  private emitEvent(msg: QmpMessage): void {
    const ts = isObject(msg.timestamp) ? msg.timestamp : {};
    const seconds = typeof ts.seconds === 'number' ? ts.seconds : 0;
    const micros = typeof ts.microseconds === 'number' ? ts.microseconds : 0;
    const ev: QmpEvent = {
      event: msg.event as string,
      time: seconds > 0 ? seconds * 1000 + Math.floor(micros / 1000) : Date.now(),
    };
    if (isObject(msg.data)) ev.data = msg.data;
    for (const listener of [...this.eventListeners]) {
      try {
        listener(ev);
      } catch {
        // a listener's bug must not break the connection for everyone else
      }
    }
  }

  private closedError(command: string): KvmtuiError {
    if (this.failure instanceof KvmtuiError && this.failure.code === 'QMP_PROTOCOL') return this.failure;
    return new KvmtuiError('QMP_CLOSED', `${command}: QMP connection to ${this.socketPath} is closed`);
  }

  private finish(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(this.closedError(p.command));
    }
    this.greetingWaiter?.reject(
      this.failure ?? new KvmtuiError('QMP_CLOSED', `QMP monitor ${this.socketPath} closed the connection before its greeting`),
    );
    this.greetingWaiter = undefined;
    // A close we asked for reports no error; QEMU going away (or breaking protocol) does.
    const err = this.closingLocally
      ? undefined
      : (this.failure ?? new KvmtuiError('QMP_CLOSED', `QMP connection to ${this.socketPath} closed by QEMU`));
    for (const listener of [...this.closeListeners]) {
      try {
        listener(err);
      } catch {
        // ignore listener bugs
      }
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function openSocket(socketPath: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new KvmtuiError('QMP_TIMEOUT', `cannot connect to QMP monitor ${socketPath}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const why = err.code === 'ENOENT' ? 'no such socket' : err.code === 'ECONNREFUSED' ? 'connection refused' : err.message;
      reject(new KvmtuiError('QMP_CLOSED', `cannot connect to QMP monitor ${socketPath}: ${why}`, { cause: err }));
    });
  });
}

/**
 * Connect to a QMP monitor socket and negotiate capabilities. Fails with QMP_CLOSED when nothing
 * listens there, QMP_TIMEOUT when the monitor is busy with another client, QMP_PROTOCOL when
 * the peer does not speak QMP.
 */
export async function connectQmp(socketPath: string, opts: QmpConnectOptions = {}): Promise<QmpClient & { greeting?: QmpGreeting }> {
  const socket = await openSocket(socketPath, opts.connectTimeoutMs ?? DEFAULT_QMP_CONNECT_TIMEOUT_MS);
  const conn = new QmpConnection(socket, socketPath, opts.requestTimeoutMs ?? DEFAULT_QMP_TIMEOUT_MS);
  try {
    await conn.waitForGreeting(opts.greetingTimeoutMs ?? DEFAULT_QMP_GREETING_TIMEOUT_MS);
    await conn.execute('qmp_capabilities');
    return conn;
  } catch (e) {
    await conn.close();
    throw e;
  }
}

/** Connect, run fn with the client, and always close it (also when fn throws). */
export async function withQmp<T>(
  socketPath: string,
  fn: (client: QmpClient) => Promise<T> | T,
  opts?: QmpConnectOptions,
): Promise<T> {
  const client = await connectQmp(socketPath, opts);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
