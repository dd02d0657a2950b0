// The disks editor at a pinned size with fake actions: the table (with qemu-img facts through
// imageInfo and live I/O), forms with inline validation, confirmations with the equivalent
// command, the shrink warning, the second confirmation before deleting an image, the reminder
// after an online grow, and errors as one line.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import type { ChangeScope, DiskAttachSpec, DomainDetails, DomainState, ImageInfo } from '../../src/driver/driver.js';
import { KvmtuiError } from '../../src/driver/errors.js';
import { parseDomainXml } from '../../src/domain/index.js';
import type { DeviceActions } from '../../src/ui/components/forms/device-actions.js';
import { DisksScreen } from '../../src/ui/screens/disks-screen.js';

const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', tab: '\t', right: '\x1b[C', left: '\x1b[D', backspace: '\x7f' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const GiB = 1024 ** 3;

const XML = `<domain type="qemu">
  <name>web1</name>
  <memory unit="MiB">256</memory>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="/var/lib/images/web1.qcow2"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <disk type="file" device="cdrom">
      <driver name="qemu" type="raw"/>
      <source file="/iso/install.iso"/>
      <target dev="hdc" bus="ide"/>
      <readonly/>
    </disk>
  </devices>
</domain>`;

function details(state: DomainState): DomainDetails {
  const doc = parseDomainXml(XML);
  return {
    connection: 'fake:///',
    name: 'web1',
    uuid: '',
    state,
    type: 'qemu',
    vcpus: 1,
    memoryKiB: 262144,
    currentMemoryKiB: 262144,
    persistent: true,
    autostart: false,
    xml: XML,
    config: doc.config,
  };
}

interface Call {
  method: string;
  args: unknown[];
}

function fakeActions(fail?: Error): DeviceActions & { calls: Call[]; infoCalls: string[]; vdaSize: number } {
  const calls: Call[] = [];
  const infoCalls: string[] = [];
  const rec =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      if (fail) throw fail;
      return { mac: '52:54:00:aa:bb:cc' } as never;
    };
  const actions = {
    calls,
    infoCalls,
    vdaSize: 10 * GiB,
    attachDisk: rec('attachDisk'),
    detachDisk: rec('detachDisk'),
    blockResize: rec('blockResize'),
    changeMedia: rec('changeMedia'),
    attachInterface: rec('attachInterface'),
    detachInterface: rec('detachInterface'),
    setLink: rec('setLink'),
    addPortForward: rec('addPortForward'),
    removePortForward: rec('removePortForward'),
    async imageInfo(path: string): Promise<ImageInfo> {
      infoCalls.push(path);
      if (path === '/var/lib/images/web1.qcow2') return { path, format: 'qcow2', virtualSizeBytes: actions.vdaSize, actualSizeBytes: 1536 * 1024 * 1024 };
      return { path, format: 'raw', virtualSizeBytes: 700 * 1024 * 1024, actualSizeBytes: 700 * 1024 * 1024 };
    },
  };
  return actions;
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function setup(state: DomainState, actions = fakeActions(), width = 100, height = 24) {
  let backs = 0;
  const view = () => (
    <DisksScreen
      details={details(state)}
      io={[{ target: 'vda', rdBytesPerSec: 2048, wrBytesPerSec: 1024 * 1024 }]}
      width={width}
      height={height}
      actions={{ ...actions }}
      onBack={() => backs++}
    />
  );
  const r = render(view());
  unmount = r.unmount;
  await sleep(30);
  const frame = () => r.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await sleep(12);
    }
    await sleep(20);
  };
  const type = async (text: string) => {
    for (const ch of text) await press(ch);
  };
  // a poll brings fresh (equal) details and the app may rebuild its actions object
  const rerender = async () => {
    r.rerender(view());
    await sleep(20);
  };
  return { frame, press, type, actions, backs: () => backs, rerender };
}

