// Issue 6 end to end: the real test guest under the local driver (QEMU, TCG). Disks and NICs are
// changed live and in the config, and the guest is asked over its serial console what it sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDriver, type LocalDriver } from '../../src/driver/qemu/local-driver.js';
import { createImage, imageInfo } from '../../src/driver/qemu/images.js';
import { withQmp } from '../../src/driver/qemu/qmp-client.js';
import { homePaths, runPaths } from '../../src/driver/qemu/paths.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { guestXml } from '../helpers/cli.js';
import { SerialClient, waitFor, waitForLog } from '../helpers/serial.js';

const NAME = 'devguest';
const MAC = '52:54:00:00:06:01';
const BOTH = { live: true, config: true };
const MiB = 1024 * 1024;

let dir: string;
let home: string;
let driver: LocalDriver;
let serial: SerialClient;
let base: string;
let iso: string;

/** Runs a shell command in the guest and returns what it printed between the markers. */
async function guest(command: string, timeoutMs = 20_000): Promise<string> {
  // the markers are split in the typed line ('R''=') so the echo of the command cannot match
  const out = await serial.run(`echo R''=[$( ${command} 2>&1)]=R`, /R=\[([^\]]*)\]=R/, timeoutMs);
  return /R=\[([^\]]*)\]=R/.exec(out)![1].trim();
}

/** Polls the guest until fn's answer satisfies ok. */
async function guestUntil(what: string, command: string, ok: (answer: string) => boolean, timeoutMs = 30_000): Promise<string> {
  return waitFor(what, async () => {
    const a = await guest(command);
    return ok(a) ? a : undefined;
  }, timeoutMs, 300);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Connects to 127.0.0.1:port and collects what arrives until the peer closes (or 3 s pass). */
function readFromHostPort(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const sock = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(data);
    }, 3000);
    sock.on('data', (d) => (data += d.toString('utf8')));
    sock.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** What QEMU has in the CD-ROM drive (asked on the shared monitor, closed again at once). */
async function mediumInHdc(): Promise<string | undefined> {
  const rp = runPaths(homePaths(home), NAME);
  const blocks = await withQmp(rp.qmpSocket, (c) => c.execute<Array<{ qdev?: string; inserted?: { file?: string } }>>('query-block'));
  const hdc = blocks.find((b) => (b.qdev ?? '').includes('disk-hdc'));
  if (!hdc) throw new Error('no disk-hdc in query-block');
  return hdc.inserted?.file;
}

const xmlNow = () => readFile(join(home, 'domains', `${NAME}.xml`), 'utf8');

beforeAll(async () => {
  const g = requireGuest();
  dir = mkdtempSync(join(tmpdir(), 'kt-dev-e2e-'));
  home = join(dir, 'home');
  driver = createLocalDriver({ home });
  // a small vda already there, so the hot-added disk is vdb as an operator would see it
  base = join(dir, 'base.qcow2');
  await createImage(base, 'qcow2', MiB);
  await driver.defineXml(guestXml(NAME, g.kernel, g.initrd, base, MAC));
  // and an IDE CD-ROM with a medium, added to the config before the start
  iso = join(dir, 'disc.iso');
  writeFileSync(iso, Buffer.alloc(MiB));
  await driver.attachDisk(NAME, { source: iso, device: 'cdrom', target: 'hdc', bus: 'ide' }, { live: false, config: true });
  await driver.start(NAME);
  const ep = await driver.consoleEndpoint(NAME);
  if (ep.kind !== 'unix') throw new Error('expected a unix console endpoint');
  await waitForLog(ep.logPath!, GUEST_BANNER, 90_000);
  serial = await SerialClient.open(ep.socketPath);
  // the shell is there once it echoes
  await waitFor('guest shell', async () => (await guest('echo up')) === 'up', 30_000, 500);
}, 150_000);

