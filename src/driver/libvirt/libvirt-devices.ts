// Disk and NIC changes through virsh: attach-disk, detach-disk, blockresize, change-media,
// attach-device (NICs), detach-interface, domif-setlink, each with --live / --config from the
// ChangeScope. The checks that give clear messages (no such target, not a CD-ROM, shrinking)
// happen first, against the domain's XML; libvirt then does the change and its own checks.
// Image files are created, resized offline or deleted only on connections to this machine.
import { deleteDetachedImage } from '../delete-image.js';
import { rm, stat } from 'node:fs/promises';
import type { ChangeScope, DiskAttachSpec, ImageInfo, InterfaceAttachSpec } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { assertValidMac, busForTarget, formatBytes, generateMac, nextFreeTarget, normalizeMac } from '../../domain/index.js';
import type { DiskConfig, DomainConfig, InterfaceConfig } from '../../domain/model.js';
import { resolveScope } from '../qemu/device-context.js';
import { checkSizeBytes } from '../qemu/device-validate.js';
import type { ImageFormat } from '../qemu/images.js';
import { emptyCdromXml, interfaceXml } from './device-xml.js';
import { parseKeyValueLines } from './domstats.js';
import { withTempFile } from './temp-file.js';
import type { Virsh } from './virsh.js';

export interface LibvirtImageTool {
  info(path: string): Promise<ImageInfo>;
  create(path: string, format: ImageFormat, sizeBytes: number): Promise<void>;
  resize(path: string, format: string, sizeBytes: number, opts: { shrink?: boolean }): Promise<void>;
}

export interface DeviceDeps {
  virsh: Virsh;
  /** the connection is to this machine: image files can be touched directly */
  local: boolean;
  persistentConfig(name: string): Promise<DomainConfig>;
  /** the running domain's config (dumpxml without --inactive) */
  liveConfig(name: string): Promise<DomainConfig>;
  isRunning(name: string): Promise<boolean>;
  /** other domains on this connection, for images shared with them */
  otherConfigs(name: string): Promise<DomainConfig[]>;
  changed(name: string): void;
  images: LibvirtImageTool;
}

const BUSES = ['virtio', 'sata', 'scsi', 'ide'] as const;

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

function scopeFlags(s: { live: boolean; config: boolean }): string[] {
  return [...(s.live ? ['--live'] : []), ...(s.config ? ['--config'] : [])];
}

/** The configs a change looks at: the persistent one for --config, the live one for --live. */
async function configsFor(deps: DeviceDeps, name: string, s: { live: boolean; config: boolean }): Promise<DomainConfig[]> {
  const out: DomainConfig[] = [];
  if (s.config) out.push(await deps.persistentConfig(name));
  if (s.live) out.push(await deps.liveConfig(name));
  return out;
}

async function scopeOf(deps: DeviceDeps, name: string, scope: ChangeScope) {
  return resolveScope(name, scope, await deps.isRunning(name));
}

function findDisk(cfgs: DomainConfig[], target: string): DiskConfig | undefined {
  for (const c of cfgs) {
    const d = c.disks.find((x) => x.target === target);
    if (d) return d;
  }
  return undefined;
}

function noSuchDisk(cfgs: DomainConfig[], target: string): KvmtuiError {
  const all = [...new Set(cfgs.flatMap((c) => c.disks.map((d) => d.target)).filter(Boolean))];
  return invalid(`no disk with target '${target}' (disks: ${all.length ? all.join(', ') : 'none'})`);
}

function defaultBus(cfg: DomainConfig, device: string, target: string | undefined): string {
  const fromTarget = target ? busForTarget(target) : undefined;
  if (fromTarget) return fromTarget;
  if (device !== 'cdrom') return 'virtio';
  return (cfg.os.machine ?? '').includes('q35') ? 'sata' : 'ide';
}

const DEVICE_OPTS = { timeout: 'action', fallbackCode: 'HOTPLUG_FAILED' } as const;