describe('disks table', () => {
  it('shows target, bus, device, source, format, sizes from qemu-img info, read-only and live I/O', async () => {
    const h = await setup('running', fakeActions(), 100);
    const f = h.frame();
    expect(f).toContain('Disks of web1');
    expect(f).toMatch(/vda\s+virtio\s+disk\s+\/var\/lib\/images\/web1\.qcow2\s+qcow2\s+10 GiB\s+1\.5 GiB\s+2 KiB\/s\s+1 MiB\/s/);
    expect(f).toMatch(/hdc\s+ide\s+cdrom\s+\/iso\/install\.iso\s+raw\s+700 MiB\s+700 MiB\s+ro/);
    expect(f).toContain('vda: /var/lib/images/web1.qcow2  (qcow2, 10 GiB virtual, 1.5 GiB on the host)');
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    expect(f.split('\n').length).toBe(24);
  });

  it('fits 80x24: the source column gives way, the selected disk shows its full path below', async () => {
    const h = await setup('running', fakeActions(), 80);
    const f = h.frame();
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(f.split('\n').length).toBe(24);
    expect(f).toMatch(/vda\s+virtio\s+disk\s+\S+…\s+qcow2\s+10 GiB/);
    expect(f).toContain('vda: /var/lib/images/web1.qcow2');
  });

  it('the current state from the list wins over the state the details were loaded with', async () => {
    const r = render(<DisksScreen details={details('shutoff')} state="running" width={100} height={24} actions={fakeActions()} onBack={() => {}} />);
    unmount = r.unmount;
    await sleep(30);
    expect(r.lastFrame()).toContain('web1  running  changes apply live');
    r.stdin.write('a');
    await sleep(30);
    expect(r.lastFrame()).toContain('[running + config]');
  });

  it('Esc on the table goes back', async () => {
    const h = await setup('running');
    await h.press(KEY.esc);
    expect(h.backs()).toBe(1);
  });
});

describe('live and config differ', () => {
  it('lists a disk only the running domain has, marks one only the config has, and keeps new targets clear of both', async () => {
    const actions = fakeActions();
    const io = [
      { target: 'vdb', rdBytesPerSec: 0, wrBytesPerSec: 512 },
      { target: 'hdc', rdBytesPerSec: 0, wrBytesPerSec: 0 },
    ];
    const r = render(<DisksScreen details={details('running')} io={io} width={100} height={24} actions={actions} onBack={() => {}} />);
    unmount = r.unmount;
    await sleep(30);
    const f = r.lastFrame() ?? '';
    expect(f).toMatch(/vda\s+virtio\s+disk\s+\(config only\) \/var\/lib\/images…/);
    expect(f).toMatch(/vdb\s+virtio\s+disk\s+\(running domain only\)/);
    expect(f).toContain('vda: /var/lib/images/web1.qcow2  (config only: not in the running domain, there from the next start)');
    // remove on the config-only disk defaults to the config
    r.stdin.write('x');
    await sleep(30);
    expect(r.lastFrame()).toContain('[config only]');
    r.stdin.write('\x1b');
    await sleep(30);
    // the running-only disk: unplugged from the running domain only
    r.stdin.write('\x1b[B');
    await sleep(20);
    r.stdin.write('\x1b[B');
    await sleep(20);
    expect(r.lastFrame()).toContain('vdb: (running domain only)');
    r.stdin.write('x');
    await sleep(30);
    r.stdin.write('\r');
    await sleep(30);
    expect(r.lastFrame()).toContain('kvmtui detach-disk web1 vdb --live');
    r.stdin.write('y');
    await sleep(30);
    expect(actions.calls).toEqual([{ method: 'detachDisk', args: ['vdb', { live: true, config: false }, { deleteImage: false }] }]);
    // a new disk's default target skips vdb, which the running domain uses
    r.stdin.write('a');
    await sleep(20);
    for (const k of ['\x1b[B', '\x1b[B']) {
      r.stdin.write(k);
      await sleep(15);
    }
    r.stdin.write('1G\r');
    await sleep(40);
    expect(r.lastFrame()).toContain('Add disk vdc to web1');
  });
});

