// DeviceEditor against a real DomainFiles in a temp KVMTUI_HOME and an in-memory QMP monitor:
// every validation error names the problem and leaves the XML byte-identical; live changes send
// the right QMP commands; a failed hotplug leaves the XML alone; a failed XML write rolls back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceEditor } from '../../src/driver/qemu/device-editor.js';
import { DomainFiles } from '../../src/driver/qemu/domain-files.js';
import { homePaths, type HomePaths } from '../../src/driver/qemu/paths.js';
import type { ImageTool } from '../../src/driver/qemu/device-context.js';
import type { HostProbe } from '../../src/driver/qemu/device-validate.js';
import type { QmpClient, QmpEvent } from '../../src/driver/qemu/qmp-types.js';
import { KvmtuiError, QmpError } from '../../src/driver/errors.js';
import type { ChangeScope, ImageInfo } from '../../src/driver/driver.js';

const LIVE: ChangeScope = { live: true, config: true };
const CONFIG: ChangeScope = { live: false, config: true };
const MAC = '52:54:00:12:34:56';

/** An in-memory monitor: records commands, answers from a table, emits DEVICE_DELETED on device_del. */
class FakeMonitor implements QmpClient {
  readonly log: Array<{ command: string; args?: Record<string, unknown> }> = [];
  readonly fail = new Map<string, Error>();
  readonly answers = new Map<string, unknown>();
  /** when false, device_del never completes (a guest that ignores ACPI) */
  releases = true;
  private listeners = new Set<(ev: QmpEvent) => void>();
  closed = false;