afterAll(async () => {
  serial?.close();
  if (driver) {
    const pid = (await driver.getDomain(NAME).catch(() => undefined))?.pid;
    await driver.destroy(NAME).catch(() => {});
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await driver.close();
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('disk editor with the running guest', () => {
  it('hot-adds a 64 MiB qcow2 disk, grows it online, detaches it', async () => {
    expect(await guest('ls /sys/block')).toMatch(/\bvda\b/);
    await driver.attachDisk(NAME, { source: '', format: 'qcow2', createSizeBytes: 64 * MiB }, BOTH);
    const image = join(home, 'images', `${NAME}-vdb.qcow2`);
    expect((await imageInfo(image)).virtualSizeBytes).toBe(64 * MiB);
    expect(await xmlNow()).toContain(image);
    const sectors = await guestUntil('vdb in the guest', 'cat /sys/block/vdb/size', (a) => /^\d+$/.test(a));
    expect(Number(sectors) * 512).toBe(64 * MiB);

    await driver.blockResize(NAME, 'vdb', 128 * MiB);
    const grown = await guestUntil('vdb grown', 'cat /sys/block/vdb/size', (a) => a === String((128 * MiB) / 512));
    expect(Number(grown) * 512).toBe(128 * MiB);
    expect((await imageInfo(image)).virtualSizeBytes).toBe(128 * MiB);

    await driver.detachDisk(NAME, 'vdb', BOTH, { deleteImage: true });
    expect(await guest('ls /sys/block')).not.toMatch(/\bvdb\b/);
    expect(await xmlNow()).not.toContain(image);
    expect(existsSync(image)).toBe(false);
  }, 120_000);

  it('two more hot-added disks get the next free targets, and go again', async () => {
    await driver.attachDisk(NAME, { source: '', createSizeBytes: 8 * MiB }, BOTH);
    await driver.attachDisk(NAME, { source: '', createSizeBytes: 16 * MiB, format: 'raw' }, BOTH);
    const cfg = (await driver.getDomain(NAME)).config;
    expect(cfg.disks.map((d) => d.target)).toEqual(['vda', 'hdc', 'vdb', 'vdc']);
    const sizes = await guestUntil('vdb and vdc', 'cat /sys/block/vdb/size /sys/block/vdc/size', (a) => a.split(/\s+/).length === 2);
    expect(sizes.split(/\s+/).map((s) => (Number(s) * 512) / MiB)).toEqual([8, 16]);
    await driver.detachDisk(NAME, 'vdc', BOTH, { deleteImage: true });
    await driver.detachDisk(NAME, 'vdb', BOTH, { deleteImage: true });
    expect(await guest('ls /sys/block')).not.toMatch(/\bvd[bc]\b/);
    expect((await driver.getDomain(NAME)).config.disks.map((d) => d.target)).toEqual(['vda', 'hdc']);
  }, 120_000);
});

describe('CD-ROM media with the running guest', () => {
  it('ejects and inserts, live and in the config', async () => {
    expect(await mediumInHdc()).toBe(iso);
    await driver.changeMedia(NAME, 'hdc', null, BOTH);
    expect(await mediumInHdc()).toBeUndefined();
    expect((await driver.getDomain(NAME)).config.disks.find((d) => d.target === 'hdc')?.source).toBeUndefined();
    const other = join(dir, 'other.iso');
    writeFileSync(other, Buffer.alloc(MiB));
    await driver.changeMedia(NAME, 'hdc', other, BOTH);
    expect(await mediumInHdc()).toBe(other);
    expect((await driver.getDomain(NAME)).config.disks.find((d) => d.target === 'hdc')?.source).toBe(other);
  }, 60_000);
});

describe('NIC editor with the running guest', () => {
  it('sets the link down and up again: the guest sees carrier 0, then 1', async () => {
    expect(await guest('cat /sys/class/net/eth0/carrier')).toBe('1');
    await driver.setLink(NAME, MAC, 'down', BOTH);
    await guestUntil('carrier 0', 'cat /sys/class/net/eth0/carrier', (a) => a === '0', 10_000);
    expect(await xmlNow()).toMatch(/<link state=["']down["']\/>/);
    await driver.setLink(NAME, MAC, 'up', BOTH);
    await guestUntil('carrier 1', 'cat /sys/class/net/eth0/carrier', (a) => a === '1', 10_000);
    expect(await xmlNow()).not.toContain('<link');
  }, 60_000);

  it('forwards a host port to a busybox nc listener in the guest, live', async () => {
    // the guest got 10.0.2.15 from slirp's DHCP at boot
    await guestUntil('guest address', 'ip -4 addr show dev eth0', (a) => a.includes('10.0.2.15'), 30_000);
    const hostPort = await freePort();
    await driver.addPortForward(NAME, MAC, { protocol: 'tcp', hostPort, guestPort: 7777 }, BOTH);
    expect(await xmlNow()).toMatch(new RegExp(`<range start=["']${hostPort}["'] to=["']7777["']/>`));
    const got = await waitFor('guest listener reached', async () => {
      await guest('(echo hello-from-guest | busybox nc -l -p 7777 >/dev/null 2>&1 &) ; echo started');
      await new Promise((r) => setTimeout(r, 300));
      const text = await readFromHostPort(hostPort).catch(() => '');
      return text.includes('hello-from-guest') ? text : undefined;
    }, 45_000, 500);
    expect(got).toContain('hello-from-guest');

    await driver.removePortForward(NAME, MAC, { protocol: 'tcp', hostPort, guestPort: 7777 }, BOTH);
    expect(await xmlNow()).not.toContain('portForward');
    const after = await readFromHostPort(hostPort).then(
      (t) => `data:${t}`,
      (e: NodeJS.ErrnoException) => e.code ?? 'error',
    );
    expect(after).toBe('ECONNREFUSED');
  }, 90_000);

  it('hot-plugs a second NIC the guest sees as eth1, and unplugs it', async () => {
    const { mac } = await driver.attachInterface(NAME, { type: 'user', model: 'virtio' }, BOTH);
    const seen = await guestUntil('eth1', 'cat /sys/class/net/eth1/address', (a) => /^[0-9a-f:]{17}$/.test(a));
    expect(seen).toBe(mac);
    await driver.detachInterface(NAME, mac, BOTH);
    await guestUntil('eth1 gone', 'ls /sys/class/net', (a) => !a.includes('eth1'), 20_000);
    expect(await xmlNow()).not.toContain(mac);
  }, 90_000);
});

describe('a q35 guest', () => {
  it('hot-plugs disks and NICs into free PCIe root ports, and unplugs them', async () => {
    const g = requireGuest();
    const q = 'devq35';
    await driver.defineXml(`<domain type='qemu'><name>${q}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type><kernel>${g.kernel}</kernel><initrd>${g.initrd}</initrd><cmdline>console=ttyS0</cmdline></os>
  <features><acpi/></features>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-root-port'/>
    <controller type='pci' index='2' model='pcie-root-port'/>
    <controller type='pci' index='3' model='pcie-root-port'/>
    <controller type='pci' index='4' model='pcie-root-port'/>
    <interface type='user'><mac address='52:54:00:00:35:01'/><model type='virtio'/></interface>
    <serial type='pty'><target port='0'/></serial>
  </devices>
</domain>`);
    let qs: SerialClient | undefined;
    try {
      await driver.start(q);
      const ep = await driver.consoleEndpoint(q);
      if (ep.kind !== 'unix') throw new Error('expected a unix console endpoint');
      await waitForLog(ep.logPath!, GUEST_BANNER, 90_000);
      await waitForLog(ep.logPath!, '# ', 30_000);
      qs = await SerialClient.open(ep.socketPath);
      const ask = async (cmd: string) => /Q=\[([^\]]*)\]/.exec(await qs!.run(`echo Q''=[$( ${cmd} 2>&1)]`, /Q=\[[^\]]*\]/, 5000))![1];
      await driver.attachDisk(q, { source: '', createSizeBytes: 8 * MiB }, BOTH);
      const sectors = await waitFor('vda on q35', async () => ((await ask('cat /sys/block/vda/size')) === String((8 * MiB) / 512) ? true : undefined), 30_000, 500);
      expect(sectors).toBe(true);
      await driver.detachDisk(q, 'vda', BOTH, { deleteImage: true });
      expect(await ask('ls /sys/block')).not.toContain('vda');
      const { mac } = await driver.attachInterface(q, { type: 'user' }, BOTH);
      expect(await waitFor('eth1 on q35', async () => ((await ask('cat /sys/class/net/eth1/address')) === mac ? mac : undefined), 30_000, 500)).toBe(mac);
      await driver.detachInterface(q, mac, BOTH);
      expect((await driver.getDomain(q)).config.interfaces.map((i) => i.mac)).toEqual(['52:54:00:00:35:01']);
    } finally {
      qs?.close();
      const pid = (await driver.getDomain(q).catch(() => undefined))?.pid;
      await driver.destroy(q).catch(() => {});
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }, 120_000);
});
