// Disk changes for the local driver: attach (existing or new image), detach, resize, CD-ROM media.
// Each function checks everything first, then applies through applyChange (device-context.ts).
import { deleteDetachedImage } from '../delete-image.js';
import { rm } from 'node:fs/promises';
import type { ChangeScope, DiskAttachSpec } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { addDisk, busForTarget, formatBytes, nextFreeTarget, removeDisk, setCdromSource } from '../../domain/index.js';
import type { DiskConfig, DomainConfig } from '../../domain/model.js';
import { applyChange, resolveScope, type EditorDeps } from './device-context.js';
import { checkFreeSpace, checkNewImagePath, checkSizeBytes, checkSourcePath, type SourceKind } from './device-validate.js';
import {
  ejectLiveMedia,
  hotplugRefusal,
  insertLiveMedia,
  liveDiskSize,
  liveMedia,
  plugDisk,
  resizeLiveDisk,
  unplugDisk,
  type LiveDisk,
} from './hotplug-disk.js';
import { defaultImagePath, ensureImagesDir, type ImageFormat } from './images.js';
import { targetIndex } from './argv-disks.js';

const BUSES = ['virtio', 'sata', 'scsi', 'ide'] as const;

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

function findDisk(cfg: DomainConfig, target: string): DiskConfig | undefined {
  return cfg.disks.find((d) => d.target === target);
}

function noSuchDisk(cfg: DomainConfig, target: string): KvmtuiError {
  const all = cfg.disks.map((d) => d.target).filter(Boolean);
  return invalid(`no disk with target '${target}' (disks: ${all.length ? all.join(', ') : 'none'})`);
}

/** The running form of a disk from its config, for hotplug and for rollbacks. */
export function liveDiskOf(d: DiskConfig): LiveDisk {
  const bus = (BUSES as readonly string[]).includes(d.bus ?? '') ? (d.bus as LiveDisk['bus']) : 'virtio';
  return {
    target: d.target,
    bus,
    device: d.device === 'cdrom' ? 'cdrom' : 'disk',
    source: d.source,
    sourceKind: d.type === 'block' ? 'block' : 'file',
    format: d.format ?? 'raw',
    readonly: d.readonly,
    scsiController: 'scsi0',
    scsiUnit: targetIndex(d.target) ?? 0,
  };
}

function defaultBus(cfg: DomainConfig, device: string, target: string | undefined): string {
  const fromTarget = target ? busForTarget(target) : undefined;
  if (fromTarget) return fromTarget;
  if (device !== 'cdrom') return 'virtio';
  return (cfg.os.machine ?? '').includes('q35') ? 'sata' : 'ide';
}

function isImageFormat(f: string): f is ImageFormat {
  return f === 'qcow2' || f === 'raw';
}

