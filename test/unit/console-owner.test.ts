// One console session per domain, as virsh: `kvmtui console` refuses a socket the TUI's pane
// holds (or takes it over with --force), the pane lets go when taken over and shows the other
// session's output from the log meanwhile, and waits while another console holds it.
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSession, type ConsoleSession } from '../../src/console/index.js';
import { claimOwner, ownerPath, readOwner, releaseOwner } from '../../src/console/console-owner.js';
import { attachRawConsole } from '../../src/console/raw-attach.js';
import { existsSync } from 'node:fs';
import { FakeSerial, until } from './console-fake-serial.js';

let serial: FakeSerial;
let session: ConsoleSession | null;
/** a live process that is not this one: the test runner's parent */
const OTHER = process.ppid;

beforeEach(async () => {
  serial = new FakeSerial();
  await serial.start();
  session = null;
});

afterEach(async () => {
  await session?.close();
  await serial.dispose();
});

function open(): ConsoleSession {
  session = createConsoleSession({ name: 'web1', getEndpoint: async () => serial.endpoint(), cols: 60, rows: 10, frameMs: 10, reconnectMs: 50 });
  return session;
}

const flat = (s: ConsoleSession) => s.bufferText().replace(/\n/g, '');

describe('console owner file', () => {
  it('records the holder, ignores a dead one, and is removed only by its owner', () => {
    claimOwner(serial.socketPath, 'tui', OTHER);
    expect(readOwner(serial.socketPath)).toMatchObject({ pid: OTHER, kind: 'tui' });
    releaseOwner(serial.socketPath); // not ours: stays
    expect(existsSync(ownerPath(serial.socketPath))).toBe(true);
    releaseOwner(serial.socketPath, OTHER);
    expect(existsSync(ownerPath(serial.socketPath))).toBe(false);
    claimOwner(serial.socketPath, 'cli', 2 ** 22 + 12345); // beyond pid_max: no such process
    expect(readOwner(serial.socketPath)).toBeNull();
  });
});

describe('the TUI pane and another console', () => {
  it('the pane claims the socket while attached and gives it back when closed', async () => {
    const s = open();
    await s.open();
    expect(readOwner(serial.socketPath)).toMatchObject({ pid: process.pid, kind: 'tui' });
    await s.close();
    expect(readOwner(serial.socketPath)).toBeNull();
    await until(() => !serial.connected);
  });

  it('`kvmtui console` refuses a console the pane holds, as virsh does, and names the holder', async () => {
    claimOwner(serial.socketPath, 'tui', OTHER);
    const stdin = new PassThrough();
    await expect(attachRawConsole(serial.endpoint(), stdin, new PassThrough())).rejects.toThrow(
      new RegExp(`Active console session exists for this domain: the kvmtui TUI \\(pid ${OTHER}\\).*--force`),
    );
    expect(serial.connected).toBe(false);
  });

  it('--force takes the console from the pane: the pane lets go, says so, and shows the output from the log', async () => {
    serial.print('booted\r\n');
    // the pane plays another process than the CLI (in real life: the TUI's and the CLI's pids)
    session = createConsoleSession({ name: 'web1', getEndpoint: async () => serial.endpoint(), cols: 60, rows: 10, frameMs: 10, reconnectMs: 50, pid: OTHER });
    const s = session;
    await s.open();
    await until(() => serial.connected && s.bufferText().includes('booted'));
    const stdin = new PassThrough();
    const out = new PassThrough();
    let shown = '';
    out.on('data', (d: Buffer) => (shown += d.toString()));
    // the pane holds the socket, so the CLI's connection waits until the pane lets go
    const cli = attachRawConsole(serial.endpoint(), stdin, out, { force: true });
    await until(() => flat(s).includes('console taken over by kvmtui console'));
    expect(s.currentStatus).toBe('disconnected');
    expect(s.snapshot().message).toMatch(/in use by kvmtui console .*keys are not sent/);
    expect(s.write('x')).toBe(false);
    await until(() => serial.connected);
    serial.print('typed by the cli\r\n');
    await until(() => shown.includes('typed by the cli'));
    // the pane follows the log meanwhile
    await until(() => s.bufferText().includes('typed by the cli'));
    stdin.write(Buffer.from([0x1d])); // Ctrl-] leaves the CLI
    await cli;
    // the owner file is free again: the pane attaches once more
    await until(() => s.currentStatus === 'connected', 5000);
    expect(readOwner(serial.socketPath)).toMatchObject({ pid: OTHER, kind: 'tui' });
    serial.print('pane again\r\n');
    await until(() => s.bufferText().includes('pane again'));
    expect(s.bufferText().split('pane again').length).toBe(2);
  });

  it('waits while another console holds the socket, showing its output, then attaches', async () => {
    claimOwner(serial.socketPath, 'cli', OTHER);
    serial.printLogOnly('from the other session\r\n');
    const s = open();
    await s.open();
    expect(s.currentStatus).toBe('disconnected');
    expect(s.snapshot().message).toMatch(new RegExp(`in use by kvmtui console \\(pid ${OTHER}\\)`));
    await until(() => s.bufferText().includes('from the other session'));
    expect(serial.connected).toBe(false);
    releaseOwner(serial.socketPath, OTHER);
    await until(() => s.currentStatus === 'connected', 5000);
    expect(s.write('hi')).toBe(true);
    await serial.waitFor(() => serial.received.toString().includes('hi'));
    expect(s.bufferText().split('from the other session').length).toBe(2);
  });

  it('skips ahead with a notice when a followed log runs far ahead of the emulator', async () => {
    claimOwner(serial.socketPath, 'cli', OTHER);
    session = createConsoleSession({
      name: 'web1',
      getEndpoint: async () => serial.endpoint(),
      cols: 40,
      rows: 10,
      frameMs: 10,
      reconnectMs: 60_000,
      maxBacklogBytes: 64 * 1024,
      chunkBytes: 4096,
      scrollback: 2000,
    });
    const s = session;
    await s.open();
    let text = '';
    for (let i = 0; i < 20000; i++) text += `flood ${i}\r\n`;
    serial.printLogOnly(text + 'the end\r\n');
    await until(() => s.bufferText().includes('the end'));
    expect(flat(s)).toContain('output too fast, skipped');
    const snap = await s.settle();
    expect(snap.bytesSkipped).toBeGreaterThan(0);
    expect(snap.bytesIn).toBeLessThan(Buffer.byteLength(text));
  });
});
