// QMP connections for the local driver. QEMU serves one client per QMP socket, so every domain
// gets a shared socket for short-lived clients (CLI calls) plus a few monitor sockets a long-lived
// client (a TUI) may hold for events. A long-lived client that finds all monitors taken falls back
// to short-lived connections: it never blocks the CLI or a second kvmtui.
import { connectQmp } from './qmp-client.js';
import type { QmpClient, QmpEvent } from './qmp-types.js';
import type { RunPaths } from './paths.js';

export interface MonitorPoolOptions {
  /** hold a monitor per running domain and deliver its events */
  persistent: boolean;
  onEvent?: (name: string, ev: QmpEvent) => void;
  /** the held monitor closed: the process may have ended */
  onClose?: (name: string) => void;
}

const BUSY_GREETING_MS = 300;
const SHARED_GREETING_MS = 5000;

export class MonitorPool {
  private held = new Map<string, QmpClient>();
  private attaching = new Map<string, Promise<void>>();

  constructor(private readonly opts: MonitorPoolOptions) {}

  /** Run fn on the held monitor when there is one, else on a short-lived connection. */
  async run<T>(name: string, rp: RunPaths, fn: (c: QmpClient) => Promise<T>): Promise<T> {
    const held = this.held.get(name);
    if (held && !held.closed) return fn(held);
    const client = await connectQmp(rp.qmpSocket, { connectTimeoutMs: 2000, greetingTimeoutMs: SHARED_GREETING_MS });
    try {
      return await fn(client);
    } finally {
      await client.close().catch(() => {});
    }
  }

  isHeld(name: string): boolean {
    const c = this.held.get(name);
    return !!c && !c.closed;
  }

  /** Take a free monitor socket for this domain (persistent mode only); quiet when none is free. */
  attach(name: string, rp: RunPaths): Promise<void> {
    if (!this.opts.persistent || this.isHeld(name)) return Promise.resolve();
    const pending = this.attaching.get(name);
    if (pending) return pending;
    const p = this.tryAttach(name, rp).finally(() => this.attaching.delete(name));
    this.attaching.set(name, p);
    return p;
  }

  private async tryAttach(name: string, rp: RunPaths): Promise<void> {
    for (const sock of rp.monitorSockets) {
      let client: QmpClient;
      try {
        client = await connectQmp(sock, { connectTimeoutMs: 1000, greetingTimeoutMs: BUSY_GREETING_MS });
      } catch {
        continue; // taken by another kvmtui, or the process is gone
      }
      this.held.set(name, client);
      client.onEvent((ev) => this.opts.onEvent?.(name, ev));
      client.onClose(() => {
        if (this.held.get(name) === client) this.held.delete(name);
        this.opts.onClose?.(name);
      });
      return;
    }
  }

  async detach(name: string): Promise<void> {
    const c = this.held.get(name);
    this.held.delete(name);
    if (c) await c.close().catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.held.keys()];
    await Promise.all(all.map((n) => this.detach(n)));
  }
}
