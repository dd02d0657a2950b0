// `e` in the TUI (virsh edit) through a real pseudo-terminal: the TUI hands the terminal to
// $EDITOR (sed standing in for the operator), takes it back, defines the result and shows it.
// Needs `kvmtui` (src/cli.tsx) to pass runTui an editXml; no QEMU is started.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openTui, type TuiScreen } from '../../scripts/tui-pty.mjs';
import { guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';
import { requireGuest } from '../helpers/guest.js';

describe('editing the XML from the TUI', () => {
  let home: string;
  let tui: TuiScreen | undefined;

  beforeAll(async () => {
    home = await tempHome();
    const g = requireGuest();
    await writeFile(join(home, 'te1.xml'), guestXml('te1', g.kernel, g.initrd, undefined, '52:54:00:00:05:01'));
    const r = await kvmtui(home, ['define', join(home, 'te1.xml')]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterEach(() => {
    tui?.kill();
    tui = undefined;
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('e runs $EDITOR on the XML, defines the result and the detail view shows it', async () => {
    tui = openTui({ env: { KVMTUI_HOME: home, EDITOR: 'sed -i s|<vcpu>1</vcpu>|<vcpu>2</vcpu>|' }, cols: 120, rows: 35 });
    await tui.waitFor(() => /■ shutoff/.test(tui!.row('te1') ?? ''));
    tui.write('\r');
    await tui.waitFor(/vCPUs\s+1\b/);
    tui.write('e');
    await tui.waitFor(/vCPUs\s+2\b/);
    const text = await tui.waitFor('te1: XML configuration edited');
    // the whole screen is back: header on top, footer on the last row
    expect(tui.lines()[34]).toMatch(/\? help\s+q quit$/);
    expect(text).toMatch(/Disks \(\d+\)/);
    tui.write('v');
    await tui.waitFor('<vcpu>2</vcpu>');
    tui.write('q');
    const exit = await tui.exited;
    expect(exit.exitCode).toBe(0);
    expect((await kvmtui(home, ['dumpxml', 'te1'])).stdout).toContain('<vcpu>2</vcpu>');
  });

  it('a rename is refused, nothing changes, and the TUI keeps working', async () => {
    tui = openTui({ env: { KVMTUI_HOME: home, VISUAL: 'sed -i s|<name>te1</name>|<name>te9</name>|' }, cols: 120, rows: 35 });
    await tui.waitFor(() => /■ shutoff/.test(tui!.row('te1') ?? ''));
    tui.write('e');
    await tui.waitFor('edit cannot rename a domain');
    expect(tui.row('te9')).toBeUndefined();
    tui.write('\r');
    await tui.waitFor(/vCPUs\s+\d/);
    tui.write('q');
    expect((await tui.exited).exitCode).toBe(0);
    const list = await kvmtui(home, ['list', '--all', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((d) => d.name)).toEqual(['te1']);
  });

  it('keys typed into an interactive editor reach the editor, not the TUI; the TUI has them again after', async () => {
    // an "editor" that asks on the terminal: nothing in kvmtui may read that line
    const editor = join(home, 'ask-vcpus.sh');
    await writeFile(editor, '#!/bin/sh\nprintf "vcpus? "\nread n\nsed -i "s|<vcpu>[0-9]*</vcpu>|<vcpu>$n</vcpu>|" "$1"\n');
    await chmod(editor, 0o755);
    tui = openTui({ env: { KVMTUI_HOME: home, EDITOR: editor }, cols: 100, rows: 30 });
    await tui.waitFor(() => /■ shutoff/.test(tui!.row('te1') ?? ''));
    tui.write('\r');
    await tui.waitFor(/vCPUs\s+\d/);
    tui.write('e');
    await tui.waitFor('vcpus?');
    // the normal screen, cursor and echo: the TUI left the alternate screen
    expect(tui.text()).not.toContain('Recent events');
    tui.write('3');
    await tui.waitFor('vcpus? 3');
    tui.write('\r');
    await tui.waitFor(/vCPUs\s+3\b/);
    tui.write('v');
    await tui.waitFor('<vcpu>3</vcpu>');
    tui.write('q');
    expect((await tui.exited).exitCode).toBe(0);
  });
});
