// Issue 3: the TUI through a real pseudo-terminal, the real local driver, real QEMU and the real
// test guest. Start a domain with `s`, see it running, shut it down with `S`, see it off, quit
// with `q`, and check that a domain left running is still alive afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openTui, type TuiScreen } from '../../scripts/tui-pty.mjs';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';
import { guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { waitForLog } from '../helpers/serial.js';

interface Listed {
  name: string;
  state: string;
  pid?: number;
}

async function listAll(home: string): Promise<Listed[]> {
  const r = await kvmtui(home, ['list', '--all', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

async function define(home: string, name: string, mac: string): Promise<void> {
  const g = requireGuest();
  const file = join(home, `${name}.xml`);
  await writeFile(file, guestXml(name, g.kernel, g.initrd, undefined, mac));
  const r = await kvmtui(home, ['define', file]);
  expect(r.code, r.stderr).toBe(0);
}

async function bannerSeen(home: string, name: string): Promise<void> {
  const driver = createLocalDriver({ home });
  try {
    const ep = await driver.consoleEndpoint(name);
    if (ep.kind !== 'unix' || !ep.logPath) throw new Error('expected a console log');
    // acpid runs once the banner is out: only then does the ACPI power button do anything
    await waitForLog(ep.logPath, GUEST_BANNER);
  } finally {
    await driver.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the TUI in a real terminal', () => {
  let home: string;
  let tui: TuiScreen | undefined;

  beforeAll(async () => {
    home = await tempHome();
    await define(home, 'tui-a', '52:54:00:00:03:01');
    await define(home, 'tui-b', '52:54:00:00:03:02');
    const r = await kvmtui(home, ['start', 'tui-b']);
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    tui?.kill();
    await removeHome(home);
  });

  it('starts with s, shuts down with S, quits with q and leaves the other domain running', async () => {
    tui = openTui({ env: { KVMTUI_HOME: home }, cols: 120, rows: 35 });
    await tui.waitFor(() => /■ shutoff/.test(tui!.row('tui-a') ?? '') && /▶ running/.test(tui!.row('tui-b') ?? ''));
    // the full screen is in use: the footer sits on the last row
    expect(tui.lines()[34]).toMatch(/\? help\s+q quit$/);
    expect(tui.row('tui-a')?.startsWith('>')).toBe(true);

    tui.write('s');
    await tui.waitFor(() => /▶ running/.test(tui!.row('tui-a') ?? ''), 60_000);
    // the start call returns once QEMU runs the guest; the row may say so a moment earlier
    await tui.waitFor('started tui-a');
    await bannerSeen(home, 'tui-a');

    tui.write('S');
    await tui.waitFor(() => /■ shutoff/.test(tui!.row('tui-a') ?? ''), 60_000);
    expect(tui.text()).toContain('shutdown requested (ACPI) for tui-a');

    const before = (await listAll(home)).find((d) => d.name === 'tui-b');
    expect(before?.state).toBe('running');
    tui.write('q');
    const exit = await tui.exited;
    expect(exit.exitCode).toBe(0);
    await tui.drain();
    // the alternate screen is gone: the operator's shell screen is back
    expect(tui.term.buffer.active.type).toBe('normal');

    const after = await listAll(home);
    expect(after.find((d) => d.name === 'tui-a')?.state).toBe('shutoff');
    const b = after.find((d) => d.name === 'tui-b');
    expect(b?.state).toBe('running');
    expect(b?.pid).toBe(before?.pid);
    expect(alive(b!.pid!)).toBe(true);
  }, 180_000);

  it('gives the terminal back on SIGTERM and SIGHUP, domains untouched', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      tui = openTui({ env: { KVMTUI_HOME: home }, cols: 80, rows: 24 });
      await tui.waitFor(() => /▶ running/.test(tui!.row('tui-b') ?? ''));
      expect(tui.term.buffer.active.type).toBe('alternate');
      tui.pty.kill(signal);
      const exit = await tui.exited;
      await tui.drain();
      expect(exit.exitCode, signal).toBe(signal === 'SIGTERM' ? 143 : 129);
      expect(tui.term.buffer.active.type).toBe('normal');
    }
    expect((await listAll(home)).find((d) => d.name === 'tui-b')?.state).toBe('running');
  }, 60_000);
});
