// Builds the typed DomainConfig (model.ts) from the ordered tree. Read-only: edits go through
// the edit-*.ts modules, which change the tree and rebuild the config.

import { KvmtuiError } from '../driver/errors.js';
import type {
  CharDevConfig,
  DiskConfig,
  DomainConfig,
  InterfaceConfig,
  OsConfig,
  PortForwardConfig,
  XmlElement,
} from './model.js';
import { toKiB } from './units.js';
import {
  attr,
  elementChildren,
  findPath,
  firstChild,
  rawTextOf,
  textOf,
  unescapeXml,
  type XElement,
} from './xml-tree.js';

/** The generic read-only view of an element and its subtree (values decoded). */
export function toXmlElement(el: XElement): XmlElement {
  const attrs: Record<string, string> = {};
  // first occurrence wins, like attr(); well-formed XML has no repeats anyway
  // defineProperty: an attribute named __proto__ must stay a plain own property
  for (const [k, v] of el.attrs) {
    if (!Object.hasOwn(attrs, k)) Object.defineProperty(attrs, k, { value: unescapeXml(v), enumerable: true, writable: true, configurable: true });
  }
  return {
    name: el.name,
    attrs,
    children: elementChildren(el).map(toXmlElement),
    text: rawTextOf(el).trim(),
  };
}

function optInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(value)) throw new KvmtuiError('INVALID_CONFIG', `${what}: '${value}' is not a whole number`);
  return Number(value);
}

