// Disk edits on a domain document (issue 6): add, remove, change CD-ROM media. Each checks its
// input first and throws KvmtuiError('INVALID_CONFIG') with the reason, leaving the document as
// it was; on success it returns a new document in which nothing else has changed.

import { KvmtuiError } from '../driver/errors.js';
import { editDocument, type DomainDocument } from './document.js';
import { BUS_PREFIX, busForTarget, nextFreeTarget } from './targets.js';
import { devicesOf, ensureDevices } from './devices.js';
import { insertAfterLast, insertChild, removeChild } from './xml-layout.js';
import { attr, elementChildren, firstChild, makeElement, removeAttr, setAttr, type XElement } from './xml-tree.js';

export interface DiskSpec {
  /** absolute path of the image (type file) or device (type block); omit for an empty CD-ROM */
  source?: string;
  /** default 'file' */
  sourceType?: 'file' | 'block';
  /** qcow2, raw...; default from the file name (.qcow2 -> qcow2), else raw */
  format?: string;
  /** vda, sdb...; default: the first free target on the bus */
  target?: string;
  /** virtio, sata, scsi, ide, usb...; default from the target, else virtio (CD-ROM: sata on q35, ide otherwise) */
  bus?: string;
  /** default 'disk' */
  device?: 'disk' | 'cdrom';
  /** a CD-ROM is always read-only */
  readonly?: boolean;
}

const fail = (message: string): never => {
  throw new KvmtuiError('INVALID_CONFIG', message);
};

/** Why path cannot name a disk image, or undefined. (Existence is the caller's check: this is pure.) */
export function diskPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'the disk path is empty';
  if (/[\x00-\x1f\x7f]/.test(path)) return 'the disk path contains a control character';
  if (!path.startsWith('/')) return `the disk path '${path}' is not absolute`;
  return undefined;
}

function checkPath(path: string): void {
  const problem = diskPathProblem(path);
  if (problem) fail(problem);
}

function diskTargets(devices: XElement | undefined): string[] {
  return devices ? elementChildren(devices, 'disk').map((d) => attr(firstChild(d, 'target'), 'dev') ?? '') : [];
}

export function findDisk(root: XElement, target: string): XElement | undefined {
  const devices = devicesOf(root);
  if (!devices) return undefined;
  return elementChildren(devices, 'disk').find((d) => attr(firstChild(d, 'target'), 'dev') === target);
}

function noSuchDisk(root: XElement, target: string): never {
  const targets = diskTargets(devicesOf(root)).filter((t) => t !== '');
  return fail(`no disk with target '${target}' (disks: ${targets.length ? targets.join(', ') : 'none'})`);
}

function defaultFormat(source: string | undefined): string {
  return source && /\.qcow2$/i.test(source) ? 'qcow2' : 'raw';
}

/** Adds a disk or CD-ROM. */
export function addDisk(doc: DomainDocument, spec: DiskSpec): DomainDocument {
  const device = spec.device ?? 'disk';
  if (device !== 'disk' && device !== 'cdrom') fail(`unknown disk device '${device}' (use disk or cdrom)`);
  const sourceType = spec.sourceType ?? 'file';
  if (sourceType !== 'file' && sourceType !== 'block') fail(`unknown disk source type '${sourceType}' (use file or block)`);
  if (spec.source !== undefined) checkPath(spec.source);
  else if (device === 'disk') fail('a disk needs a source path (only a CD-ROM may be empty)');

  const format = spec.format ?? defaultFormat(spec.source);
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(format)) fail(`invalid disk format '${format}' (e.g. qcow2 or raw)`);

  const machine = doc.config.os.machine ?? '';
  const bus =
    spec.bus ?? (spec.target ? busForTarget(spec.target) : undefined) ?? (device === 'cdrom' ? (machine.includes('q35') ? 'sata' : 'ide') : 'virtio');
  if (!BUS_PREFIX[bus]) fail(`unknown disk bus '${bus}' (use ${Object.keys(BUS_PREFIX).join(', ')})`);
  if (device === 'cdrom' && bus === 'virtio') fail('a CD-ROM cannot be on the virtio bus (use sata, scsi or ide)');

  const existing = doc.config.disks;
  const target = spec.target ?? nextFreeTarget(bus, existing.map((d) => d.target));
  if (!/^[a-z]+[0-9]*$/.test(target)) fail(`invalid disk target '${target}' (e.g. vdb, sda, hdc)`);
  if (!target.startsWith(BUS_PREFIX[bus]!)) fail(`disk target '${target}' does not fit bus ${bus} (its targets are ${BUS_PREFIX[bus]}a, ${BUS_PREFIX[bus]}b...)`);
  const clash = existing.find((d) => d.target === target);
  if (clash) fail(`disk target '${target}' is already used by ${clash.source ?? `an empty ${clash.device}`}`);

  return editDocument(doc, (root) => {
    const devices = ensureDevices(root);
    const disk = makeElement('disk', { type: sourceType, device }, [
      makeElement('driver', { name: 'qemu', type: format }),
      ...(spec.source !== undefined ? [makeElement('source', { [sourceType === 'block' ? 'dev' : 'file']: spec.source })] : []),
      makeElement('target', { dev: target, bus }),
      ...(spec.readonly || device === 'cdrom' ? [makeElement('readonly')] : []),
    ]);
    insertAfterLast(devices, disk, [['disk'], ['emulator']], [root]);
  });
}

/** Removes the disk with this target. */
export function removeDisk(doc: DomainDocument, target: string): DomainDocument {
  return editDocument(doc, (root) => {
    const disk = findDisk(root, target) ?? noSuchDisk(root, target);
    removeChild(devicesOf(root)!, disk);
  });
}

/** Inserts media into (source = a path) or ejects it from (source undefined) a CD-ROM or floppy. */
export function setCdromSource(doc: DomainDocument, target: string, source: string | undefined): DomainDocument {
  if (source !== undefined) checkPath(source);
  return editDocument(doc, (root) => {
    const disk = findDisk(root, target) ?? noSuchDisk(root, target);
    const device = attr(disk, 'device') ?? 'disk';
    if (device !== 'cdrom' && device !== 'floppy') fail(`disk '${target}' is a ${device}, not a CD-ROM: its media cannot be changed`);
    const type = attr(disk, 'type') ?? 'file';
    if (type !== 'file' && type !== 'block') fail(`CD-ROM '${target}' has a ${type} source; only file or block media can be changed`);
    const current = firstChild(disk, 'source');
    if (source === undefined) {
      if (current) removeChild(disk, current);
      return;
    }
    const key = type === 'block' ? 'dev' : 'file';
    if (current) {
      removeAttr(current, key === 'dev' ? 'file' : 'dev');
      setAttr(current, key, source);
    } else {
      const el = makeElement('source', { [key]: source });
      insertChild(disk, el, firstChild(disk, 'driver'), [root, devicesOf(root)!]);
    }
  });
}
