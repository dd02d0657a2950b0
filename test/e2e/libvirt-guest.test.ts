// The libvirt driver with the real test guest under a real (private) libvirtd: the serial console
// through `virsh console` in a pty, ACPI shutdown, live disk and NIC changes, undefine of a running
// domain (virsh semantics: it turns transient), and libvirt's events on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import type { DriverEvent } from '../../src/driver/driver.js';
import { createLibvirtDriver, type LibvirtDriver } from '../../src/driver/libvirt/libvirt-driver.js';
import { requireGuest } from '../helpers/guest.js';
import { guestXml } from '../helpers/cli.js';
import { waitFor } from '../helpers/serial.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../helpers/libvirtd.js';

describe('libvirt driver with the real test guest', () => {
  let daemon: PrivateLibvirtd;
  let driver: LibvirtDriver;
  const events: DriverEvent[] = [];

  beforeAll(async () => {
    daemon = await startPrivateLibvirtd();
    driver = createLibvirtDriver({ uri: daemon.uri });
    driver.subscribe((e) => events.push(e));
    const g = requireGuest();
    await driver.defineXml(guestXml('lg1', g.kernel, g.initrd, undefined, '52:54:00:c1:00:01'));
    await driver.start('lg1');
  }, 60_000);

  afterAll(async () => {
    await driver?.close();
    await daemon?.stop();
  });

  const stateOf = async (name: string) => (await driver.listDomains()).find((d) => d.name === name);

  it('serial console: `virsh console` in a pty runs a command in the guest; Ctrl-] leaves it running', async () => {
    const ep = await driver.consoleEndpoint('lg1');
    if (ep.kind !== 'command') throw new Error('expected a command endpoint');
    const term = pty.spawn(ep.file, ep.args, { name: 'xterm', cols: 100, rows: 30, env: { ...process.env, LC_ALL: 'C' } as Record<string, string> });
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    try {
      await waitFor('the escape hint', async () => out.includes('Escape character is ^]'), 10_000);
      // the guest may still be booting: ask until its shell answers
      await waitFor('the echoed answer', async () => {
        term.write('echo answer-$((6*7))\r');
        await new Promise((r) => setTimeout(r, 500));
        return out.includes('answer-42');
      }, 40_000, 0);
      term.write('\x1d');
      expect(await exited).toBe(0);
    } finally {
      try {
        term.kill();
      } catch {
        /* already gone */
      }
    }
    expect((await stateOf('lg1'))?.state).toBe('running');
  }, 60_000);

  it('hot-plugs a disk and a NIC, resizes the disk, sets the link, and takes them out again', async () => {
    const img = join(daemon.dir, 'lg1-disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', img, String(32 << 20)]);
    const both = { live: true, config: true };
    // no target named: the first free virtio one (the guest has no disk: vda); format from the image
    await driver.attachDisk('lg1', { source: img }, both);
    const withDisk = await driver.getDomain('lg1');
    expect(withDisk.config.disks.find((d) => d.source === img)).toMatchObject({ target: 'vda', format: 'qcow2', bus: 'virtio' });
    expect((await driver.stats('lg1')).disks.map((d) => d.target)).toContain('vda');

    await driver.blockResize('lg1', 'vda', 64 << 20);
    const grown = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', img], { encoding: 'utf8' })) as { 'virtual-size': number };
    expect(grown['virtual-size']).toBe(64 << 20);
    await expect(driver.blockResize('lg1', 'vda', 16 << 20)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });

    const { mac } = await driver.attachInterface('lg1', { type: 'user', model: 'virtio' }, both);
    await waitFor('the new NIC in stats', async () => (await driver.stats('lg1')).nics.some((n) => n.mac === mac), 10_000);
    await driver.setLink('lg1', mac, 'down', both);
    const nic = (await driver.getDomain('lg1')).config.interfaces.find((i) => i.mac === mac);
    expect(nic?.linkState).toBe('down');

    await driver.detachInterface('lg1', mac, { live: false, config: true });
    await driver.detachDisk('lg1', 'vda', { live: false, config: true });
    const after = await driver.getDomain('lg1');
    expect(after.config.disks).toEqual([]);
    expect(after.config.interfaces.map((i) => i.mac)).toEqual(['52:54:00:c1:00:01']);
    expect(events.some((e) => e.kind === 'qmp' && e.name === 'lg1' && e.event === 'DEVICE_ADDED')).toBe(true);
    await expect(driver.addPortForward('lg1', mac, { protocol: 'tcp', hostPort: 2222, guestPort: 22 }, both)).rejects.toMatchObject({
      code: 'NOT_SUPPORTED_BY_DRIVER',
    });
  }, 60_000);

  it('shuts the guest down through ACPI', async () => {
    // the guest's acpid may not be up yet on a slow host: press the button until it goes
    await waitFor('lg1 shut off', async () => {
      const s = await stateOf('lg1');
      if (s?.state === 'shutoff') return s;
      if (s?.state === 'running') await driver.shutdown('lg1').catch(() => {});
      await new Promise((r) => setTimeout(r, 1500));
      return undefined;
    }, 40_000, 0);
    expect((await stateOf('lg1'))?.reason).toBe('shutdown');
    const lg1 = events.filter((e): e is Extract<DriverEvent, { kind: 'state' }> => e.kind === 'state' && e.name === 'lg1');
    expect(lg1.map((e) => e.state)).toContain('shutting down');
    expect(lg1.at(-1)).toMatchObject({ state: 'shutoff', reason: 'shutdown' });
  }, 60_000);

  it('undefine of a running domain leaves it running as a transient domain until it stops', async () => {
    await driver.start('lg1');
    await driver.undefine('lg1');
    const t = await stateOf('lg1');
    expect(t).toMatchObject({ state: 'running', persistent: false });
    await driver.destroy('lg1');
    await waitFor('lg1 gone', async () => !(await stateOf('lg1')), 10_000);
    expect(existsSync(join(daemon.dir, 'run', 'qemu', 'lg1.pid'))).toBe(false);
  }, 30_000);
});
