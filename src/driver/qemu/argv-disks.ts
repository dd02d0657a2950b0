// <disk> -> -blockdev (two nodes: 'file-<target>' for the file, 'drive-<target>' for the format
// layer) + -device with id 'disk-<target>'. Stats and hotplug find a disk by these names:
// query-blockstats reports node-name 'drive-vda' and qdev 'disk-vda' (or its QOM path).
// An empty CD-ROM has a device and no blockdev.
import type { XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { deviceArg, needUsb, placePci } from './argv-pci.js';
import { at, int, kid, kids } from './argv-xml.js';

/** sda -> 0, sdb -> 1, sdaa -> 26: libvirt's disk index, which picks the controller and unit. */
export function targetIndex(target: string): number | undefined {
  const m = /^(?:sd|hd|vd|xvd|fd|ubd)([a-z]+)$/.exec(target);
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1]) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

const FORMATS = new Set(['raw', 'qcow2', 'qcow', 'qed', 'vmdk', 'vdi', 'vpc', 'vhdx', 'dmg', 'parallels', 'cloop', 'bochs']);
// children that need no argv: libvirt output or bookkeeping
const INERT_CHILDREN = new Set(['alias', 'backingStore', 'mirror', 'address', 'target', 'source', 'driver', 'readonly', 'shareable', 'boot', 'serial', 'blockio']);
const ERROR_POLICY: Record<string, string> = { stop: 'stop', report: 'report', ignore: 'ignore', enospace: 'enospc' };

interface CacheProps {
  direct: boolean;
  noFlush: boolean;
  writeCache?: 'on' | 'off';
}

function cacheProps(mode: string | undefined): CacheProps | undefined {
  switch (mode ?? 'default') {
    case 'default':
    case 'writeback':
      return { direct: false, noFlush: false };
    case 'none':
      return { direct: true, noFlush: false };
    case 'writethrough':
      return { direct: false, noFlush: false, writeCache: 'off' };
    case 'directsync':
      return { direct: true, noFlush: false, writeCache: 'off' };
    case 'unsafe':
      return { direct: false, noFlush: true };
    default:
      return undefined;
  }
}

function needController(ctx: ArgvContext, kind: 'sata' | 'scsi', index: number, scsiModels: Map<number, string>): string {
  if (kind === 'sata') {
    // q35's own AHCI controller is 'ide'; a pc machine has none, so it gets an ahci device
    if (ctx.family === 'q35' && index === 0) return 'ide';
    const id = `sata${index}`;
    if (!ctx.controllers.has(id)) {
      const place = placePci(ctx, undefined, { pcie: false, controller: true });
      addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('ahci', id, place)] });
      ctx.controllers.add(id);
    }
    return id;
  }
  const id = `scsi${index}`;
  if (!ctx.controllers.has(id)) {
    const model = scsiModels.get(index) ?? 'virtio-scsi';
    const driver = model === 'lsilogic' ? 'lsi53c895a' : 'virtio-scsi-pci';
    const place = placePci(ctx, undefined, { pcie: driver === 'virtio-scsi-pci', controller: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, id, place)] });
    ctx.controllers.add(id);
  }
  return id;
}

/** SCSI, SATA and IDE controllers given in the XML; returns the SCSI models by index. */
export function emitStorageControllers(ctx: ArgvContext, indexes: Map<XmlElement, number>): Map<number, string> {
  const scsiModels = new Map<number, string>();
  for (const c of kids(ctx.devicesEl, 'controller')) {
    const type = at(c, 'type');
    const index = indexes.get(c) ?? 0;
    if (type === 'scsi') {
      const model = at(c, 'model') ?? 'virtio-scsi';
      const driver = model === 'lsilogic' ? 'lsi53c895a' : model === 'virtio-scsi' ? 'virtio-scsi-pci' : undefined;
      if (!driver) {
        refuse(ctx, c, 'only SCSI models virtio-scsi and lsilogic are supported by the local driver');
        continue;
      }
      scsiModels.set(index, model);
      const id = `scsi${index}`;
      const place = placePci(ctx, c, { pcie: driver === 'virtio-scsi-pci', controller: true });
      addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, id, place)] });
      ctx.controllers.add(id);
    } else if (type === 'sata') {
      if (ctx.family === 'q35' && index === 0) continue; // built in
      const id = `sata${index}`;
      const place = placePci(ctx, c, { pcie: false, controller: true });
      addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('ahci', id, place)] });
      ctx.controllers.add(id);
    } else if (type === 'ide') {
      if (ctx.family === 'q35') refuse(ctx, c, 'q35 has no IDE controller; use SATA');
      else if (index !== 0) refuse(ctx, c, 'the pc machine has one IDE controller');
    }
  }
  return scsiModels;
}

