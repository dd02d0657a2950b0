// The open consoles of one TUI: at most one session per domain, kept while the operator switches
// between them, all closed on quit. Sessions are made here, in console/, so the UI never opens
// a socket; the app gets a registry from its deps.
import type { ConsoleEndpoint } from '../driver/driver.js';
import { ConsoleSession, type ConsoleSessionOptions } from './console-session.js';

export type ConsoleDefaults = Omit<ConsoleSessionOptions, 'name' | 'getEndpoint'>;

export class ConsoleRegistry {
  private sessions = new Map<string, ConsoleSession>();
  private listeners = new Set<() => void>();
  private readonly defaults: ConsoleDefaults;

  constructor(defaults: ConsoleDefaults = {}) {
    this.defaults = defaults;
  }

  /**
   * The session for `key` (e.g. connection URI + domain name), opened on first use. Attaching
   * runs in the background: failures show in the session's status, and it keeps retrying.
   */
  open(key: string, name: string, getEndpoint: () => Promise<ConsoleEndpoint>, opts: ConsoleDefaults = {}): ConsoleSession {
    const existing = this.sessions.get(key);
    if (existing && existing.currentStatus !== 'closed') return existing;
    const session = new ConsoleSession({ ...this.defaults, ...opts, name, getEndpoint });
    this.sessions.set(key, session);
    void session.open().catch(() => {
      // the reason is in the session's status message
    });
    this.changed();
    return session;
  }

  get(key: string): ConsoleSession | undefined {
    return this.sessions.get(key);
  }

  /** Keys of the open sessions, in the order they were opened. */
  keys(): string[] {
    return [...this.sessions.keys()];
  }

  async close(key: string): Promise<void> {
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    this.changed();
    await s.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.changed();
    await Promise.all(all.map((s) => s.close()));
  }

  /** Told when a session is opened or closed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

export function createConsoleRegistry(defaults: ConsoleDefaults = {}): ConsoleRegistry {
  return new ConsoleRegistry(defaults);
}
