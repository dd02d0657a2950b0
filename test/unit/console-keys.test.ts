import { describe, expect, it } from 'vitest';
import {
  keyToBytes,
  handleConsoleKey,
  consoleModeLine,
  LIVE_CONSOLE_INPUT,
  type ConsoleControls,
  type ConsoleInputState,
} from '../../src/console/index.js';

describe('keyToBytes', () => {
  it('passes printable input through, pasted text included', () => {
    expect(keyToBytes('a', {})).toBe('a');
    expect(keyToBytes('echo hi', {})).toBe('echo hi');
    expect(keyToBytes('é', {})).toBe('é');
  });

  it('maps Enter, Tab, Shift-Tab, Backspace, Esc', () => {
    expect(keyToBytes('', { return: true })).toBe('\r');
    expect(keyToBytes('', { tab: true })).toBe('\t');
    expect(keyToBytes('', { tab: true, shift: true })).toBe('\x1b[Z');
    expect(keyToBytes('', { backspace: true })).toBe('\x7f');
    expect(keyToBytes('', { delete: true })).toBe('\x7f');
    expect(keyToBytes('', { escape: true, meta: true })).toBe('\x1b');
  });

  it('maps arrows in normal and application cursor mode, with modifiers', () => {
    expect(keyToBytes('', { upArrow: true })).toBe('\x1b[A');
    expect(keyToBytes('', { downArrow: true })).toBe('\x1b[B');
    expect(keyToBytes('', { rightArrow: true })).toBe('\x1b[C');
    expect(keyToBytes('', { leftArrow: true })).toBe('\x1b[D');
    expect(keyToBytes('', { upArrow: true }, { applicationCursorKeys: true })).toBe('\x1bOA');
    expect(keyToBytes('', { leftArrow: true, ctrl: true })).toBe('\x1b[1;5D');
    expect(keyToBytes('', { rightArrow: true, shift: true })).toBe('\x1b[1;2C');
  });

  it('maps Home, End, PageUp, PageDown', () => {
    expect(keyToBytes('', { home: true })).toBe('\x1b[H');
    expect(keyToBytes('', { end: true })).toBe('\x1b[F');
    expect(keyToBytes('', { home: true }, { applicationCursorKeys: true })).toBe('\x1bOH');
    expect(keyToBytes('', { pageUp: true })).toBe('\x1b[5~');
    expect(keyToBytes('', { pageDown: true })).toBe('\x1b[6~');
  });

  it('maps Ctrl-letters and the other control keys', () => {
    expect(keyToBytes('c', { ctrl: true })).toBe('\x03');
    expect(keyToBytes('d', { ctrl: true })).toBe('\x04');
    expect(keyToBytes('z', { ctrl: true })).toBe('\x1a');
    expect(keyToBytes('A', { ctrl: true })).toBe('\x01');
    expect(keyToBytes('`', { ctrl: true })).toBe('\x00'); // Ink's name for Ctrl-Space
    expect(keyToBytes('\\', { ctrl: true })).toBe('\x1c');
  });

  it('prefixes Alt/Meta keys with ESC', () => {
    expect(keyToBytes('b', { meta: true })).toBe('\x1bb');
    expect(keyToBytes('', { backspace: true, meta: true })).toBe('\x1b\x7f');
  });

  it('returns nothing for keys it cannot map', () => {
    expect(keyToBytes('', {})).toBe('');
    expect(keyToBytes('', { ctrl: true })).toBe('');
  });
});


class FakeControls implements ConsoleControls {
  readonly name = 'web1';
  calls: string[] = [];
  loggingTo: string | null = null;
  scrollOffset = 0;
  alternateScreen = false;
  findResult = true;
  sendKey(input: string, key: Record<string, unknown>) {
    this.calls.push(`key:${input}${Object.keys(key).filter((k) => key[k]).join('+')}`);
    return true;
  }
  scrollPages(n: number) {
    this.calls.push(`pages:${n}`);
    this.scrollOffset = Math.max(0, this.scrollOffset - n * 10);
  }
  scrollLines(n: number) {
    this.calls.push(`lines:${n}`);
  }
  scrollToTop() {
    this.calls.push('top');
  }
  scrollToBottom() {
    this.calls.push('bottom');
    this.scrollOffset = 0;
  }
  find(q: string, dir?: string) {
    this.calls.push(`find:${q}:${dir}`);
    return this.findResult;
  }
  clearSearch() {
    this.calls.push('clear');
  }
  async toggleLogging(path: string) {
    this.loggingTo = this.loggingTo ? null : path;
    this.calls.push(`log:${this.loggingTo}`);
    return this.loggingTo;
  }
}

function press(c: FakeControls, state: ConsoleInputState, keys: Array<[string, Record<string, boolean>?]>, opts = {}) {
  let leave = false;
  for (const [input, key] of keys) {
    const r = handleConsoleKey(c, state, input, key ?? {}, opts);
    state = r.state;
    leave ||= r.leave;
  }
  return { state, leave };
}

