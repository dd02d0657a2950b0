// Issue 5 end to end: the real TUI in a real pseudo-terminal, the real local driver and the test
// guest under QEMU. The console is opened with `c` after the guest has booted; the boot banner
// is in the scrollback; a typed `echo` with a unique token comes back in the pane; PageUp and
// search move through the scrollback; Ctrl-] returns the keys to the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openTui, type TuiScreen } from '../../scripts/tui-pty.mjs';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';
import { guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { waitForLog } from '../helpers/serial.js';

const NAME = 'con-a';

/** The text inside the pane's borders on each row (the pane may sit beside the list). */
function paneCells(lines: string[]): string[] {
  return lines.flatMap((l) => l.split('│').map((s) => s.trim()));
}

async function waitForPrompt(home: string): Promise<void> {
  const driver = createLocalDriver({ home });
  try {
    const ep = await driver.consoleEndpoint(NAME);
    if (ep.kind !== 'unix' || !ep.logPath) throw new Error('expected a console log');
    await waitForLog(ep.logPath, GUEST_BANNER);
    await waitForLog(ep.logPath, '# ');
  } finally {
    await driver.close();
  }
}

describe('the console pane in the real TUI', () => {
  let home: string;
  let tui: TuiScreen | undefined;

  beforeAll(async () => {
    home = await tempHome();
    const g = requireGuest();
    const file = join(home, `${NAME}.xml`);
    await writeFile(file, guestXml(NAME, g.kernel, g.initrd, undefined, '52:54:00:00:05:01'));
    expect((await kvmtui(home, ['define', file])).code).toBe(0);
    const r = await kvmtui(home, ['start', NAME]);
    expect(r.code, r.stderr).toBe(0);
    await waitForPrompt(home);
  }, 150_000);

  afterAll(async () => {
    tui?.kill();
    await removeHome(home);
  });

  it('opens with c after boot, shows the banner, runs a typed echo, scrolls back and searches, and Ctrl-] goes back', async () => {
    tui = openTui({ env: { KVMTUI_HOME: home }, cols: 120, rows: 35 });
    const t = tui;
    await t.waitFor(() => /▶ running/.test(t.row(NAME) ?? ''), 30_000);
    t.write('c');
    await t.waitFor(`${NAME} — serial console`, 15_000);

    // the banner was printed before the pane existed: it comes from the console log
    await t.waitFor(GUEST_BANNER, 10_000);

    const token = `KT${process.pid}Z${Date.now() % 100000}`;
    t.write(`echo ${token}\r`);
    await t.waitFor(() => paneCells(t.lines()).includes(token), 30_000);
    // the command line came back clean (no cursor-position answers typed into it)
    expect(paneCells(t.lines()).some((c) => /# echo KT\d+Z\d+$/.test(c))).toBe(true);

    // push the banner off the pane, then page back to it through the scrollback
    t.write('i=0; while [ $i -lt 60 ]; do echo row$i; i=$((i+1)); done\r');
    await t.waitFor(() => paneCells(t.lines()).includes('row59'), 30_000);
    expect(t.text()).not.toContain(GUEST_BANNER);
    for (let i = 0; i < 30 && !t.text().includes(GUEST_BANNER); i++) {
      t.write('\x1b[5~'); // PageUp
      await new Promise((r) => setTimeout(r, 150));
      await t.drain();
    }
    expect(t.text()).toContain(GUEST_BANNER);
    expect(t.text()).toMatch(/SCROLLBACK/);
    t.write('\x1b'); // Esc: back to live output
    await t.waitFor((s) => !/SCROLLBACK/.test(s) && s.includes('row59'), 5000);

    // search the scrollback for the token's command line
    t.write('\x1b[5~');
    await t.waitFor(/SCROLLBACK/, 5000);
    // typed ahead in one go, as a fast typist or a paste would
    t.write(`/echo ${token}\r`);
    await t.waitFor(() => paneCells(t.lines()).some((c) => c.endsWith(`# echo ${token}`)), 10_000);
    expect(t.text()).not.toContain('row59');
    t.write('\x1b');
    await t.waitFor((s) => s.includes('row59'), 5000);

    t.write('\x1d'); // Ctrl-]
    // keys go to the list again: `j`/`k` move, `?` opens help (it would go to the guest otherwise)
    t.write('?');
    await t.waitFor(/help/i, 10_000);
    t.write('\x1b');
    await t.waitFor(() => (t.row(NAME) ?? '').length > 0, 10_000);
    // the `?` went to the app, not to the guest's prompt
    expect(paneCells(t.lines()).some((c) => /# \?$/.test(c))).toBe(false);

    t.write('q');
    expect((await t.exited).exitCode).toBe(0);
  }, 120_000);
});
