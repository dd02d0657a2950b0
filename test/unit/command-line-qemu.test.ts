// Proof that the argv the builder writes is right: the fixtures' command lines start the
// installed qemu-system-x86_64 (daemonized, paused with -S) against images made by qemu-img,
// every QMP monitor answers, devices carry the documented ids, and the tiny guest, once
// continued, prints its banner into the serial log. Every QEMU started here is killed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/driver/exec.js';
import { buildQemuArgv, type QemuCommandLine } from '../../src/driver/qemu/command-line.js';
import { withQmp } from '../../src/driver/qemu/qmp-client.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { configOf, fixtureXml } from '../fixtures/argv/load.js';

let dir = '';
const pids: number[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killAll(): Promise<void> {
  for (const pid of pids.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kt-'));
  const images: Array<[string, string, string]> = [
    ['root.qcow2', 'qcow2', '64M'],
    ['install.iso', 'raw', '1M'],
    ['data.raw', 'raw', '16M'],
    ['scsi.qcow2', 'qcow2', '32M'],
    ['ide.raw', 'raw', '16M'],
  ];
  for (const [name, fmt, size] of images) await run('qemu-img', ['create', '-q', '-f', fmt, join(dir, name), size]);
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Builds the fixture's argv with runtime paths in the temp dir and starts QEMU paused. */
async function start(fixture: string, edit: (xml: string) => string = (x) => x): Promise<{ built: QemuCommandLine; qmp: string[]; log: string; rtDir: string }> {
  const guest = requireGuest();
  const rtDir = await mkdtemp(join(dir, 'r'));
  const qmp = [join(rtDir, 'qmp.sock'), join(rtDir, 'mon1.sock')];
  const config = configOf(edit(fixtureXml(fixture, { GUEST: dirname(guest.kernel), IMAGES: dir })));
  const built = buildQemuArgv(config, {
    qmpSockets: qmp,
    serialSocket: join(rtDir, 'serial.sock'),
    serialLog: join(rtDir, 'console.log'),
    pidFile: join(rtDir, 'qemu.pid'),
    runtimeDir: rtDir,
    accelOverride: 'tcg', // KVM here cannot boot a stock kernel (DESIGN.md)
    startPaused: true,
  });
  const r = await run('qemu-system-x86_64', built.args, { allowFailure: true, timeoutMs: 30_000 });
  expect(r.stderr, 'QEMU refused the command line').not.toMatch(/error/i);
  expect(r.exitCode).toBe(0);
  const pid = Number((await readFile(join(rtDir, 'qemu.pid'), 'utf8')).trim());
  expect(pid).toBeGreaterThan(0);
  pids.push(pid);
  return { built, qmp, log: join(rtDir, 'console.log'), rtDir };
}

describe('generated argv against the real QEMU', () => {
  it('q35 fixture: starts, both monitors answer, disks and buses carry the documented names', async () => {
    const { built, qmp } = await start('q35-disk-boot');
    for (const sock of qmp) {
      const status = await withQmp(sock, (c) => c.execute<{ status: string; running: boolean }>('query-status'));
      expect(status).toMatchObject({ status: 'prelaunch', running: false });
    }
    await withQmp(qmp[0], async (c) => {
      const nodes = await c.execute<Array<{ 'node-name': string; ro: boolean }>>('query-named-block-nodes', { flat: true });
      const names = nodes.map((n) => n['node-name']);
      for (const d of built.disks) if (d.nodeName) expect(names).toContain(d.nodeName);
      expect(nodes.find((n) => n['node-name'] === 'drive-sdd')?.ro).toBe(true);
      const peripherals = (await c.execute<Array<{ name: string }>>('qom-list', { path: '/machine/peripheral' })).map((p) => p.name);
      for (const id of ['disk-vda', 'disk-sda', 'disk-sdb', 'disk-sdc', 'disk-sdd', 'balloon0', 'serial0', 'channel0', 'pci.8']) expect(peripherals).toContain(id);
      // the empty CD-ROM is there with no medium
      const block = await c.execute<Array<{ qdev?: string; inserted?: unknown; tray_open?: boolean }>>('query-block');
      const empty = block.find((b) => b.qdev === 'disk-sdc' || b.qdev?.includes('/disk-sdc/'));
      expect(empty).toBeDefined();
      expect(empty!.inserted).toBeUndefined();
      for (const cmd of built.postStart) await c.execute(cmd.execute, cmd.arguments);
    });
  });

  it('dumpxml fixture: explicit PCI addresses hold, devices sit behind the root ports the XML names', async () => {
    const { qmp } = await start('dumpxml-q35');
    await withQmp(qmp[0], async (c) => {
      expect(await c.execute('query-status')).toMatchObject({ status: 'prelaunch' });
      // before the firmware numbers the buses, query-pci cannot see behind bridges: ask QOM
      const parents = new Map<string, string>();
      for (const id of ['disk-vda', 'net-5254006b3c58', 'usb', 'balloon0', 'pci.1', 'pci.5']) {
        const bus = await c.execute<string>('qom-get', { path: `/machine/peripheral/${id}`, property: 'parent_bus' });
        parents.set(id, bus.split('/').pop()!);
      }
      expect(Object.fromEntries(parents)).toEqual({
        'disk-vda': 'pci.3',
        'net-5254006b3c58': 'pci.1',
        usb: 'pci.2',
        balloon0: 'pci.4',
        'pci.1': 'pcie.0',
        'pci.5': 'pcie.0',
      });
    });
  });

  it('user-net fixture: starts, post-start commands apply, NICs carry MAC-derived ids', async () => {
    const { built, qmp } = await start('user-net');
    await withQmp(qmp[1], async (c) => {
      expect(await c.execute('query-status')).toMatchObject({ status: 'prelaunch' });
      for (const cmd of built.postStart) await c.execute(cmd.execute, cmd.arguments);
      const peripherals = (await c.execute<Array<{ name: string }>>('qom-list', { path: '/machine/peripheral' })).map((p) => p.name);
      for (const nic of built.nics) expect(peripherals).toContain(nic.deviceId);
      const mac = await c.execute<string>('qom-get', { path: '/machine/peripheral/net-525400abcdef', property: 'mac' });
      expect(mac).toBe('52:54:00:ab:cd:ef');
    });
  });

  it('virt-install SPICE desktop: starts, SPICE listens only on the unix socket, agent/redir/qxl/sound devices exist', async () => {
    const { built, qmp, rtDir } = await start('spice-desktop');
    expect(built.spiceSocket).toBe(join(rtDir, 'spice.sock'));
    await withQmp(qmp[0], async (c) => {
      expect(await c.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
      const spice = await c.execute<{ enabled: boolean; host?: string; port?: number; 'tls-port'?: number; auth?: string }>('query-spice');
      // the XML asked for 0.0.0.0 with autoport: it gets the private socket, no TCP port at all
      expect(spice).toMatchObject({ enabled: true, host: join(rtDir, 'spice.sock'), auth: 'none' });
      expect(spice.port).toBeUndefined();
      expect(spice['tls-port']).toBeUndefined();
      const peripherals = (await c.execute<Array<{ name: string }>>('qom-list', { path: '/machine/peripheral' })).map((p) => p.name);
      for (const id of ['channel0', 'channel1', 'redir0', 'redir1', 'video0', 'sound0', 'sound0-codec0', 'input0', 'usb']) expect(peripherals).toContain(id);
      expect(await c.execute('qom-get', { path: '/machine/peripheral/channel1', property: 'name' })).toBe('com.redhat.spice.0');
      expect(await c.execute('qom-get', { path: '/machine/peripheral/video0', property: 'vgamem_mb' })).toBe(16);
      const redirBus = await c.execute<string>('qom-get', { path: '/machine/peripheral/redir0', property: 'parent_bus' });
      expect(redirBus).toMatch(/\/usb\.0$/);
      const chardevs = (await c.execute<Array<{ label: string; filename: string }>>('query-chardev')).map((d) => d.label);
      for (const id of ['charchannel1', 'charredir0', 'charredir1']) expect(chardevs).toContain(id);
    });
  });

  it('SPICE with passwd: starts with ticketing on, the post-start set_password is accepted', async () => {
    const { built, qmp } = await start('spice-desktop', (x) => x.replace("autoport='yes'>", "autoport='yes' passwd='s3cret'>"));
    expect(built.postStart).toEqual([{ execute: 'set_password', arguments: { protocol: 'spice', password: 's3cret' } }]);
    await withQmp(qmp[0], async (c) => {
      expect(await c.execute('query-spice')).toMatchObject({ enabled: true, auth: 'spice' });
      for (const cmd of built.postStart) await c.execute(cmd.execute, cmd.arguments);
    });
  });

  it('tiny direct-kernel fixture: starts paused, and once continued the guest banner reaches the serial log', async () => {
    const { qmp, log } = await start('tiny-direct-kernel');
    await withQmp(qmp[0], async (c) => {
      expect(await c.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
      await c.execute('cont');
      expect(await c.execute('query-status')).toMatchObject({ status: 'running', running: true });
    });
    let text = '';
    for (let i = 0; i < 300 && !text.includes(GUEST_BANNER); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await readFile(log, 'utf8').catch(() => '');
    }
    expect(text).toContain(GUEST_BANNER);
  }, 60_000);
});