function memoryOf(el: XElement | undefined, what: string): number | undefined {
  if (!el) return undefined;
  const text = textOf(el) ?? '';
  if (text === '') return undefined;
  try {
    return toKiB(text, attr(el, 'unit'));
  } catch (e) {
    throw new KvmtuiError('INVALID_CONFIG', `<${what}>: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** libvirt takes the NUMA cells' total when <memory> is absent. */
function numaMemory(root: XElement): number | undefined {
  const cells = elementChildren(findPath(root, 'cpu', 'numa') ?? root, 'cell');
  if (!findPath(root, 'cpu', 'numa') || cells.length === 0) return undefined;
  let total = 0;
  for (const cell of cells) {
    const mem = attr(cell, 'memory');
    if (mem === undefined) continue;
    try {
      total += toKiB(mem, attr(cell, 'unit'));
    } catch (e) {
      throw new KvmtuiError('INVALID_CONFIG', `<cell memory>: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return total;
}

function osOf(root: XElement): OsConfig {
  const os = firstChild(root, 'os');
  const type = firstChild(os, 'type');
  const loader = firstChild(os, 'loader');
  const loaderPath = textOf(loader);
  const result: OsConfig = {
    type: textOf(type) || undefined,
    arch: attr(type, 'arch'),
    machine: attr(type, 'machine'),
    kernel: textOf(firstChild(os, 'kernel')),
    initrd: textOf(firstChild(os, 'initrd')),
    cmdline: textOf(firstChild(os, 'cmdline')),
    bootDevs: os ? elementChildren(os, 'boot').map((b) => attr(b, 'dev') ?? '').filter((d) => d !== '') : [],
    nvram: textOf(firstChild(os, 'nvram')) || undefined,
    firmware: attr(os, 'firmware'),
  };
  if (loader) {
    result.loader = { path: loaderPath ?? '', readonly: attr(loader, 'readonly') === 'yes', type: attr(loader, 'type') };
  }
  return result;
}

function diskOf(el: XElement): DiskConfig {
  const driver = firstChild(el, 'driver');
  const source = firstChild(el, 'source');
  const target = firstChild(el, 'target');
  return {
    type: attr(el, 'type') ?? 'file',
    device: attr(el, 'device') ?? 'disk',
    driverName: attr(driver, 'name'),
    format: attr(driver, 'type'),
    source: attr(source, 'file') ?? attr(source, 'dev') ?? attr(source, 'dir') ?? attr(source, 'name') ?? attr(source, 'volume'),
    target: attr(target, 'dev') ?? '',
    bus: attr(target, 'bus'),
    readonly: firstChild(el, 'readonly') !== undefined,
    shareable: firstChild(el, 'shareable') !== undefined,
    bootOrder: optInt(attr(firstChild(el, 'boot'), 'order'), '<disk><boot order>'),
    serial: textOf(firstChild(el, 'serial')),
    cache: attr(driver, 'cache'),
  };
}

function portForwardsOf(iface: XElement): PortForwardConfig[] {
  const out: PortForwardConfig[] = [];
  for (const pf of elementChildren(iface, 'portForward')) {
    const protocol = attr(pf, 'proto') === 'udp' ? 'udp' : 'tcp';
    for (const range of elementChildren(pf, 'range')) {
      if (attr(range, 'exclude') === 'yes') continue;
      const hostPort = optInt(attr(range, 'start'), '<portForward><range start>');
      if (hostPort === undefined) continue;
      const end = optInt(attr(range, 'end'), '<portForward><range end>');
      const forward: PortForwardConfig = {
        protocol,
        hostAddress: attr(pf, 'address'),
        hostPort,
        guestPort: optInt(attr(range, 'to'), '<portForward><range to>') ?? hostPort,
      };
      if (end !== undefined) forward.hostPortEnd = end;
      out.push(forward);
    }
  }
  return out;
}

function interfaceOf(el: XElement): InterfaceConfig {
  const source = firstChild(el, 'source');
  const link = attr(firstChild(el, 'link'), 'state');
  return {
    type: attr(el, 'type') ?? '',
    mac: attr(firstChild(el, 'mac'), 'address'),
    model: attr(firstChild(el, 'model'), 'type'),
    source: attr(source, 'network') ?? attr(source, 'bridge') ?? attr(source, 'dev') ?? attr(source, 'path'),
    targetDev: attr(firstChild(el, 'target'), 'dev'),
    linkState: link === 'down' ? 'down' : link === 'up' ? 'up' : undefined,
    bootOrder: optInt(attr(firstChild(el, 'boot'), 'order'), '<interface><boot order>'),
    portForwards: portForwardsOf(el),
  };
}

function charDevOf(el: XElement): CharDevConfig {
  const target = firstChild(el, 'target');
  return {
    type: attr(el, 'type') ?? 'pty',
    targetType: attr(target, 'type'),
    targetPort: optInt(attr(target, 'port'), `<${el.name}><target port>`),
    path: attr(firstChild(el, 'source'), 'path'),
  };
}

/** The typed view of a <domain> element. Throws INVALID_CONFIG for unreadable numbers or units. */
export function buildDomainConfig(root: XElement): DomainConfig {
  const devices = firstChild(root, 'devices');
  const list = (name: string) => (devices ? elementChildren(devices, name) : []);
  const memoryKiB = memoryOf(firstChild(root, 'memory'), 'memory') ?? numaMemory(root) ?? 0;
  const cpu = firstChild(root, 'cpu');
  const features = firstChild(root, 'features');
  const memballoon = list('memballoon')[0];
  const vcpuText = textOf(firstChild(root, 'vcpu'));
  return {
    type: attr(root, 'type') ?? '',
    name: textOf(firstChild(root, 'name')) ?? '',
    uuid: textOf(firstChild(root, 'uuid')) || undefined,
    title: textOf(firstChild(root, 'title')),
    description: textOf(firstChild(root, 'description')),
    memoryKiB,
    currentMemoryKiB: memoryOf(firstChild(root, 'currentMemory'), 'currentMemory') ?? memoryKiB,
    vcpus: optInt(vcpuText, '<vcpu>') ?? 1,
    os: osOf(root),
    features: features ? elementChildren(features).map((f) => f.name) : [],
    cpu: cpu ? { mode: attr(cpu, 'mode'), model: textOf(firstChild(cpu, 'model')) || undefined } : undefined,
    disks: list('disk').map(diskOf),
    interfaces: list('interface').map(interfaceOf),
    serials: list('serial').map(charDevOf),
    consoles: list('console').map(charDevOf),
    memballoonModel: attr(memballoon, 'model'),
    emulator: textOf(firstChild(devices, 'emulator')) || undefined,
    root: toXmlElement(root),
  };
}
