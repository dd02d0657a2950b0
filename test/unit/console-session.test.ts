import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleSession, createConsoleSession, lineText, type ConsoleSessionOptions } from '../../src/console/index.js';
import { FakeSerial, until } from './console-fake-serial.js';

let serial: FakeSerial;
let session: ConsoleSession | null;

beforeEach(async () => {
  serial = new FakeSerial();
  await serial.start();
  session = null;
});

afterEach(async () => {
  await session?.close();
  await serial.dispose();
});

function open(opts: Partial<ConsoleSessionOptions> = {}, withLog = true): ConsoleSession {
  session = createConsoleSession({
    name: 'web1',
    getEndpoint: async () => serial.endpoint(withLog),
    cols: 40,
    rows: 10,
    frameMs: 10,
    reconnectMs: 50,
    ...opts,
  });
  return session;
}

function count(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

describe('ConsoleSession: log replay and live output', () => {
  it('shows what the guest printed before anyone attached, then live output', async () => {
    serial.print('early boot\r\nkvmtui-test-guest ready\r\n~ # ');
    const s = open();
    await s.open();
    expect(s.currentStatus).toBe('connected');
    await s.settle();
    expect(s.bufferText()).toContain('kvmtui-test-guest ready');
    serial.print('echo hi\r\nhi\r\n');
    await until(() => s.bufferText().includes('hi\n'));
    const snap = await s.settle();
    expect(snap.lines.map(lineText)).toContain('hi');
  });

  it('shows every byte once when the guest prints while the console attaches', async () => {
    // lines written around the attach: some only to the log (before QEMU accepted), some to both
    let n = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 20; i++) serial.print(`L${String(n++).padStart(5, '0')}\r\n`);
    }, 1);
    const s = open({ scrollback: 5000 });
    await s.open();
    await new Promise((r) => setTimeout(r, 100));
    clearInterval(writer);
    await until(async () => (await s.settle()).bytesIn === statSync(serial.logPath).size);
    const lines = s
      .bufferText()
      .split('\n')
      .filter((l) => l.startsWith('L'));
    expect(lines.length).toBe(n);
    lines.forEach((l, i) => expect(l).toBe(`L${String(i).padStart(5, '0')}`));
  });

  it('answers the cursor position query for live output but not during replay', async () => {
    serial.print('old prompt \x1b[6n\r\n');
    const s = open();
    await s.open();
    await s.settle();
    await new Promise((r) => setTimeout(r, 50));
    expect(serial.received.length).toBe(0);
    // clear the screen, home, print 3 chars and ask: the answer is row 1, column 4
    serial.print('\x1b[2J\x1b[Habc\x1b[6n');
    await serial.waitFor(() => serial.received.length > 0);
    expect(serial.received.toString('latin1')).toBe('\x1b[1;4R');
  });

  it('keeps memory bounded by the scrollback', async () => {
    const s = open({ scrollback: 100 });
    await s.open();
    let text = '';
    for (let i = 0; i < 2000; i++) text += `row ${i}\r\n`;
    serial.print(text);
    await until(() => s.bufferText().includes('row 1999'));
    const all = s.bufferText().split('\n');
    expect(all.length).toBeLessThanOrEqual(100 + 10);
    expect(all).not.toContain('row 0');
    const snap = await s.settle();
    expect(snap.scrollbackLines).toBeLessThanOrEqual(100);
  });

  it('replays only the tail of a very large log, from a line start', async () => {
    let text = '';
    for (let i = 0; i < 5000; i++) text += `entry ${i} ${'x'.repeat(50)}\r\n`;
    serial.print(text);
    const s = open({ replayBytes: 10_000 });
    await s.open();
    const snap = await s.settle();
    expect(snap.bytesIn).toBeLessThanOrEqual(10_000);
    expect(s.bufferText()).toContain('entry 4999');
    expect(s.bufferText()).not.toContain('entry 0 ');
    // the first replayed row is a whole line
    expect(s.bufferText().split('\n')[0]).toMatch(/^entry \d+ x+$/);
  });

  it('works from the socket alone when there is no log', async () => {
    const s = open({}, false);
    await s.open();
    await until(() => serial.connected);
    serial.print('socket only\r\n');
    await until(() => s.bufferText().includes('socket only'));
    serial.print('\x1b[2J\x1b[Hxy\x1b[6n');
    await serial.waitFor(() => serial.received.length > 0);
    expect(serial.received.toString('latin1')).toBe('\x1b[1;3R');
  });
});

