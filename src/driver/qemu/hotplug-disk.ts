// Disks on a running domain: blockdev-add + device_add to plug, device_del + blockdev-del to
// unplug, block_resize, and CD-ROM media. Names follow argv-disks.ts ('file-vdb' protocol node,
// 'drive-vdb' format node, 'disk-vdb' device) so stats, resize and detach find hot-plugged disks
// exactly like cold-plugged ones.
import { KvmtuiError, QmpError } from '../errors.js';
import { deviceDelAndWait, hotplugError, hotplugPciBus, undoAll } from './hotplug-common.js';
import type { QmpClient } from './qmp-types.js';

export interface DiskNames {
  deviceId: string;
  nodeName: string;
  fileNodeName: string;
}

export function diskNames(target: string): DiskNames {
  return { deviceId: `disk-${target}`, nodeName: `drive-${target}`, fileNodeName: `file-${target}` };
}

export interface LiveDisk {
  target: string;
  bus: 'virtio' | 'scsi' | 'sata' | 'ide';
  device: 'disk' | 'cdrom';
  /** undefined for an empty CD-ROM (SCSI only: it gets a device without a drive) */
  source?: string;
  sourceKind: 'file' | 'block';
  format: string;
  readonly: boolean;
  /** SCSI: the controller id (scsi0) and the unit, from the target index */
  scsiController?: string;
  scsiUnit?: number;
}

/** Which buses QEMU can hot-plug a disk on, and what to say otherwise. */
export function hotplugRefusal(bus: string, device: string): string | undefined {
  if (bus === 'virtio' && device === 'disk') return undefined;
  if (bus === 'scsi') return undefined;
  if (bus === 'virtio') return 'a CD-ROM cannot be on the virtio bus; use scsi or sata';
  return `a ${bus} ${device} cannot be hot-plugged (QEMU has no ${bus} hotplug): use bus virtio or scsi, or change the config only and restart`;
}

function blockdevNodes(d: LiveDisk, n: DiskNames): [Record<string, unknown>, Record<string, unknown>] {
  // the same properties argv-disks.ts gives a cold-plugged disk with the default cache mode
  const cache = { direct: false, 'no-flush': false };
  const fileNode = {
    driver: d.sourceKind === 'block' ? (d.device === 'cdrom' ? 'host_cdrom' : 'host_device') : 'file',
    filename: d.source,
    'node-name': n.fileNodeName,
    'auto-read-only': true,
    discard: 'ignore',
    cache,
  };
  const fmtNode = {
    'node-name': n.nodeName,
    'read-only': d.readonly || d.device === 'cdrom',
    discard: 'ignore',
    cache,
    driver: d.format,
    file: n.fileNodeName,
  };
  return [fileNode, fmtNode];
}

/** Plug a disk in; on any failure the nodes added so far are removed again. */
export async function plugDisk(c: QmpClient, d: LiveDisk): Promise<void> {
  const refusal = hotplugRefusal(d.bus, d.device);
  if (refusal) throw new KvmtuiError('HOTPLUG_FAILED', `cannot hot-plug ${d.target}: ${refusal}`);
  const n = diskNames(d.target);
  if (d.source === undefined && d.bus !== 'scsi') {
    throw new KvmtuiError('HOTPLUG_FAILED', `cannot hot-plug ${d.target}: an empty drive can only be plugged on the scsi bus`);
  }
  const undo: Array<() => Promise<unknown>> = [];
  try {
    const dev: Record<string, unknown> = { id: n.deviceId };
    if (d.source !== undefined) {
      const [fileNode, fmtNode] = blockdevNodes(d, n);
      await c.execute('blockdev-add', fileNode);
      undo.push(() => c.execute('blockdev-del', { 'node-name': n.fileNodeName }));
      await c.execute('blockdev-add', fmtNode);
      undo.push(() => c.execute('blockdev-del', { 'node-name': n.nodeName }));
      dev.drive = n.nodeName;
    }
    if (d.bus === 'virtio') {
      dev.driver = 'virtio-blk-pci';
      const bus = await hotplugPciBus(c);
      if (bus) dev.bus = bus;
    } else {
      dev.driver = d.device === 'cdrom' ? 'scsi-cd' : 'scsi-hd';
      dev.bus = `${d.scsiController ?? 'scsi0'}.0`;
      dev.channel = 0;
      dev['scsi-id'] = 0;
      dev.lun = d.scsiUnit ?? 0;
    }
    await c.execute('device_add', dev);
  } catch (e) {
    await undoAll(undo);
    throw hotplugError(`cannot hot-plug ${d.target}`, e);
  }
}