describe('add', () => {
  it('validates inline, then confirms with the equivalent command and attaches live and in the config', async () => {
    const h = await setup('running');
    await h.press('a');
    expect(h.frame()).toContain('Add a disk to web1');
    await h.press(KEY.tab, KEY.tab); // Image -> Path -> Size
    await h.type('10X');
    expect(h.frame()).toContain("✖ invalid size '10X': unknown unit 'X'");
    await h.press(KEY.enter); // refused: focus stays on the problem
    expect(h.frame()).toContain('Add a disk to web1');
    expect(h.actions.calls).toEqual([]);
    await h.press(KEY.backspace);
    await h.type('G');
    expect(h.frame()).not.toContain('✖');
    await h.press(KEY.enter);
    const f = h.frame();
    expect(f).toContain('Add disk vdb to web1');
    expect(f).toContain('Attach a new 10 GiB qcow2 image (under KVMTUI_HOME/images) as vdb on virtio.');
    expect(f).toContain('Applies to the running domain and its config.');
    expect(f).toContain('kvmtui attach-disk web1 - vdb --targetbus virtio --subdriver qcow2 --size 10G --live --config');
    await h.press('y');
    expect(h.actions.calls).toEqual([
      {
        method: 'attachDisk',
        args: [{ source: '', target: 'vdb', bus: 'virtio', device: 'disk', format: 'qcow2', createSizeBytes: 10 * GiB } satisfies DiskAttachSpec, { live: true, config: true } satisfies ChangeScope],
      },
    ]);
    expect(h.frame()).toContain('vdb added: the guest sees it now');
  });

  it('keys that arrive in one chunk (fast backspaces, a paste ending in Enter) each count', async () => {
    const h = await setup('running');
    await h.press('a', KEY.tab, KEY.tab);
    await h.type('10X');
    await h.press('\x7f\x7f\x7f'); // three backspaces read at once
    expect(h.frame()).toMatch(/Size\s+▏e\.g\. 10G/); // the field is empty again
    await h.press('64M\r');
    expect(h.frame()).toContain('Attach a new 64 MiB qcow2 image');
    await h.press('y');
    expect(h.actions.calls.map((c) => (c.args[0] as DiskAttachSpec).createSizeBytes)).toEqual([64 * 1024 * 1024]);
  });

  it('a shut-off domain offers the config only, and refuses a path that is not absolute', async () => {
    const h = await setup('shutoff');
    await h.press('a', KEY.right); // existing file
    await h.press(KEY.tab);
    await h.type('disk.img');
    expect(h.frame()).toContain('✖ give an absolute path (starting with /)');
    expect(h.frame()).toContain('[config only]');
    expect(h.frame()).not.toContain('running + config');
  });

  it('refuses to hot-plug a sata disk, inline', async () => {
    const h = await setup('running');
    await h.press('a', KEY.down, KEY.down, KEY.down, KEY.down); // Image, Path, Size, Format, Bus
    await h.press(KEY.right, KEY.right); // virtio -> scsi -> sata
    expect(h.frame()).toContain('✖ a sata disk cannot be hot-plugged: choose virtio or scsi, or apply to the config only');
  });

  it('shows the driver error as one line and keeps the table', async () => {
    const h = await setup('running', fakeActions(new KvmtuiError('INVALID_CONFIG', '64 GiB is more than the 3 GiB free on the filesystem holding /var')));
    await h.press('a', KEY.tab, KEY.tab);
    await h.type('64G');
    await h.press(KEY.enter, 'y');
    await sleep(30);
    expect(h.frame()).toContain('✖ 64 GiB is more than the 3 GiB free on the filesystem holding /var');
    expect(h.frame()).toContain('TARGET');
  });

  it('Esc in a form cancels without a call', async () => {
    const h = await setup('running');
    await h.press('a', KEY.esc);
    expect(h.frame()).toContain('cancelled');
    expect(h.actions.calls).toEqual([]);
  });
});

