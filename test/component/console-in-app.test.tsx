import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleLine, ConsoleSnapshot } from '../../src/console/index.js';
import type { ConsoleDeps, ConsoleSessionLike } from '../../src/ui/console-context.js';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

/** A console session that echoes what it is sent, like a guest shell would. */
class FakeSession implements ConsoleSessionLike {
  sent: string[] = [];
  scrolled = 0;
  private text = ['fake banner', '# '];
  private version = 1;
  private listeners = new Set<() => void>();
  constructor(readonly name: string) {}
  private cached?: ConsoleSnapshot;
  // like the real session: the same object until something changed
  snapshot = (): ConsoleSnapshot => {
    if (this.cached?.version === this.version) return this.cached;
    const lines: ConsoleLine[] = this.text.map((t) => [{ text: t }]);
    this.cached = { name: this.name, version: this.version, cols: 80, rows: lines.length, lines, status: 'connected', scrollOffset: 0, scrollbackLines: 10, bytesIn: 0, bytesSkipped: 0, alternateScreen: false };
    return this.cached;
  };
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  resize() {}
  sendKey(input: string) {
    this.sent.push(input);
    this.text[this.text.length - 1] += input.replace(/\r/g, '');
    this.version++;
    for (const l of this.listeners) l();
    return true;
  }
  scrollPages(n: number) {
    this.scrolled += n;
  }
  scrollLines() {}
  scrollToTop() {}
  scrollToBottom() {
    this.scrolled = 0;
  }
  find() {
    return false;
  }
  clearSearch() {}
  async toggleLogging() {
    return null;
  }
  loggingTo = null;
  get scrollOffset() {
    return this.scrolled ? 3 : 0;
  }
  alternateScreen = false;
}

function fakeConsoles() {
  const sessions = new Map<string, FakeSession>();
  const deps: ConsoleDeps = {
    logDir: '/tmp',
    registry: {
      open: (key, name) => {
        let s = sessions.get(key);
        if (!s) sessions.set(key, (s = new FakeSession(name)));
        return s;
      },
      get: (key) => sessions.get(key),
    },
  };
  return { deps, sessions };
}

describe('console pane in the app', () => {
  it('c opens the pane below the list, keys go to the guest, Ctrl-] gives them back', async () => {
    const { deps, sessions } = fakeConsoles();
    h = await renderApp([{ name: 'web1', state: 'running' }, { name: 'db1' }], { consoles: deps, width: 100, height: 30 });
    await h.press('j', 'c'); // db1 sorts first
    expect(h.frame()).toContain('web1 — serial console — Ctrl-] back to list');
    expect(h.frame()).toMatch(/NAME\s+STATE/); // the list stays above
    expect(h.lines()).toHaveLength(30);
    await h.press('q', 's', KEY.enter);
    const s = [...sessions.values()][0];
    expect(s.sent.join('')).toBe('qs\r');
    expect(h.store.getState().quitRequested).toBe(false);
    expect(h.driver.callCount('start')).toBe(0);
    expect(h.frame()).toContain('# qs');

    await h.press('\x1d'); // Ctrl-]
    await h.press('?');
    expect(h.frame()).toContain('Keys');
    await h.press(KEY.esc);
    // the pane stays; z makes it full size once it has the keys again (Tab)
    expect(h.frame()).toContain('serial console');
    await h.press('z', KEY.tab);
    expect(h.frame()).not.toMatch(/NAME\s+STATE/);
    await h.press('\x1d', 'x');
    expect(h.frame()).not.toContain('serial console');
    expect(s.sent.join('')).toBe('qs\r');
  });

  it('a chunk holding Ctrl-] leaves the console and the rest acts on the list', async () => {
    const { deps, sessions } = fakeConsoles();
    h = await renderApp([{ name: 'web1', state: 'running' }, { name: 'db1' }], { consoles: deps });
    await h.press('j', 'c');
    await h.press('ls\x1dk');
    expect([...sessions.values()][0].sent.join('')).toBe('ls');
    expect(h.store.getState().focus).toBe('app');
    expect(h.lines().find((l) => l.startsWith('>'))).toMatch(/db1/);
  });

  it('c on a domain that is not running says why', async () => {
    const { deps } = fakeConsoles();
    h = await renderApp([{ name: 'db1' }], { consoles: deps });
    await h.press('c');
    expect(h.lines()[22]).toBe('✖ console: db1 is not running');
  });
});
