// `kvmtui console NAME` in a real pseudo-terminal: typed keys reach the guest, its answer comes
// back, hostile output is filtered, and Ctrl-] leaves with exit 0 while the domain keeps running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { requireGuest, GUEST_BANNER } from '../helpers/guest.js';
import { CLI, guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';
import { waitFor, waitForLog } from '../helpers/serial.js';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';

describe('kvmtui console', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempHome();
    const g = requireGuest();
    await writeFile(join(home, 'c1.xml'), guestXml('c1', g.kernel, g.initrd, undefined, '52:54:00:00:02:01'));
    expect((await kvmtui(home, ['define', join(home, 'c1.xml')])).code).toBe(0);
    expect((await kvmtui(home, ['start', 'c1'])).code).toBe(0);
    const ep = await createLocalDriver({ home }).consoleEndpoint('c1');
    if (ep.kind === 'unix') await waitForLog(ep.logPath!, GUEST_BANNER);
  }, 120_000);
  afterAll(async () => {
    await removeHome(home);
  });

  it('attaches, runs a command, filters a title change, and leaves with Ctrl-]', async () => {
    const term = pty.spawn(process.execPath, [CLI, 'console', 'c1'], {
      name: 'xterm',
      cols: 100,
      rows: 30,
      env: { ...process.env, KVMTUI_HOME: home } as Record<string, string>,
    });
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    try {
      await waitFor('the escape hint', async () => out.includes('Escape character is ^]'), 10_000);
      term.write('\r');
      // the guest prints an OSC title sequence; the operator's terminal must not receive it
      term.write("printf '\\033]0;owned\\007'; echo token-$((40+2))\r");
      await waitFor('the echoed token', async () => out.includes('token-42'), 20_000);
      expect(out).not.toContain('\x1b]0;owned');
      term.write('\x1d');
      expect(await exited).toBe(0);
    } finally {
      try {
        term.kill();
      } catch {
        /* already gone */
      }
    }
    const list = JSON.parse((await kvmtui(home, ['list', '--json'])).stdout) as { name: string; state: string }[];
    expect(list.find((d) => d.name === 'c1')?.state).toBe('running');
  }, 60_000);
});