describe('resize', () => {
  it('an online grow reminds to grow the guest filesystem', async () => {
    const h = await setup('running');
    await h.press('r');
    expect(h.frame()).toContain('now 10 GiB');
    await h.type('20G');
    await h.press(KEY.enter);
    expect(h.frame()).toContain('vda (/var/lib/images/web1.qcow2): 10 GiB → 20 GiB.');
    expect(h.frame()).toContain('kvmtui blockresize web1 vda 20G');
    expect(h.frame()).not.toContain('⚠');
    await h.press(KEY.enter);
    expect(h.actions.calls).toEqual([{ method: 'blockResize', args: ['vda', 20 * GiB, { allowShrink: false }] }]);
    expect(h.frame()).toContain("vda is now 20 GiB. Grow the guest's partition and filesystem to use it (e.g. resize2fs /dev/vda).");
  });

  it('asks qemu-img again after a resize, not on every poll', async () => {
    const h = await setup('running', fakeActions(), 100);
    expect(h.actions.infoCalls.length).toBe(2);
    await h.rerender();
    await h.rerender();
    expect(h.actions.infoCalls.length).toBe(2);
    h.actions.vdaSize = 20 * GiB;
    await h.press('r');
    await h.type('20G');
    await h.press(KEY.enter, 'y');
    await sleep(30);
    expect(h.actions.infoCalls.length).toBe(4);
    expect(h.frame()).toMatch(/vda\s+virtio\s+disk\s+\S+\s+qcow2\s+20 GiB/);
  });

  it('a shrink names the risk of losing data and passes allowShrink', async () => {
    const h = await setup('shutoff');
    await h.press('r');
    await h.type('5G');
    await h.press(KEY.enter);
    const f = h.frame();
    expect(f).toContain('Shrink vda of web1');
    // the warning wraps at the screen width; read it as one text
    expect(f.replace(/\n/g, ' ')).toContain("⚠ Shrinking destroys everything stored past 5 GiB: shrink the guest's filesystem and partition first, or lose data.");
    expect(f).toContain('kvmtui blockresize web1 vda 5G --allow-shrink');
    await h.press('n');
    expect(h.actions.calls).toEqual([]);
    expect(h.frame()).toContain('cancelled: nothing was changed');
  });
});

describe('remove', () => {
  it('deleting the image asks a second time', async () => {
    const h = await setup('running');
    await h.press('x', KEY.down, ' '); // scope, then Delete image: yes
    await h.press(KEY.enter);
    expect(h.frame()).toContain('kvmtui detach-disk web1 vda --live --config --delete-image');
    expect(h.frame()).toContain('⚠ the image /var/lib/images/web1.qcow2 and everything on it will be deleted');
    await h.press('y');
    expect(h.frame()).toContain('Delete /var/lib/images/web1.qcow2 for good?');
    expect(h.actions.calls).toEqual([]);
    await h.press('y');
    expect(h.actions.calls).toEqual([{ method: 'detachDisk', args: ['vda', { live: true, config: true }, { deleteImage: true }] }]);
  });

  it('an IDE CD-ROM cannot be unplugged live: the form says so', async () => {
    const h = await setup('running');
    await h.press(KEY.down, 'x');
    expect(h.frame()).toContain('Remove hdc from web1');
    await h.press(KEY.enter);
    expect(h.frame()).toContain('✖ a ide cdrom cannot be unplugged live: apply to the config only');
    await h.press(KEY.left); // running + config -> config only
    await h.press(KEY.enter, 'y');
    expect(h.actions.calls).toEqual([{ method: 'detachDisk', args: ['hdc', { live: false, config: true }, { deleteImage: false }] }]);
  });
});

describe('CD-ROM media', () => {
  it('eject and insert, live and in the config', async () => {
    const h = await setup('running');
    await h.press(KEY.down, 'e', KEY.enter);
    expect(h.frame()).toContain('kvmtui change-media web1 hdc --eject --live --config');
    await h.press('y');
    await h.press('i');
    await h.type('/iso/other.iso');
    await h.press(KEY.enter);
    expect(h.frame()).toContain('kvmtui change-media web1 hdc /iso/other.iso --insert --live --config');
    await h.press('y');
    expect(h.actions.calls).toEqual([
      { method: 'changeMedia', args: ['hdc', null, { live: true, config: true }] },
      { method: 'changeMedia', args: ['hdc', '/iso/other.iso', { live: true, config: true }] },
    ]);
  });

  it('insert on a disk is refused with a line', async () => {
    const h = await setup('running');
    await h.press('i');
    expect(h.frame()).toContain('vda is a disk, not a CD-ROM');
  });
});