describe('handleConsoleKey', () => {
  it('sends keys to the guest in live mode and leaves with Ctrl-]', () => {
    const c = new FakeControls();
    const r = press(c, LIVE_CONSOLE_INPUT, [['l'], ['s'], ['', { return: true }], ['n'], ['/']]);
    expect(c.calls).toEqual(['key:l', 'key:s', 'key:return', 'key:n', 'key:/']);
    expect(r.leave).toBe(false);
    expect(handleConsoleKey(c, LIVE_CONSOLE_INPUT, '\x1d', {}).leave).toBe(true);
    expect(c.calls).toHaveLength(5); // Ctrl-] is not sent to the guest
  });

  it('takes a configurable leave key, Ctrl-letters included', () => {
    const c = new FakeControls();
    expect(handleConsoleKey(c, LIVE_CONSOLE_INPUT, 'a', { ctrl: true }, { leaveKey: '\x01' }).leave).toBe(true);
    expect(handleConsoleKey(c, LIVE_CONSOLE_INPUT, '\x1d', {}, { leaveKey: '\x01' }).leave).toBe(false);
    expect(c.calls).toEqual(['key:\x1d']);
  });

  it('PageUp enters scrollback mode, where keys move the view and Esc returns to live', () => {
    const c = new FakeControls();
    c.scrollOffset = 0;
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }]]);
    expect(r.state.mode).toBe('scrollback');
    expect(consoleModeLine(r.state)).toMatch(/^SCROLLBACK/);
    r = press(c, r.state, [['k'], ['j'], ['g'], ['x']]);
    expect(c.calls).toEqual(['pages:-1', 'lines:-1', 'lines:1', 'top']);
    r = press(c, r.state, [['', { escape: true }]]);
    expect(r.state.mode).toBe('live');
    expect(c.calls.slice(-2)).toEqual(['clear', 'bottom']);
    expect(consoleModeLine(r.state)).toBe('');
  });

  it('PageDown past the end returns to live; paging keys go to a full-screen program', () => {
    const c = new FakeControls();
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['', { pageUp: true }], ['', { pageDown: true }]]);
    expect(r.state.mode).toBe('scrollback');
    r = press(c, r.state, [['', { pageDown: true }]]);
    expect(r.state.mode).toBe('live');
    c.alternateScreen = true;
    c.calls = [];
    r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['', { pageDown: true }]]);
    expect(r.state.mode).toBe('live');
    expect(c.calls).toEqual(['key:pageUp', 'key:pageDown']);
  });

  it('searches: / opens a prompt, Enter finds older, n/N repeat, misses are reported', () => {
    const c = new FakeControls();
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['/'], ['p'], ['a'], ['x'], ['', { backspace: true }], ['n'], ['i'], ['c']]);
    expect(r.state).toMatchObject({ mode: 'search', query: 'panic' });
    expect(consoleModeLine(r.state)).toContain('search older: panic');
    r = press(c, r.state, [['', { return: true }]]);
    expect(r.state.mode).toBe('scrollback');
    expect(c.calls).toContain('find:panic:prev');
    r = press(c, r.state, [['N']]);
    expect(c.calls.at(-1)).toBe('find:panic:next');
    c.findResult = false;
    r = press(c, r.state, [['n']]);
    expect(consoleModeLine(r.state)).toBe('panic: no older match');
    r = press(c, r.state, [['N']]);
    expect(consoleModeLine(r.state)).toBe('panic: no newer match');
    r = press(c, r.state, [['/'], ['x'], ['', { escape: true }]]);
    expect(r.state.mode).toBe('scrollback');
  });

  it('a query that never matched says not found, also on n; a new / forgets the old match', () => {
    const c = new FakeControls();
    c.findResult = false;
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['/'], ['o'], ['o'], ['p'], ['s'], ['', { return: true }]]);
    expect(consoleModeLine(r.state)).toBe('oops: not found');
    r = press(c, r.state, [['n']]);
    expect(consoleModeLine(r.state)).toBe('oops: not found');
    c.findResult = true;
    r = press(c, r.state, [['n']]);
    expect(r.state.matched).toBe(true);
    c.findResult = false;
    r = press(c, r.state, [['/'], ['z'], ['', { return: true }]]);
    expect(consoleModeLine(r.state)).toBe('z: not found');
  });

  it('l starts and stops logging to the path the app chooses', async () => {
    const c = new FakeControls();
    const messages: string[] = [];
    const opts = { logPath: () => '/logs/web1.log', onLogChange: (m: string) => messages.push(m) };
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['l']], opts);
    expect(consoleModeLine(r.state)).toBe('logging to /logs/web1.log');
    await new Promise((res) => setTimeout(res, 0));
    expect(c.loggingTo).toBe('/logs/web1.log');
    r = press(c, r.state, [['l']], opts);
    await new Promise((res) => setTimeout(res, 0));
    expect(c.loggingTo).toBeNull();
    expect(messages).toEqual(['logging web1 to /logs/web1.log', 'stopped logging web1 (/logs/web1.log)']);
    expect(consoleModeLine(press(c, r.state, [['l']]).state)).toBe('logging is not available here');
  });
});

describe('handleConsoleKey with typed-ahead runs', () => {
  it('takes a run of keys one by one outside live mode', () => {
    const c = new FakeControls();
    let r = press(c, LIVE_CONSOLE_INPUT, [['', { pageUp: true }], ['/panic\r']]);
    expect(r.state).toMatchObject({ mode: 'scrollback', query: 'panic' });
    expect(c.calls).toContain('find:panic:prev');
    r = press(c, r.state, [['nN']]);
    expect(c.calls.slice(-2)).toEqual(['find:panic:prev', 'find:panic:next']);
    // Esc back to live: the rest of the run goes to the guest
    r = press(c, r.state, [['q', {}], ['ls\r']]);
    expect(r.state.mode).toBe('live');
    expect(c.calls.at(-1)).toBe('key:ls\r');
    r = press(c, { mode: 'scrollback', query: '' }, [['jqab']]);
    expect(r.state.mode).toBe('live');
    expect(c.calls.at(-1)).toBe('key:ab');
  });
});