export interface BootIndexes {
  /** bootindex per <disk> element, from <boot order> or from <os><boot dev> */
  get(el: XmlElement): number | undefined;
}

export function emitDisks(ctx: ArgvContext, scsiModels: Map<number, string>, boot: BootIndexes): void {
  for (const el of kids(ctx.devicesEl, 'disk')) emitDisk(ctx, el, scsiModels, boot);
}

function emitDisk(ctx: ArgvContext, el: XmlElement, scsiModels: Map<number, string>, boot: BootIndexes): void {
  const type = at(el, 'type') ?? 'file';
  const device = at(el, 'device') ?? 'disk';
  const targetEl = kid(el, 'target');
  const target = at(targetEl, 'dev') ?? '';
  const driverEl = kid(el, 'driver');
  const sourceEl = kid(el, 'source');
  const start = ctx.problems.length;

  if (!/^[a-z][a-z0-9]*$/.test(target)) return refuse(ctx, el, `target dev '${target}' is not a disk name like vda or sda`);
  if (type !== 'file' && type !== 'block') {
    return refuse(ctx, el, `disk type '${type}' (${target}) is not supported by the local driver; use a file or block device`);
  }
  if (device !== 'disk' && device !== 'cdrom') return refuse(ctx, el, `${device} devices (${target}) are not supported by the local driver`);
  for (const c of el.children) {
    if (!INERT_CHILDREN.has(c.name)) refuse(ctx, c, `in disk ${target}: not supported by the local driver`);
  }
  const driverName = at(driverEl, 'name');
  if (driverName !== undefined && driverName !== 'qemu') refuse(ctx, driverEl!, `disk ${target}: only driver name 'qemu' is supported`);
  const format = at(driverEl, 'type') ?? 'raw';
  if (!FORMATS.has(format)) refuse(ctx, driverEl!, `disk ${target}: image format '${format}' is not supported`);
  const cache = cacheProps(at(driverEl, 'cache'));
  if (!cache) refuse(ctx, driverEl!, `disk ${target}: unknown cache mode`);
  const io = at(driverEl, 'io');
  if (io !== undefined && !['native', 'threads', 'io_uring'].includes(io)) refuse(ctx, driverEl!, `disk ${target}: unknown io mode`);
  if (io === 'native' && !cache?.direct) refuse(ctx, driverEl!, `disk ${target}: io='native' needs cache='none' or 'directsync'`);
  const source = type === 'file' ? at(sourceEl, 'file') : at(sourceEl, 'dev');
  if (source === undefined && device !== 'cdrom') refuse(ctx, el, `disk ${target} has no <source>`);

  const bus = at(targetEl, 'bus') ?? guessBus(target);
  const readonly = device === 'cdrom' || kid(el, 'readonly') !== undefined;
  const shareable = kid(el, 'shareable') !== undefined;
  const address = kid(el, 'address');
  const idx = targetIndex(target) ?? 0;

  // where the device goes, per bus
  let driver: string;
  let busProps: Array<[string, string | number | undefined]> = [];
  let place = { props: [] as Array<[string, string]>, rank: 3 as 0 | 1 | 2 | 3 };
  if (bus === 'virtio') {
    if (device === 'cdrom') return refuse(ctx, el, `disk ${target}: a CD-ROM cannot be on the virtio bus; use sata or scsi`);
    driver = 'virtio-blk-pci';
    place = placePci(ctx, el, { pcie: true });
  } else if (bus === 'sata') {
    const ctrl = int(at(address, 'controller')) ?? Math.floor(idx / 6);
    const unit = int(at(address, 'unit')) ?? idx % 6;
    if (unit > 5) return refuse(ctx, el, `disk ${target}: a SATA controller has 6 ports`);
    driver = device === 'cdrom' ? 'ide-cd' : 'ide-hd';
    busProps = [['bus', `${needController(ctx, 'sata', ctrl, scsiModels)}.${unit}`]];
  } else if (bus === 'ide') {
    if (ctx.family === 'q35') return refuse(ctx, el, `disk ${target}: q35 has no IDE controller; use bus='sata'`);
    const ideBus = int(at(address, 'bus')) ?? Math.floor(idx / 2);
    const unit = int(at(address, 'unit')) ?? idx % 2;
    if (ideBus > 1 || unit > 1) return refuse(ctx, el, `disk ${target}: the IDE controller has 4 places (hda-hdd)`);
    driver = device === 'cdrom' ? 'ide-cd' : 'ide-hd';
    busProps = [['bus', `ide.${ideBus}`], ['unit', unit]];
  } else if (bus === 'scsi') {
    const ctrl = int(at(address, 'controller')) ?? 0;
    const unit = int(at(address, 'unit')) ?? idx;
    const id = needController(ctx, 'scsi', ctrl, scsiModels);
    driver = device === 'cdrom' ? 'scsi-cd' : 'scsi-hd';
    busProps = (scsiModels.get(ctrl) ?? 'virtio-scsi') === 'lsilogic'
      ? [['bus', `${id}.0`], ['scsi-id', unit]]
      : [['bus', `${id}.0`], ['channel', 0], ['scsi-id', int(at(address, 'target')) ?? 0], ['lun', unit]];
  } else if (bus === 'usb') {
    if (device === 'cdrom') return refuse(ctx, el, `disk ${target}: USB CD-ROMs are not supported; use sata`);
    const usbBus = needUsb(ctx, el);
    if (!usbBus) return;
    driver = 'usb-storage';
    busProps = [['bus', usbBus]];
  } else {
    return refuse(ctx, el, `disk ${target}: bus '${bus}' is not supported by the local driver`);
  }
  if (ctx.problems.length > start) return;

  const deviceId = `disk-${target}`;
  const nodeName = source !== undefined ? `drive-${target}` : undefined;
  const fileNode = source !== undefined ? `file-${target}` : undefined;
  if (source !== undefined) {
    const discard = at(driverEl, 'discard');
    const cacheObj = { direct: cache!.direct, 'no-flush': cache!.noFlush };
    const fileDriver = type === 'block' ? (device === 'cdrom' ? 'host_cdrom' : 'host_device') : 'file';
    const fileNodeJson: Record<string, unknown> = {
      driver: fileDriver,
      filename: source,
      'node-name': fileNode,
      'auto-read-only': true,
      discard: discard === 'unmap' ? 'unmap' : 'ignore',
      cache: cacheObj,
    };
    if (io) fileNodeJson.aio = io;
    const fmtJson: Record<string, unknown> = {
      'node-name': nodeName,
      'read-only': readonly,
      discard: discard === 'unmap' ? 'unmap' : 'ignore',
      cache: cacheObj,
      driver: format,
      file: fileNode,
    };
    const dz = at(driverEl, 'detect_zeroes');
    if (dz !== undefined) fmtJson['detect-zeroes'] = dz;
    ctx.args.push('-blockdev', JSON.stringify(fileNodeJson), '-blockdev', JSON.stringify(fmtJson));
  }
  const serial = kid(el, 'serial')?.text;
  const werror = at(driverEl, 'error_policy');
  const rerror = at(driverEl, 'rerror_policy');
  const devArg = deviceArg(
    driver,
    deviceId,
    place,
    ...busProps,
    ['drive', nodeName],
    ['bootindex', boot.get(el)],
    ['serial', serial || undefined],
    ['share-rw', shareable ? 'on' : undefined],
    ['write-cache', cache!.writeCache],
    ['werror', werror && driver !== 'usb-storage' ? ERROR_POLICY[werror] : undefined],
    ['rerror', rerror && driver !== 'usb-storage' ? ERROR_POLICY[rerror] : undefined],
    ['logical_block_size', int(at(kid(el, 'blockio'), 'logical_block_size'))],
    ['physical_block_size', int(at(kid(el, 'blockio'), 'physical_block_size'))],
  );
  addDevice(ctx, { rank: place.rank, args: ['-device', devArg] });
  ctx.disks.push({ target, deviceId, nodeName, fileNodeName: fileNode });
}

function guessBus(target: string): string {
  if (target.startsWith('vd')) return 'virtio';
  if (target.startsWith('hd')) return 'ide';
  if (target.startsWith('sd')) return 'scsi';
  return 'unknown';
}