describe('ConsoleSession: stop, restart, reattach', () => {
  it('shows a line when the domain stops and what was printed meanwhile after it restarts', async () => {
    serial.print('first boot\r\n');
    const s = open();
    await s.open();
    await until(() => s.bufferText().includes('first boot'));
    serial.print('going down\r\n');
    await serial.stop();
    await until(() => s.bufferText().includes('console closed'));
    expect(s.currentStatus).toBe('disconnected');
    const text = s.bufferText();
    expect(text.indexOf('going down')).toBeLessThan(text.indexOf('console closed'));
    expect(s.snapshot().message).toMatch(/stopped/);
    expect(s.write('x')).toBe(false);

    // a new QEMU run: the driver rotates the log; the guest prints before we reattach
    await serial.start({ rotate: true });
    serial.print('second boot\r\n');
    await until(() => s.currentStatus === 'connected', 5000);
    await until(() => s.bufferText().includes('second boot'));
    serial.print('after reattach\r\n');
    await until(() => s.bufferText().includes('after reattach'));
    const all = s.bufferText();
    expect(count(all, 'first boot')).toBe(1);
    expect(count(all, 'going down')).toBe(1);
    expect(count(all, 'second boot')).toBe(1);
    expect(all.indexOf('console closed')).toBeLessThan(all.indexOf('second boot'));
    expect(s.write('ok')).toBe(true);
    await serial.waitFor(() => serial.received.toString().includes('ok'));
  });

  it('continues the same log file at its offset when it was not rotated', async () => {
    serial.print('one\r\n');
    const s = open();
    await s.open();
    await until(() => s.bufferText().includes('one'));
    await serial.stop();
    await until(() => s.currentStatus === 'disconnected');
    serial.printLogOnly('printed while away\r\n');
    await serial.start();
    await until(() => s.bufferText().includes('printed while away'));
    expect(count(s.bufferText(), 'one\n')).toBe(1);
  });

  it('keeps retrying while the endpoint is unavailable', async () => {
    let available = false;
    session = createConsoleSession({
      name: 'db',
      getEndpoint: async () => {
        if (!available) throw new Error('db is not running');
        return serial.endpoint();
      },
      reconnectMs: 30,
      frameMs: 5,
    });
    await session.open();
    expect(session.currentStatus).toBe('disconnected');
    expect(session.snapshot().message).toBe('db is not running');
    available = true;
    await until(() => session!.currentStatus === 'connected');
  });
});