/** The names of the block nodes that exist now. */
async function namedNodes(c: QmpClient): Promise<Set<string>> {
  const nodes = await c.execute<Array<{ 'node-name'?: string }>>('query-named-block-nodes', { flat: true });
  return new Set(nodes.map((x) => x['node-name']).filter((x): x is string => !!x));
}

/** Unplug a disk: the guest must release it (DEVICE_DELETED), then its nodes go. */
export async function unplugDisk(c: QmpClient, target: string, timeoutMs?: number): Promise<void> {
  const n = diskNames(target);
  await deviceDelAndWait(c, n.deviceId, `disk ${target}`, timeoutMs);
  const nodes = await namedNodes(c);
  for (const node of [n.nodeName, n.fileNodeName]) {
    if (!nodes.has(node)) continue;
    try {
      await c.execute('blockdev-del', { 'node-name': node });
    } catch (e) {
      throw hotplugError(`disk ${target} was unplugged but its block node ${node} stays`, e);
    }
  }
}

/** The size the guest sees now, from the disk's format node. */
export async function liveDiskSize(c: QmpClient, target: string): Promise<number> {
  const n = diskNames(target);
  const nodes = await c.execute<Array<{ 'node-name'?: string; image?: { 'virtual-size'?: number } }>>('query-named-block-nodes', {
    flat: true,
  });
  const node = nodes.find((x) => x['node-name'] === n.nodeName);
  const size = node?.image?.['virtual-size'];
  if (typeof size !== 'number') throw new KvmtuiError('HOTPLUG_FAILED', `disk ${target} has no block node ${n.nodeName} in the running domain`);
  return size;
}

export async function resizeLiveDisk(c: QmpClient, target: string, sizeBytes: number): Promise<void> {
  try {
    await c.execute('block_resize', { 'node-name': diskNames(target).nodeName, size: sizeBytes }, { timeoutMs: 30_000 });
  } catch (e) {
    throw hotplugError(`cannot resize ${target}`, e);
  }
}

/** Insert a medium into a CD-ROM (QEMU opens and closes the tray itself). */
export async function insertLiveMedia(c: QmpClient, target: string, source: string, format: string): Promise<void> {
  try {
    await c.execute('blockdev-change-medium', {
      id: diskNames(target).deviceId,
      filename: source,
      format,
      'read-only-mode': 'read-only',
    });
  } catch (e) {
    throw hotplugError(`cannot insert ${source} into ${target}`, e);
  }
}

/** Eject: open the tray (forced: a guest may have locked it), take the medium out. */
export async function ejectLiveMedia(c: QmpClient, target: string): Promise<void> {
  const id = diskNames(target).deviceId;
  try {
    await c.execute('blockdev-open-tray', { id, force: true });
    await c.execute('blockdev-remove-medium', { id });
  } catch (e) {
    if (e instanceof QmpError && e.qmpClass === 'DeviceNotFound') {
      throw new KvmtuiError('HOTPLUG_FAILED', `${target} is not in the running domain`);
    }
    throw hotplugError(`cannot eject ${target}`, e);
  }
}

/** What is in a CD-ROM drive now: the file, or undefined when empty. */
export async function liveMedia(c: QmpClient, target: string): Promise<string | undefined> {
  const id = diskNames(target).deviceId;
  const blocks = await c.execute<Array<{ qdev?: string; inserted?: { file?: string } }>>('query-block');
  const b = blocks.find((x) => x.qdev === id || (x.qdev ?? '').endsWith(`/${id}`) || (x.qdev ?? '').includes(`/${id}/`));
  return b?.inserted?.file;
}
