// The console session against the real test guest under QEMU (TCG): attach after boot, the boot
// banner is in the scrollback (from the chardev log), typed commands run and their output is
// rendered, the shell's cursor position queries are answered, a guest reboot keeps the session,
// QEMU exiting shows a line, and a new QEMU on the same socket is reattached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleSession, lineText, type ConsoleSession } from '../../src/console/index.js';
import { GUEST_BANNER, GUEST_MEMORY_MB, requireGuest } from '../helpers/guest.js';
import { waitFor, waitForLog } from '../helpers/serial.js';

const dir = mkdtempSync(join(tmpdir(), 'kt-'));
const socketPath = join(dir, 's.sock');
const logPath = join(dir, 'console.log');
const running: ChildProcess[] = [];
let session: ConsoleSession | null = null;

function startQemu(): ChildProcess {
  const guest = requireGuest();
  const proc = spawn(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg', '-m', String(GUEST_MEMORY_MB), '-display', 'none', '-nodefaults', '-no-user-config',
      '-chardev', `socket,id=s0,path=${socketPath},server=on,wait=off,logfile=${logPath},logappend=on`,
      '-serial', 'chardev:s0',
      '-kernel', guest.kernel, '-initrd', guest.initrd, '-append', 'console=ttyS0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.push(proc);
  return proc;
}

async function stopQemu(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

function count(hay: string, needle: string): number {
  return hay.split(needle).length - 1;
}

async function screen(s: ConsoleSession): Promise<string[]> {
  return (await s.settle()).lines.map(lineText);
}

/** Type like an operator: one Ink key event per character, then Enter. */
function type(s: ConsoleSession, text: string): void {
  for (const ch of text) expect(s.sendKey(ch, {})).toBe(true);
  expect(s.sendKey('', { return: true })).toBe(true);
}

beforeAll(async () => {
  startQemu();
  await waitForLog(logPath, GUEST_BANNER, 90_000);
}, 120_000);

afterAll(async () => {
  await session?.close();
  for (const p of running) await stopQemu(p);
  rmSync(dir, { recursive: true, force: true });
});

describe('console session with the test guest', () => {
  it('attaches after boot with the banner in the scrollback and runs a typed command', async () => {
    // the prompt is printed after the banner; wait for it so the shell reads our keys
    await waitForLog(logPath, '# ', 30_000);
    session = createConsoleSession({
      name: 'guest',
      getEndpoint: async () => ({ kind: 'unix', socketPath, logPath }),
      cols: 100,
      rows: 30,
      reconnectMs: 200,
    });
    await session.open();
    expect(session.currentStatus).toBe('connected');
    await session.settle();
    expect(session.bufferText()).toContain(GUEST_BANNER);

    const token = `TOKEN${process.pid}x${Date.now() % 100000}`;
    type(session, `echo ${token}`);
    const s = session;
    const lines = await waitFor('the echoed token on screen', async () => {
      const l = await screen(s);
      return l.includes(token) ? l : undefined;
    }, 30_000, 100);
    // the command line itself is clean: the cursor position answers did not leak into the input
    const cmd = lines.find((l) => l.endsWith(`echo ${token}`));
    expect(cmd).toMatch(/^root@kvmtui-guest:~# echo TOKEN/);
    expect(lines.join('\n')).not.toMatch(/\d+;\d+R/);
  }, 60_000);

  it('answers a cursor position query from the guest, as a terminal does', async () => {
    const s = session!;
    // the guest puts its tty in raw-ish mode first (as full-screen programs do), then asks;
    // `read` takes the reply our emulator sends back, exactly as from a real terminal
    type(s, "stty -echo -icanon; printf '\\033[6n'; read -t 5 -d R pos; stty sane; echo \"got:${pos#*\\[}\"");
    let lines: string[] = [];
    await waitFor('the cursor position reply', async () => {
      lines = await screen(s);
      return lines.some((x) => /^got:\d+;\d+$/.test(x)) || undefined;
    }, 30_000, 100).catch(() => {});
    expect(lines.find((x) => x.startsWith('got:'))).toMatch(/^got:\d+;1$/);
  }, 60_000);

  it('keeps the session through a guest reboot', async () => {
    const s = session!;
    const before = count(readFileSync(logPath, 'latin1'), GUEST_BANNER);
    type(s, 'reboot -f');
    await waitFor('the banner after reboot', async () => count(s.bufferText(), GUEST_BANNER) > before || undefined, 90_000, 250);
    expect(s.currentStatus).toBe('connected');
    await waitFor('the prompt after reboot', async () => /# $/.test(readFileSync(logPath, 'latin1').replace(/\x1b\[6n/g, '')) || undefined, 30_000, 250);
    const token = `AFTERREBOOT${Date.now() % 100000}`;
    type(s, `echo ${token}`);
    await waitFor('the token after reboot', async () => (await screen(s)).includes(token) || undefined, 30_000, 100);
  }, 150_000);

  it('shows a line when QEMU exits and reattaches to a new QEMU with what it printed meanwhile', async () => {
    const s = session!;
    await stopQemu(running[0]);
    await waitFor('the stop line', async () => s.bufferText().includes('console closed') || undefined, 10_000, 100);
    expect(s.currentStatus).toBe('disconnected');
    const bannersBefore = count(s.bufferText(), GUEST_BANNER);

    startQemu();
    await waitFor('reattached', async () => s.currentStatus === 'connected' || undefined, 30_000, 100);
    await waitFor('the new banner', async () => count(s.bufferText(), GUEST_BANNER) === bannersBefore + 1 || undefined, 90_000, 250);
    const text = s.bufferText();
    expect(text.lastIndexOf('console closed')).toBeLessThan(text.lastIndexOf(GUEST_BANNER));
    // every boot's banner once: the log holds them all and the session showed each once
    expect(count(text, GUEST_BANNER)).toBe(count(readFileSync(logPath, 'latin1'), GUEST_BANNER));
  }, 150_000);
});