export async function attachDisk(deps: DeviceDeps, name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void> {
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  const device = spec.device ?? 'disk';
  if (device !== 'disk' && device !== 'cdrom') throw invalid(`unknown device '${String(device)}' (use disk or cdrom)`);
  if (spec.bus !== undefined && !(BUSES as readonly string[]).includes(spec.bus)) {
    throw invalid(`unknown bus '${String(spec.bus)}' (use ${BUSES.join(', ')})`);
  }
  const bus = spec.bus ?? defaultBus(cfgs[0]!, device, spec.target);
  const target = spec.target ?? nextFreeTarget(bus, cfgs.flatMap((c) => c.disks.map((d) => d.target)));
  if (findDisk(cfgs, target)) throw invalid(`target '${target}' is already in use`);
  let format = spec.format;
  if (format !== undefined && format !== 'qcow2' && format !== 'raw') throw invalid(`unknown image format '${String(format)}' (use qcow2 or raw)`);
  const source = spec.source || undefined;

  let created = false;
  if (spec.createSizeBytes !== undefined) {
    if (device === 'cdrom') throw invalid('a CD-ROM needs an existing image (an ISO file); only disks can be created');
    checkSizeBytes(spec.createSizeBytes);
    if (!deps.local) {
      throw new KvmtuiError('NOT_SUPPORTED_BY_DRIVER', `${deps.virsh.uri} is another host: create the image there (or in a storage pool) and attach it by path`);
    }
    if (!source) throw invalid('name a path for the new image: the libvirt driver has no images directory of its own');
    format ??= 'qcow2';
    await deps.images.create(source, format, spec.createSizeBytes);
    created = true;
  } else if (!source && device === 'disk') {
    throw invalid('no image given: name an existing image, or a size to create a new one');
  } else if (source && format === undefined && deps.local) {
    // libvirt would take an unnamed format as raw: a qcow2 image would then show up as raw bytes
    format = (await deps.images.info(source)).format === 'qcow2' ? 'qcow2' : 'raw';
  }

  try {
    if (!source) {
      const xml = emptyCdromXml(target, bus);
      await withTempFile('disk.xml', xml, (f) => deps.virsh.call(['attach-device', '--domain', name, '--file', f, ...scopeFlags(s)], DEVICE_OPTS));
    } else {
      const args = ['attach-disk', '--domain', name, '--source', source, '--target', target, '--targetbus', bus, '--driver', 'qemu'];
      args.push('--subdriver', format ?? 'raw');
      if (device === 'cdrom') args.push('--type', 'cdrom');
      if (spec.readonly || device === 'cdrom') args.push('--mode', 'readonly');
      if (await isBlockDevice(deps, source)) args.push('--sourcetype', 'block');
      await deps.virsh.call([...args, ...scopeFlags(s)], DEVICE_OPTS);
    }
  } catch (e) {
    if (created) await rm(source!, { force: true }).catch(() => {});
    throw e;
  }
  deps.changed(name);
}

async function isBlockDevice(deps: DeviceDeps, path: string): Promise<boolean> {
  if (!deps.local) return path.startsWith('/dev/');
  return (await stat(path).catch(() => undefined))?.isBlockDevice() ?? false;
}

export async function detachDisk(
  deps: DeviceDeps,
  name: string,
  target: string,
  scope: ChangeScope,
  opts: { deleteImage?: boolean } = {},
): Promise<void> {
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  const disk = findDisk(cfgs, target);
  if (!disk) throw noSuchDisk(cfgs, target);
  if (opts.deleteImage) {
    if (!deps.local) throw new KvmtuiError('NOT_SUPPORTED_BY_DRIVER', `${deps.virsh.uri} is another host: delete the image there`);
    if (!disk.source) throw invalid(`${target} has no image to delete`);
    if (disk.type !== 'file') throw invalid(`${target} is a ${disk.type} device, not an image file: it is never deleted`);
    const users = (await deps.otherConfigs(name)).filter((c) => c.disks.some((d) => d.source === disk.source)).map((c) => c.name);
    if (users.length) throw invalid(`${disk.source} is also used by ${users.join(', ')}: not deleting it`);
  }
  await deps.virsh.call(['detach-disk', '--domain', name, '--target', target, ...scopeFlags(s)], DEVICE_OPTS);
  deps.changed(name);
  if (opts.deleteImage && disk.source) await deleteDetachedImage(target, disk.source);
}

export async function blockResize(
  deps: DeviceDeps,
  name: string,
  target: string,
  sizeBytes: number,
  opts: { allowShrink?: boolean } = {},
): Promise<void> {
  checkSizeBytes(sizeBytes);
  const running = await deps.isRunning(name);
  const cfgs = [running ? await deps.liveConfig(name) : await deps.persistentConfig(name)];
  const disk = findDisk(cfgs, target);
  if (!disk) throw noSuchDisk(cfgs, target);
  if (disk.device === 'cdrom') throw invalid(`${target} is a CD-ROM: its size is the medium's`);
  if (!disk.source) throw invalid(`${target} has no image`);
  if (disk.readonly) throw invalid(`${target} is read-only: it cannot be resized`);
  if (!running && !deps.local) {
    throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running: libvirt resizes a disk only while its domain runs`);
  }
  const current = running
    ? capacityOf(await deps.virsh.call(['domblkinfo', '--domain', name, '--device', target]), target)
    : (await deps.images.info(disk.source)).virtualSizeBytes;
  if (sizeBytes === current) return;
  if (sizeBytes < current && !opts.allowShrink) {
    throw invalid(
      `shrinking ${target} from ${formatBytes(current)} to ${formatBytes(sizeBytes)} destroys any data past ${formatBytes(sizeBytes)}: confirm the shrink explicitly`,
    );
  }
  if (running) {
    await deps.virsh.call(['blockresize', '--domain', name, '--path', target, '--size', `${sizeBytes}B`], DEVICE_OPTS);
  } else {
    await deps.images.resize(disk.source, disk.format ?? 'raw', sizeBytes, { shrink: sizeBytes < current });
  }
  deps.changed(name);
}

function capacityOf(domblkinfo: string, target: string): number {
  const n = Number(parseKeyValueLines(domblkinfo).get('Capacity'));
  if (!Number.isFinite(n)) throw new KvmtuiError('EXEC_FAILED', `virsh domblkinfo ${target}: no capacity in its output`);
  return n;
}

export async function changeMedia(deps: DeviceDeps, name: string, target: string, source: string | null, scope: ChangeScope): Promise<void> {
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  const disk = findDisk(cfgs, target);
  if (!disk) throw noSuchDisk(cfgs, target);
  if (disk.device !== 'cdrom') throw invalid(`${target} is a ${disk.device}, not a CD-ROM: its medium cannot be changed`);
  const args = ['change-media', '--domain', name, '--path', target];
  // --update inserts into an empty drive and replaces a present medium alike
  args.push(...(source === null ? ['--eject'] : ['--source', source, '--update']));
  await deps.virsh.call([...args, ...scopeFlags(s)], DEVICE_OPTS);
  deps.changed(name);
}

function findNic(cfgs: DomainConfig[], mac: string): InterfaceConfig | undefined {
  const want = normalizeMac(mac);
  for (const c of cfgs) {
    const n = c.interfaces.find((i) => i.mac && normalizeMac(i.mac) === want);
    if (n) return n;
  }
  return undefined;
}

function noSuchNic(cfgs: DomainConfig[], mac: string): KvmtuiError {
  const all = [...new Set(cfgs.flatMap((c) => c.interfaces.map((i) => i.mac).filter(Boolean)))];
  return invalid(`no interface with MAC ${mac} (interfaces: ${all.length ? all.join(', ') : 'none'})`);
}

export async function attachInterface(deps: DeviceDeps, name: string, spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }> {
  if (spec.portForwards?.length) throw portForwardsUnsupported(deps);
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  const used = cfgs.flatMap((c) => c.interfaces.map((i) => i.mac ?? ''));
  const mac = spec.mac ? assertValidMac(spec.mac) : generateMac(used);
  if (findNic(cfgs, mac)) throw invalid(`MAC ${mac} is already used by another interface of '${name}'`);
  const xml = interfaceXml(spec, mac);
  await withTempFile('interface.xml', xml, (f) => deps.virsh.call(['attach-device', '--domain', name, '--file', f, ...scopeFlags(s)], DEVICE_OPTS));
  deps.changed(name);
  return { mac };
}

export async function detachInterface(deps: DeviceDeps, name: string, mac: string, scope: ChangeScope): Promise<void> {
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  const nic = findNic(cfgs, mac);
  if (!nic) throw noSuchNic(cfgs, mac);
  await deps.virsh.call(['detach-interface', '--domain', name, '--type', nic.type, '--mac', normalizeMac(mac), ...scopeFlags(s)], DEVICE_OPTS);
  deps.changed(name);
}

export async function setLink(deps: DeviceDeps, name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void> {
  if (state !== 'up' && state !== 'down') throw invalid(`link state must be up or down, not '${String(state)}'`);
  const s = await scopeOf(deps, name, scope);
  const cfgs = await configsFor(deps, name, s);
  if (!findNic(cfgs, mac)) throw noSuchNic(cfgs, mac);
  const base = ['domif-setlink', '--domain', name, '--interface', normalizeMac(mac), '--state', state];
  // domif-setlink has no --live: without --config it changes the running domain
  if (s.live) await deps.virsh.call(base, DEVICE_OPTS);
  if (s.config) await deps.virsh.call([...base, '--config'], DEVICE_OPTS);
  deps.changed(name);
}

export function portForwardsUnsupported(deps: { virsh: Virsh }): KvmtuiError {
  return new KvmtuiError(
    'NOT_SUPPORTED_BY_DRIVER',
    `port forwards are not supported on libvirt connections (${deps.virsh.uri}): libvirt offers them only with the passt backend; add a <portForward> to the interface in the domain XML instead`,
  );
}
