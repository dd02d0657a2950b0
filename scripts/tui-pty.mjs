// Runs the real TUI (`node dist/cli.js`) in a real pseudo-terminal and keeps a terminal
// emulator (@xterm/headless) fed with its output, so callers can read the screen as an operator
// sees it. Shared by the e2e test, the TUI benchmark and the screenshot script.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const { Terminal } = require('@xterm/headless');

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist/cli.js');

/**
 * @param {{ args?: string[], env?: Record<string, string>, cols?: number, rows?: number, cli?: string }} opts
 */
export function openTui(opts = {}) {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 35;
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const env = { ...process.env, TERM: 'xterm-256color', ...opts.env };
  // the TUI must draw as it does for an operator, whatever CI variables the runner has
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const child = pty.spawn(process.execPath, [opts.cli ?? CLI, ...(opts.args ?? [])], { name: 'xterm-256color', cols, rows, cwd: ROOT, env });
  let bytes = 0;
  let pending = Promise.resolve();
  /** @type {Array<{ t: number, n: number }>} */
  const chunks = [];
  child.onData((data) => {
    const n = Buffer.byteLength(data);
    bytes += n;
    chunks.push({ t: Date.now(), n });
    pending = pending.then(() => new Promise((r) => term.write(data, r)));
  });
  let exitInfo = null;
  const exited = new Promise((resolve) =>
    child.onExit((e) => {
      exitInfo = e;
      resolve(e);
    }),
  );

  const screen = {
    term,
    pty: child,
    get bytes() {
      return bytes;
    },
    chunks,
    get exitInfo() {
      return exitInfo;
    },
    exited,
    /** wait until everything received so far is in the emulator */
    async drain() {
      await pending;
    },
    /** the screen as text, one string per row (trailing spaces trimmed) */
    lines() {
      const buf = term.buffer.active;
      const out = [];
      for (let y = 0; y < term.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
      return out;
    },
    text() {
      return screen.lines().join('\n');
    },
    /** the row that shows a domain of this name in the list */
    row(name) {
      return screen.lines().find((l) => l.slice(2).startsWith(`${name} `));
    },
    write(data) {
      child.write(data);
    },
    resize(c, r) {
      child.resize(c, r);
      term.resize(c, r);
    },
    /**
     * Wait until the screen matches (a string it contains, a RegExp, or a predicate on its text).
     * @param {string | RegExp | ((text: string) => boolean)} what
     */
    async waitFor(what, timeoutMs = 15_000) {
      const test = typeof what === 'string' ? (t) => t.includes(what) : what instanceof RegExp ? (t) => what.test(t) : what;
      const until = Date.now() + timeoutMs;
      for (;;) {
        await pending;
        const t = screen.text();
        if (test(t)) return t;
        if (exitInfo) throw new Error(`the TUI exited (${JSON.stringify(exitInfo)}) while waiting for ${what}; screen:\n${t}`);
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${t}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill() {
      if (!exitInfo) {
        try {
          child.kill();
        } catch {
          // already gone
        }
      }
    },
  };
  return screen;
}