  async execute<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    this.log.push({ command, args });
    const f = this.fail.get(command);
    if (f) throw f;
    if (command === 'device_del' && this.releases) {
      const id = args?.id;
      setTimeout(() => this.emit({ event: 'DEVICE_DELETED', data: { device: id, path: `/machine/peripheral/${id}` }, time: Date.now() }), 5);
    }
    if (command === 'query-named-block-nodes') {
      return (this.answers.get(command) ?? []) as T;
    }
    return (this.answers.get(command) ?? {}) as T;
  }
  emit(ev: QmpEvent): void {
    for (const l of this.listeners) l(ev);
  }
  onEvent(l: (ev: QmpEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onClose(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
  commands(): string[] {
    return this.log.map((l) => l.command);
  }
}

class FakeImages implements ImageTool {
  readonly calls: string[] = [];
  sizes = new Map<string, number>();
  async info(path: string): Promise<ImageInfo> {
    this.calls.push(`info ${path}`);
    return { path, format: 'qcow2', virtualSizeBytes: this.sizes.get(path) ?? 1 << 30 };
  }
  async create(path: string, format: string, size: number): Promise<void> {
    this.calls.push(`create ${path} ${format} ${size}`);
    writeFileSync(path, 'image');
  }
  async resize(path: string, _format: string, size: number, opts: { shrink?: boolean }): Promise<void> {
    this.calls.push(`resize ${path} ${size}${opts.shrink ? ' shrink' : ''}`);
  }
}

let dir: string;
let hp: HomePaths;
let files: DomainFiles;
let mon: FakeMonitor;
let images: FakeImages;
let running: boolean;
let probe: HostProbe & { free: number; admin: boolean };
let xmlPath: string;
let vdaImage: string;

function domainXml(): string {
  return `<domain type="qemu">
  <name>vm1</name>
  <uuid>6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b</uuid>
  <memory unit="MiB">64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch="x86_64" machine="pc">hvm</type>
  </os>
  <!-- a comment that must survive -->
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="${vdaImage}"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <disk type="file" device="cdrom">
      <driver name="qemu" type="raw"/>
      <target dev="hdc" bus="ide"/>
      <readonly/>
    </disk>
    <interface type="user">
      <mac address="${MAC}"/>
      <model type="virtio"/>
    </interface>
  </devices>
</domain>
`;
}

function editor(overrides: Partial<ConstructorParameters<typeof DeviceEditor>[0]> = {}): DeviceEditor {
  return new DeviceEditor({
    files,
    hp,
    qmp: async (name, fn) => {
      if (!running) throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running`);
      return fn(mon);
    },
    isRunning: async () => running,
    domainNames: () => files.names(),
    probe,
    images,
    unplugTimeoutMs: 200,
    ...overrides,
  });
}

const xmlNow = () => readFileSync(xmlPath, 'utf8');

async function rejection(p: Promise<unknown>): Promise<KvmtuiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    return e as KvmtuiError;
  }
  throw new Error('expected the change to be refused');
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kt-dev-'));
  hp = homePaths(join(dir, 'home'));
  files = new DomainFiles(hp);
  mon = new FakeMonitor();
  images = new FakeImages();
  running = true;
  vdaImage = join(dir, 'vda.qcow2');
  writeFileSync(vdaImage, 'x');
  mkdirSync(join(dir, 'sys', 'br0', 'bridge'), { recursive: true });
  mkdirSync(join(dir, 'sys', 'eth9'), { recursive: true });
  probe = {
    free: 10 * 1024 ** 3,
    admin: true,
    freeBytes: async () => probe.free,
    sysNetDir: join(dir, 'sys'),
    canAdminNet: async () => probe.admin,
    uid: () => 1000,
  };
  await files.save('vm1', domainXml());
  xmlPath = join(hp.domainsDir, 'vm1.xml');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('validation errors leave the XML byte-identical', () => {
  // [what, change, message, domain running?]
  const cases: Array<[string, () => Promise<unknown>, RegExp, boolean?]> = [
    ['negative size', () => editor().attachDisk('vm1', { source: '', createSizeBytes: -1 }, CONFIG), /cannot be negative/],
    ['zero size', () => editor().attachDisk('vm1', { source: '', createSizeBytes: 0 }, CONFIG), /greater than 0/],
    ['fractional size', () => editor().attachDisk('vm1', { source: '', createSizeBytes: 1.5 }, CONFIG), /whole number/],
    [
      'more than the free space',
      () => {
        probe.free = 1024 * 1024;
        return editor().attachDisk('vm1', { source: '', createSizeBytes: 64 * 1024 * 1024 }, CONFIG);
      },
      /64 MiB is more than the 1 MiB free/,
    ],
    ['duplicate target', () => editor().attachDisk('vm1', { source: vdaImage, target: 'vda' }, CONFIG), /target 'vda' is already used by/],
    ['target that does not fit the bus', () => editor().attachDisk('vm1', { source: vdaImage, target: 'sdb', bus: 'virtio' }, CONFIG), /does not fit bus virtio/],
    ['path that is a directory', () => editor().attachDisk('vm1', { source: dir }, CONFIG), /is a directory, not a disk image/],
    ['missing path', () => editor().attachDisk('vm1', { source: join(dir, 'nope.qcow2') }, CONFIG), /nope\.qcow2: no such file/],
    ['new image over an existing file', () => editor().attachDisk('vm1', { source: vdaImage, createSizeBytes: 1 << 20 }, CONFIG), /already exists/],
    ['new image in a missing directory', () => editor().attachDisk('vm1', { source: join(dir, 'no', 'x.qcow2'), createSizeBytes: 1 << 20 }, CONFIG), /no such directory/],
    ['MAC not hex', () => editor().attachInterface('vm1', { type: 'user', mac: 'zz:zz:zz:zz:zz:zz' }, CONFIG), /'zz:zz:zz:zz:zz:zz' is not of the form/],
    ['multicast MAC', () => editor().attachInterface('vm1', { type: 'user', mac: '01:00:5e:00:00:01' }, CONFIG), /multicast/],
    ['MAC already in the domain', () => editor().attachInterface('vm1', { type: 'user', mac: MAC }, CONFIG), /already used by an interface of this domain/],
    ['missing bridge', () => editor().attachInterface('vm1', { type: 'bridge', source: 'br7' }, CONFIG), /bridge 'br7' does not exist on this host/],
    ['host interface that is no bridge', () => editor().attachInterface('vm1', { type: 'bridge', source: 'eth9' }, CONFIG), /'eth9' is not a bridge/],
    [
      'tap without privilege',
      () => {
        probe.admin = false;
        return editor().attachInterface('vm1', { type: 'ethernet', targetDev: 'tap5' }, LIVE);
      },
      /creating tap device 'tap5' needs CAP_NET_ADMIN/,
      true,
    ],
    ['unsupported model', () => editor().attachInterface('vm1', { type: 'user', model: 'ne2k' as never }, CONFIG), /model 'ne2k' is not supported/],
    ['detach of an unknown disk', () => editor().detachDisk('vm1', 'vdq', LIVE), /no disk with target 'vdq' \(disks: vda, hdc\)/, true],
    ['media change on a disk', () => editor().changeMedia('vm1', 'vda', vdaImage, CONFIG), /vda is a disk, not a CD-ROM/],
    ['media that is a directory', () => editor().changeMedia('vm1', 'hdc', dir, CONFIG), /is a directory/],
    ['unknown NIC', () => editor().setLink('vm1', '52:54:00:aa:bb:cc', 'down', CONFIG), /no interface with MAC 52:54:00:aa:bb:cc/],
    ['forward on a duplicate host port', async () => {
      await editor().addPortForward('vm1', MAC, { protocol: 'tcp', hostPort: 2222, guestPort: 22 }, CONFIG);
      writeFileSync(join(dir, 'snapshot.xml'), xmlNow());
      return editor().addPortForward('vm1', MAC, { protocol: 'tcp', hostPort: 2222, guestPort: 23 }, CONFIG);
    }, /2222 is already forwarded/],
    ['neither live nor config', () => editor().setLink('vm1', MAC, 'down', { live: false, config: false }), /nothing to change/],
    ['shrink without confirmation', () => editor().blockResize('vm1', 'vda', 512 * 1024 * 1024), /shrinking vda from 1 GiB to 512 MiB destroys any data/],
    ['resize to 0', () => editor().blockResize('vm1', 'vda', 0), /greater than 0/],
    ['resize of a CD-ROM', () => editor().blockResize('vm1', 'hdc', 1 << 20), /hdc is a CD-ROM/],
  ];

  for (const [what, act, message, isRunning] of cases) {
    it(what, async () => {
      running = !!isRunning;
      const before = xmlNow();
      const e = await rejection(act());
      expect(e.message).toMatch(message);
      const expected = existsSync(join(dir, 'snapshot.xml')) ? readFileSync(join(dir, 'snapshot.xml'), 'utf8') : before;
      expect(xmlNow()).toBe(expected);
      expect(mon.log).toEqual([]);
      expect(images.calls.filter((c) => !c.startsWith('info'))).toEqual([]);
    });
  }

  it('refuses a live change to a shut-off domain with INVALID_STATE', async () => {
    running = false;
    const before = xmlNow();
    const e = await rejection(editor().setLink('vm1', MAC, 'down', LIVE));
    expect(e.code).toBe('INVALID_STATE');
    expect(e.message).toMatch(/not running: only the config/);
    expect(xmlNow()).toBe(before);
  });
});

describe('disks', () => {
  it('hot-plugs a new qcow2 disk with the argv naming and writes the config', async () => {
    await editor().attachDisk('vm1', { source: '', createSizeBytes: 64 * 1024 * 1024 }, LIVE);
    const created = join(hp.imagesDir, 'vm1-vdb.qcow2');
    expect(images.calls).toEqual([`create ${created} qcow2 ${64 * 1024 * 1024}`]);
    // qom-get asks for the machine type: a pc machine plugs into pci.0, q35 needs a free root port
    expect(mon.commands()).toEqual(['blockdev-add', 'blockdev-add', 'qom-get', 'device_add']);
    expect(mon.log[0].args).toMatchObject({ driver: 'file', filename: created, 'node-name': 'file-vdb' });
    expect(mon.log[1].args).toMatchObject({ driver: 'qcow2', 'node-name': 'drive-vdb', file: 'file-vdb', 'read-only': false });
    expect(mon.log[3].args).toEqual({ id: 'disk-vdb', drive: 'drive-vdb', driver: 'virtio-blk-pci' });
    const xml = xmlNow();
    expect(xml).toContain(`<source file="${created}"/>`);
    expect(xml).toContain(`<target dev="vdb" bus="virtio"/>`);
    expect(xml).toContain('<!-- a comment that must survive -->');
  });

  it('a hotplug QEMU refuses leaves the XML unchanged, removes the nodes and the new image', async () => {
    mon.fail.set('device_add', new QmpError('GenericError', 'Bus pci.0 is full', 'device_add'));
    const before = xmlNow();
    const e = await rejection(editor().attachDisk('vm1', { source: '', createSizeBytes: 1 << 20 }, LIVE));
    expect(e.code).toBe('HOTPLUG_FAILED');
    expect(e.message).toBe('cannot hot-plug vdb: Bus pci.0 is full');
    expect(xmlNow()).toBe(before);
    const dels = mon.log.filter((l) => l.command === 'blockdev-del').map((l) => l.args?.['node-name']);
    expect(dels).toEqual(['drive-vdb', 'file-vdb']);
    expect(existsSync(join(hp.imagesDir, 'vm1-vdb.qcow2'))).toBe(false);
  });

  it('an XML write that fails unplugs the disk again', async () => {
    class BrokenFiles extends DomainFiles {
      override async save(): Promise<void> {
        throw new KvmtuiError('IO_ERROR', 'cannot write vm1.xml: disk full');
      }
    }
    const before = xmlNow();
    const e = await rejection(editor({ files: new BrokenFiles(hp) }).attachDisk('vm1', { source: vdaImage, target: 'vdc' }, LIVE));
    expect(e.message).toBe('cannot write vm1.xml: disk full; the live change was rolled back');
    expect(mon.commands()).toContain('device_del');
    expect(mon.log.find((l) => l.command === 'device_del')?.args).toEqual({ id: 'disk-vdc' });
    expect(xmlNow()).toBe(before);
  });

  it('config-only attach on a shut-off domain touches no monitor', async () => {
    running = false;
    await editor().attachDisk('vm1', { source: vdaImage, target: 'vdd', readonly: true }, CONFIG);
    expect(mon.log).toEqual([]);
    expect(xmlNow()).toMatch(/<target dev="vdd" bus="virtio"\/>\s*<readonly\/>/);
  });

  it('refuses to hot-plug an IDE disk before creating anything', async () => {
    const before = xmlNow();
    const e = await rejection(editor().attachDisk('vm1', { source: '', bus: 'ide', createSizeBytes: 1 << 20 }, LIVE));
    expect(e.message).toMatch(/a ide disk cannot be hot-plugged/);
    expect(images.calls).toEqual([]);
    expect(xmlNow()).toBe(before);
  });

  it('detach waits for DEVICE_DELETED, then deletes the block nodes and the config entry', async () => {
    mon.answers.set('query-named-block-nodes', [{ 'node-name': 'drive-vda' }, { 'node-name': 'file-vda' }]);
    await editor().detachDisk('vm1', 'vda', LIVE, { deleteImage: true });
    expect(mon.commands()).toEqual(['device_del', 'query-named-block-nodes', 'blockdev-del', 'blockdev-del']);
    expect(xmlNow()).not.toContain('dev="vda"');
    expect(existsSync(vdaImage)).toBe(false);
  });

  it('a guest that never releases the disk times out and the XML stays', async () => {
    mon.releases = false;
    const before = xmlNow();
    const e = await rejection(editor().detachDisk('vm1', 'vda', LIVE, { deleteImage: true }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/did not release disk vda within/);
    expect(xmlNow()).toBe(before);
    expect(existsSync(vdaImage)).toBe(true);
  });

  it('refuses to delete an image another domain uses', async () => {
    await files.save('vm2', domainXml().replace('<name>vm1</name>', '<name>vm2</name>').replace(MAC, '52:54:00:00:00:02'));
    running = false;
    const before = xmlNow();
    const e = await rejection(editor().detachDisk('vm1', 'vda', CONFIG, { deleteImage: true }));
    expect(e.message).toMatch(/also used by vm2: not deleting it/);
    expect(xmlNow()).toBe(before);
  });

  it('grows online with block_resize on the drive node', async () => {
    mon.answers.set('query-named-block-nodes', [{ 'node-name': 'drive-vda', image: { 'virtual-size': 1 << 30 } }]);
    await editor().blockResize('vm1', 'vda', 2 * (1 << 30));
    expect(mon.log.at(-1)).toEqual({ command: 'block_resize', args: { 'node-name': 'drive-vda', size: 2 * (1 << 30) } });
  });

  it('resizes offline through qemu-img, shrinking only when allowed', async () => {
    running = false;
    await editor().blockResize('vm1', 'vda', 512 * 1024 * 1024, { allowShrink: true });
    expect(images.calls.at(-1)).toBe(`resize ${vdaImage} ${512 * 1024 * 1024} shrink`);
    probe.free = 1024;
    const e = await rejection(editor().blockResize('vm1', 'vda', 4 * (1 << 30)));
    expect(e.message).toMatch(/3 GiB is more than the 1 KiB free/);
  });

  it('inserts and ejects CD-ROM media live and in the config', async () => {
    const iso = join(dir, 'boot.iso');
    writeFileSync(iso, 'iso');
    await editor().changeMedia('vm1', 'hdc', iso, LIVE);
    expect(mon.log.find((l) => l.command === 'blockdev-change-medium')?.args).toEqual({
      id: 'disk-hdc',
      filename: iso,
      format: 'raw',
      'read-only-mode': 'read-only',
    });
    expect(xmlNow()).toContain(`<source file="${iso}"/>`);
    await editor().changeMedia('vm1', 'hdc', null, LIVE);
    expect(mon.commands().slice(-2)).toEqual(['blockdev-open-tray', 'blockdev-remove-medium']);
    expect(xmlNow()).toBe(domainXml());
  });
});

describe('interfaces', () => {
  it('hot-plugs a user NIC with forwards and a generated unicast MAC', async () => {
    const { mac } = await editor().attachInterface('vm1', { type: 'user', portForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }] }, LIVE);
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(mac).not.toBe(MAC);
    const hex = mac.replace(/:/g, '');
    expect(mon.log[0]).toEqual({ command: 'netdev_add', args: { type: 'user', id: `hostnet-${hex}`, hostfwd: [{ str: 'tcp::2222-:22' }] } });
    expect(mon.log.find((l) => l.command === 'device_add')?.args).toEqual({ driver: 'virtio-net-pci', id: `net-${hex}`, netdev: `hostnet-${hex}`, mac });
    expect(xmlNow()).toContain(`<mac address="${mac}"/>`);
  });

  it('a netdev QEMU refuses leaves the XML unchanged', async () => {
    mon.fail.set('device_add', new QmpError('GenericError', 'no slot', 'device_add'));
    const before = xmlNow();
    const e = await rejection(editor().attachInterface('vm1', { type: 'user' }, LIVE));
    expect(e.message).toMatch(/cannot hot-plug NIC .*: no slot/);
    expect(mon.commands()).toContain('netdev_del');
    expect(xmlNow()).toBe(before);
  });

  it('sets the link down and up again, live and in the config', async () => {
    await editor().setLink('vm1', MAC, 'down', LIVE);
    expect(mon.log.at(-1)).toEqual({ command: 'set_link', args: { name: 'net-525400123456', up: false } });
    expect(xmlNow()).toContain('<link state="down"/>');
    await editor().setLink('vm1', MAC.toUpperCase(), 'up', LIVE);
    expect(mon.log.at(-1)).toEqual({ command: 'set_link', args: { name: 'net-525400123456', up: true } });
    expect(xmlNow()).toBe(domainXml());
  });

  it('adds and removes a port forward through hostfwd_add / hostfwd_remove', async () => {
    const fwd = { protocol: 'tcp' as const, hostPort: 2222, guestPort: 22 };
    await editor().addPortForward('vm1', MAC, fwd, LIVE);
    expect(mon.log.at(-1)?.args).toEqual({ 'command-line': 'hostfwd_add hostnet-525400123456 tcp::2222-:22' });
    expect(xmlNow()).toMatch(/<portForward proto="tcp">\s*<range start="2222" to="22"\/>/);
    await editor().removePortForward('vm1', MAC, fwd, LIVE);
    expect(mon.log.at(-1)?.args).toEqual({ 'command-line': 'hostfwd_remove hostnet-525400123456 tcp::2222' });
    expect(xmlNow()).toBe(domainXml());
  });

  it("a forward slirp refuses (HMP's text answer) fails and keeps the XML", async () => {
    mon.answers.set('human-monitor-command', "Could not set up host forwarding rule 'tcp::22-:22'\r\n");
    const before = xmlNow();
    const e = await rejection(editor().addPortForward('vm1', MAC, { protocol: 'tcp', hostPort: 22, guestPort: 22 }, LIVE));
    expect(e.code).toBe('HOTPLUG_FAILED');
    expect(e.message).toBe("cannot forward tcp::22-:22: Could not set up host forwarding rule 'tcp::22-:22'");
    expect(xmlNow()).toBe(before);
  });

  it("accepts slirp's removal confirmation and refuses its 'not found'", async () => {
    const fwd = { protocol: 'tcp' as const, hostPort: 2222, guestPort: 22 };
    await editor().addPortForward('vm1', MAC, fwd, LIVE);
    mon.answers.set('human-monitor-command', 'host forwarding rule for tcp::2222 removed\r\n');
    await editor().removePortForward('vm1', MAC, fwd, LIVE);
    expect(xmlNow()).not.toContain('portForward');
    await editor().addPortForward('vm1', MAC, fwd, CONFIG);
    const before = xmlNow();
    mon.answers.set('human-monitor-command', 'host forwarding rule for tcp::2222 not found\r\n');
    const e = await rejection(editor().removePortForward('vm1', MAC, fwd, LIVE));
    expect(e.message).toBe('cannot remove forward tcp::2222: host forwarding rule for tcp::2222 not found');
    expect(xmlNow()).toBe(before);
  });

  it('detach unplugs the NIC, removes its netdev and its config', async () => {
    await editor().detachInterface('vm1', MAC, LIVE);
    expect(mon.commands()).toEqual(['device_del', 'netdev_del']);
    expect(xmlNow()).not.toContain('<interface');
  });

  it('a generated MAC avoids every MAC of the host', async () => {
    running = false;
    await files.save('vm2', domainXml().replace('<name>vm1</name>', '<name>vm2</name>').replace(MAC, '52:54:00:00:00:02'));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { mac } = await editor().attachInterface('vm1', { type: 'user' }, CONFIG);
      expect(mac).not.toBe('52:54:00:00:00:02');
      expect(seen.has(mac)).toBe(false);
      seen.add(mac);
    }
    const e = await rejection(editor().attachInterface('vm1', { type: 'user', mac: '52:54:00:00:00:02' }, CONFIG));
    expect(e.message).toMatch(/already used by another domain/);
  });
});

describe('one change at a time per domain', () => {
  it('two concurrent attaches both land in the XML', async () => {
    running = false;
    const ed = editor();
    await Promise.all([
      ed.attachDisk('vm1', { source: vdaImage, target: 'vdb' }, CONFIG),
      ed.attachDisk('vm1', { source: vdaImage, target: 'vdc' }, CONFIG),
    ]);
    expect(xmlNow()).toContain('dev="vdb"');
    expect(xmlNow()).toContain('dev="vdc"');
  });
});

describe('an interface without a MAC in its XML', () => {
  const UUID = '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b';
  const noMacXml = () => domainXml().replace(`      <mac address="${MAC}"/>\n`, '');

  it('is found by the MAC the argv builder derives; a config change pins that MAC and edits it', async () => {
    const { derivedMac } = await import('../../src/driver/qemu/argv-net.js');
    const { effectiveMacs } = await import('../../src/driver/qemu/device-mac.js');
    const { parseDomainXml } = await import('../../src/domain/index.js');
    await files.save('vm1', noMacXml());
    const derived = derivedMac(UUID, 0);
    expect(effectiveMacs(parseDomainXml(noMacXml()).config)).toEqual([{ mac: derived, derived: true }]);
    await editor().setLink('vm1', derived, 'down', LIVE);
    expect(mon.log.find((l) => l.command === 'set_link')?.args).toEqual({ name: `net-${derived.replace(/:/g, '')}`, up: false });
    // the only change besides the link: the derived MAC, now written down
    expect(xmlNow()).toBe(
      noMacXml().replace('    <interface type="user">\n', `    <interface type="user">\n      <mac address="${derived}"/>\n`).replace('      <model type="virtio"/>\n', '      <model type="virtio"/>\n      <link state="down"/>\n'),
    );
  });

  it('another MAC is still refused with the interfaces listed, XML untouched', async () => {
    await files.save('vm1', noMacXml());
    const before = xmlNow();
    const e = await rejection(editor().setLink('vm1', '52:54:00:aa:bb:cc', 'down', CONFIG));
    expect(e.message).toMatch(/no interface with MAC 52:54:00:aa:bb:cc \(interfaces: 52:54:00:/);
    expect(xmlNow()).toBe(before);
  });
});