describe('ConsoleSession: keys, scrolling, search, logging', () => {
  it('writes typed keys to the guest', async () => {
    const s = open();
    await s.open();
    await until(() => serial.connected);
    s.sendKey('l', {});
    s.sendKey('s', {});
    s.sendKey('', { return: true });
    s.sendKey('', { upArrow: true });
    s.sendKey('c', { ctrl: true });
    s.sendKey('', { delete: true });
    await serial.waitFor(() => serial.received.length >= 8);
    expect(serial.received.toString('latin1')).toBe('ls\r\x1b[A\x03\x7f');
  });

  it('uses application cursor keys when the guest asks for them', async () => {
    const s = open();
    await s.open();
    serial.print('\x1b[?1h');
    await until(async () => (await s.settle()).bytesIn > 0);
    s.sendKey('', { upArrow: true });
    await serial.waitFor(() => serial.received.length >= 3);
    expect(serial.received.toString('latin1')).toBe('\x1bOA');
  });

  it('scrolls back by pages, holds the view while output arrives, snaps back on input', async () => {
    const s = open({ rows: 5 });
    await s.open();
    let text = '';
    for (let i = 0; i < 50; i++) text += `line ${i}\r\n`;
    serial.print(text);
    await until(() => s.bufferText().includes('line 49'));
    let snap = await s.settle();
    expect(snap.scrollOffset).toBe(0);
    s.scrollPages(-1);
    snap = await s.settle();
    expect(snap.scrollOffset).toBe(4);
    const held = snap.lines.map(lineText);
    serial.print('new 1\r\nnew 2\r\n');
    await until(() => s.bufferText().includes('new 2'));
    snap = await s.settle();
    expect(snap.lines.map(lineText)).toEqual(held);
    expect(snap.lines.every((l) => !l.some((sp) => sp.cursor))).toBe(true);
    s.scrollToTop();
    snap = await s.settle();
    expect(lineText(snap.lines[0])).toBe('line 0');
    s.write('x');
    snap = await s.settle();
    expect(snap.scrollOffset).toBe(0);
    expect(snap.lines.some((l) => l.some((sp) => sp.cursor))).toBe(true);
  });

  it('finds text in the scrollback and moves the view there', async () => {
    const s = open({ rows: 5 });
    await s.open();
    let text = '';
    for (let i = 0; i < 60; i++) text += i % 20 === 7 ? `needle at ${i}\r\n` : `hay ${i}\r\n`;
    serial.print(text);
    await until(() => s.bufferText().includes('hay 59'));
    expect(s.find('Needle', 'prev')).toBe(false); // smart case: a capital makes it exact
    expect(s.find('needle', 'prev')).toBe(true);
    let snap = await s.settle();
    let hit = snap.lines.find((l) => l.some((sp) => sp.match));
    expect(hit && lineText(hit)).toBe('needle at 47');
    expect(hit!.filter((sp) => sp.match).map((sp) => sp.text).join('')).toBe('needle');
    expect(s.find('needle', 'prev')).toBe(true);
    snap = await s.settle();
    hit = snap.lines.find((l) => l.some((sp) => sp.match));
    expect(hit && lineText(hit)).toBe('needle at 27');
    expect(s.find('needle', 'next')).toBe(true);
    snap = await s.settle();
    hit = snap.lines.find((l) => l.some((sp) => sp.match));
    expect(hit && lineText(hit)).toBe('needle at 47');
    expect(s.find('needle', 'next')).toBe(false);
    expect(snap.search).toEqual({ query: 'needle', found: true });
    // no newer match: the last one stays highlighted, and the snapshot says it was the end
    snap = await s.settle();
    expect(snap.search).toEqual({ query: 'needle', found: true, end: 'next' });
    hit = snap.lines.find((l) => l.some((sp) => sp.match));
    expect(hit && lineText(hit)).toBe('needle at 47');
    // the same past the oldest match
    expect(s.find('needle', 'prev')).toBe(true);
    expect(s.find('needle', 'prev')).toBe(true);
    expect(s.find('needle', 'prev')).toBe(false);
    snap = await s.settle();
    expect(snap.search).toEqual({ query: 'needle', found: true, end: 'prev' });
    hit = snap.lines.find((l) => l.some((sp) => sp.match));
    expect(hit && lineText(hit)).toBe('needle at 7');
    // a repeat that finds one again is no longer at the end
    expect(s.find('needle', 'next')).toBe(true);
    expect((await s.settle()).search).toEqual({ query: 'needle', found: true });
    expect(s.find('absent', 'prev')).toBe(false);
    expect((await s.settle()).search).toEqual({ query: 'absent', found: false });
    s.clearSearch();
    expect((await s.settle()).search).toBeUndefined();
  });

  it('logs the console to a private file as plain text, and stops', async () => {
    const s = open();
    await s.open();
    const file = join(serial.dir, 'web1.log');
    expect(await s.toggleLogging(file)).toBe(file);
    expect((await s.settle()).loggingTo).toBe(file);
    serial.print('\x1b[31mred\x1b[0m text\r\n\x1b]0;title\x07plain\r\n');
    await until(() => s.bufferText().includes('plain'));
    expect(await s.toggleLogging(file)).toBeNull();
    serial.print('not logged\r\n');
    await until(() => s.bufferText().includes('not logged'));
    expect(readFileSync(file, 'utf8')).toBe('red text\nplain\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await s.settle()).loggingTo).toBeUndefined();
  });

  it('resizes the emulator to the pane', async () => {
    const s = open();
    await s.open();
    s.resize(60, 7);
    const snap = await s.settle();
    expect(snap.cols).toBe(60);
    expect(snap.rows).toBe(7);
    expect(snap.lines.length).toBe(7);
  });

  it('runs a console program (as virsh console) on a pseudo-terminal: keys in, output out, a line when it ends', async () => {
    session = createConsoleSession({
      name: 'remote',
      // as `virsh console` needs: it refuses to run without a TTY
      getEndpoint: async () => ({ kind: 'command', file: 'sh', args: ['-c', 'test -t 0 && echo "tty ok"; read x; echo "got $x"'] }),
      cols: 40,
      rows: 10,
      frameMs: 10,
      reconnectMs: 60_000,
    });
    const s = session;
    await s.open();
    expect(s.currentStatus).toBe('connected');
    await until(() => s.bufferText().includes('tty ok'));
    expect(s.write('abc\r')).toBe(true);
    await until(() => s.bufferText().includes('got abc'));
    // the program ends: a clear line, and the session waits to attach again
    await until(() => s.bufferText().includes('console closed'));
    expect(s.bufferText().replace(/\n/g, '')).toMatch(/sh exited with code 0/);
    expect(s.currentStatus).toBe('disconnected');
  });
});

describe('ConsoleSession: output from the socket, not the log', () => {
  it("ignores the log's stray duplicates while attached (QEMU logs a retried byte twice)", async () => {
    serial.print('boot\r\n');
    const s = open();
    await s.open();
    await until(() => s.bufferText().includes('boot'));
    await new Promise((r) => setTimeout(r, 40));
    serial.printDiverging('69\r\n70\r\n71\r\n', '69\r\n770\r\n71\r\n');
    await until(() => s.bufferText().includes('71'));
    await s.settle();
    expect(s.bufferText()).toContain('\n70\n');
    expect(s.bufferText()).not.toContain('770');
  });

  it('a flood through the socket reaches the emulator whole, memory bounded by the scrollback', async () => {
    const s = open({ scrollback: 500 });
    await s.open();
    await until(() => serial.connected);
    let text = '';
    for (let i = 0; i < 60000; i++) text += `flood ${i}\r\n`;
    serial.print(text);
    serial.print('the end\r\n');
    await until(() => s.bufferText().includes('the end'), 20_000);
    const snap = await s.settle();
    expect(snap.bytesIn).toBe(Buffer.byteLength(text) + 'the end\r\n'.length);
    expect(s.bufferText().split('\n').length).toBeLessThanOrEqual(500 + 10);
  });
});

describe('ConsoleRegistry', () => {
  it('keeps one session per key, lists them, and closes them', async () => {
    const { createConsoleRegistry } = await import('../../src/console/index.js');
    const reg = createConsoleRegistry({ frameMs: 5, reconnectMs: 0 });
    let changes = 0;
    reg.subscribe(() => changes++);
    const a = reg.open('local/web1', 'web1', async () => serial.endpoint());
    expect(reg.open('local/web1', 'web1', async () => serial.endpoint())).toBe(a);
    const other = new FakeSerial();
    await other.start();
    try {
      const b = reg.open('local/db1', 'db1', async () => other.endpoint());
      expect(b).not.toBe(a);
      expect(reg.keys()).toEqual(['local/web1', 'local/db1']);
      await until(() => a.currentStatus === 'connected' && b.currentStatus === 'connected');
      await reg.close('local/web1');
      expect(a.currentStatus).toBe('closed');
      expect(reg.get('local/web1')).toBeUndefined();
      await reg.closeAll();
      expect(b.currentStatus).toBe('closed');
      expect(reg.keys()).toEqual([]);
      expect(changes).toBe(4);
    } finally {
      await other.dispose();
    }
  });
});