export async function attachDisk(deps: EditorDeps, name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void> {
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  const device = spec.device ?? 'disk';
  if (device !== 'disk' && device !== 'cdrom') throw invalid(`unknown device '${String(device)}' (use disk or cdrom)`);
  if (spec.bus !== undefined && !(BUSES as readonly string[]).includes(spec.bus)) {
    throw invalid(`unknown bus '${String(spec.bus)}' (use ${BUSES.join(', ')})`);
  }
  const bus = spec.bus ?? defaultBus(cfg, device, spec.target);
  const target = spec.target ?? nextFreeTarget(bus, cfg.disks.map((d) => d.target));
  const creating = spec.createSizeBytes !== undefined;

  let source: string | undefined = spec.source || undefined;
  let sourceKind: SourceKind = 'file';
  let format = spec.format;
  let usesImagesDir = false;
  if (format !== undefined && !isImageFormat(format)) throw invalid(`unknown image format '${String(format)}' (use qcow2 or raw)`);
  if (creating) {
    if (device === 'cdrom') throw invalid('a CD-ROM needs an existing image (an ISO file); only disks can be created');
    checkSizeBytes(spec.createSizeBytes!);
    format ??= 'qcow2';
    usesImagesDir = source === undefined;
    source ??= await defaultImagePath(deps.hp, name, target, format);
    await checkNewImagePath(source, { dirMayBeMissing: usesImagesDir });
    // a raw image is sparse and qcow2 grows on demand, but both can fill up to their size
    await checkFreeSpace(deps.probe, source, spec.createSizeBytes!);
  } else if (source !== undefined) {
    sourceKind = await checkSourcePath(source);
  } else if (device === 'disk') {
    throw invalid('no image given: name an existing image, or a size to create a new one');
  }

  // the XML edit checks target, bus and path; nothing has been touched yet
  const next = addDisk(doc, { source, sourceType: sourceKind, format, target, bus, device, readonly: spec.readonly });
  const added = findDisk(next.config, target)!;
  const live = liveDiskOf(added);
  if (s.live) {
    const refusal = hotplugRefusal(live.bus, live.device);
    if (refusal) throw new KvmtuiError('HOTPLUG_FAILED', `cannot hot-plug ${target}: ${refusal}`);
  }

  let created = false;
  if (creating) {
    if (usesImagesDir) await ensureImagesDir(deps.hp);
    await deps.images.create(source!, format as ImageFormat, spec.createSizeBytes!);
    created = true;
  }
  await applyChange(deps, {
    name,
    live: s.live
      ? {
          apply: (c) => plugDisk(c, live),
          undo: (c) => unplugDisk(c, target, deps.unplugTimeoutMs),
        }
      : undefined,
    xml: s.config ? next.toXml() : undefined,
    cleanup: created ? () => rm(source!, { force: true }) : undefined,
  });
}

/** Other domains whose disks use this image: deleting it would break them. */
async function otherUsers(deps: EditorDeps, name: string, path: string): Promise<string[]> {
  const out: string[] = [];
  for (const other of await deps.domainNames()) {
    if (other === name) continue;
    const loaded = await deps.files.load(other).catch(() => undefined);
    if (loaded?.doc.config.disks.some((d) => d.source === path)) out.push(other);
  }
  return out;
}

export async function detachDisk(
  deps: EditorDeps,
  name: string,
  target: string,
  scope: ChangeScope,
  opts: { deleteImage?: boolean } = {},
): Promise<void> {
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  const disk = findDisk(cfg, target);
  if (!disk && (s.config || opts.deleteImage)) throw noSuchDisk(cfg, target);
  if (disk && s.live) {
    const live = liveDiskOf(disk);
    const refusal = hotplugRefusal(live.bus, live.device);
    if (refusal) throw new KvmtuiError('HOTPLUG_FAILED', `cannot unplug ${target} from the running domain: ${refusal.replace('hot-plugged', 'unplugged')}`);
  }
  if (opts.deleteImage) {
    if (!disk?.source) throw invalid(`${target} has no image to delete`);
    if (disk.type !== 'file') throw invalid(`${target} is a ${disk.type} device, not an image file: it is never deleted`);
    const users = await otherUsers(deps, name, disk.source);
    if (users.length) throw invalid(`${disk.source} is also used by ${users.join(', ')}: not deleting it`);
  }
  const next = s.config ? removeDisk(doc, target) : undefined;
  await applyChange(deps, {
    name,
    live: s.live
      ? {
          apply: (c) => unplugDisk(c, target, deps.unplugTimeoutMs),
          undo: async (c) => {
            if (!disk) throw new KvmtuiError('HOTPLUG_FAILED', `${target} is not in the config: cannot plug it back`);
            await plugDisk(c, liveDiskOf(disk));
          },
        }
      : undefined,
    xml: next?.toXml(),
  });
  if (opts.deleteImage && disk?.source) await deleteDetachedImage(target, disk.source);
}

export async function blockResize(
  deps: EditorDeps,
  name: string,
  target: string,
  sizeBytes: number,
  opts: { allowShrink?: boolean } = {},
): Promise<void> {
  checkSizeBytes(sizeBytes);
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const running = await deps.isRunning(name);
  const disk = findDisk(cfg, target);
  if (!disk && !running) throw noSuchDisk(cfg, target);
  if (disk?.device === 'cdrom') throw invalid(`${target} is a CD-ROM: its size is the medium's`);
  if (disk && !disk.source) throw invalid(`${target} has no image`);
  if (disk?.readonly) throw invalid(`${target} is read-only: it cannot be resized`);

  const current = running
    ? await deps.qmp(name, (c) => liveDiskSize(c, target))
    : (await deps.images.info(disk!.source!)).virtualSizeBytes;
  if (sizeBytes === current) return;
  if (sizeBytes < current && !opts.allowShrink) {
    throw invalid(
      `shrinking ${target} from ${formatBytes(current)} to ${formatBytes(sizeBytes)} destroys any data past ${formatBytes(sizeBytes)}: confirm the shrink explicitly`,
    );
  }
  if (sizeBytes > current && disk?.type === 'file' && disk.source) {
    await checkFreeSpace(deps.probe, disk.source, sizeBytes - current);
  }
  if (running) {
    await deps.qmp(name, (c) => resizeLiveDisk(c, target, sizeBytes));
  } else {
    await deps.images.resize(disk!.source!, disk!.format ?? 'raw', sizeBytes, { shrink: sizeBytes < current });
  }
  deps.changed?.(name);
}

export async function changeMedia(
  deps: EditorDeps,
  name: string,
  target: string,
  source: string | null,
  scope: ChangeScope,
): Promise<void> {
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  const disk = findDisk(cfg, target);
  if (!disk && s.config) throw noSuchDisk(cfg, target);
  if (disk && disk.device !== 'cdrom') throw invalid(`${target} is a ${disk.device}, not a CD-ROM: its medium cannot be changed`);
  if (source !== null) await checkSourcePath(source);
  const next = s.config ? setCdromSource(doc, target, source ?? undefined) : undefined;
  const format = disk?.format ?? 'raw';

  let previous: string | undefined;
  await applyChange(deps, {
    name,
    live: s.live
      ? {
          apply: async (c) => {
            previous = await liveMedia(c, target).catch(() => undefined);
            if (source === null) await ejectLiveMedia(c, target);
            else await insertLiveMedia(c, target, source, format);
          },
          undo: (c) => (previous ? insertLiveMedia(c, target, previous, format) : ejectLiveMedia(c, target)),
        }
      : undefined,
    xml: next?.toXml(),
  });
}
