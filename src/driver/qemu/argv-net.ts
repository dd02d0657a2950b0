// <interface> -> -netdev + -device. Ids come from the MAC so hotplug and set_link can name a
// NIC without asking QEMU: device 'net-525400123456', netdev 'hostnet-525400123456'.
// A <link state='down'/> cannot be given at start: it becomes a set_link after start.
import { createHash } from 'node:crypto';
import type { InterfaceConfig, PortForwardConfig, XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { deviceArg, placePci } from './argv-pci.js';
import { at, int, kid, kids, opts } from './argv-xml.js';

const NIC_MODELS: Record<string, { driver: string; pcie: boolean }> = {
  virtio: { driver: 'virtio-net-pci', pcie: true },
  'virtio-transitional': { driver: 'virtio-net-pci-transitional', pcie: false },
  'virtio-non-transitional': { driver: 'virtio-net-pci-non-transitional', pcie: true },
  e1000: { driver: 'e1000', pcie: false },
  e1000e: { driver: 'e1000e', pcie: true },
  rtl8139: { driver: 'rtl8139', pcie: false },
  pcnet: { driver: 'pcnet', pcie: false },
  vmxnet3: { driver: 'vmxnet3', pcie: true },
  ne2k_pci: { driver: 'ne2k_pci', pcie: false },
  i82559er: { driver: 'i82559er', pcie: false },
};
// children that need no argv of their own, or are handled below
const KNOWN_CHILDREN = new Set(['mac', 'model', 'source', 'target', 'link', 'boot', 'alias', 'address', 'portForward', 'ip', 'mtu', 'driver', 'rom']);
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** A stable MAC for an interface that has none: QEMU's 52:54:00 prefix, the rest from the uuid. */
export function derivedMac(seed: string, index: number): string {
  const h = createHash('sha256').update(`${seed}/${index}`).digest();
  return ['52', '54', '00', ...[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export function nicIds(mac: string): { deviceId: string; netdevId: string } {
  const hex = mac.toLowerCase().replace(/:/g, '');
  return { deviceId: `net-${hex}`, netdevId: `hostnet-${hex}` };
}

function hostfwd(f: PortForwardConfig): string {
  return `${f.protocol}:${f.hostAddress ?? ''}:${f.hostPort}-${f.guestAddress ?? ''}:${f.guestPort}`;
}

/** libvirt's <ip family address prefix> on a user interface -> slirp's net/ipv6-net. */
function userIpProps(ctx: ArgvContext, el: XmlElement): Array<[string, string]> {
  const props: Array<[string, string]> = [];
  for (const ip of kids(el, 'ip')) {
    const family = at(ip, 'family') ?? 'ipv4';
    const address = at(ip, 'address');
    const prefix = at(ip, 'prefix');
    if (!address) refuse(ctx, ip, 'needs an address');
    else if (family === 'ipv4') props.push(['net', prefix ? `${address}/${prefix}` : address]);
    else if (family === 'ipv6') {
      props.push(['ipv6-net', prefix ? `${address}/${prefix}` : address]);
    } else refuse(ctx, ip, 'unknown address family');
  }
  return props;
}

export function emitInterfaces(ctx: ArgvContext, boot: (el: XmlElement) => number | undefined): void {
  const els = kids(ctx.devicesEl, 'interface');
  els.forEach((el, i) => {
    // the typed view lists interfaces in document order; the MAC double-checks the pairing
    const mac = at(kid(el, 'mac'), 'address')?.toLowerCase();
    const byIndex = ctx.config.interfaces[i];
    const typed = mac && byIndex?.mac?.toLowerCase() !== mac ? ctx.config.interfaces.find((n) => n.mac?.toLowerCase() === mac) : byIndex;
    emitInterface(ctx, el, i, typed, boot(el));
  });
}

function emitInterface(ctx: ArgvContext, el: XmlElement, index: number, typed: InterfaceConfig | undefined, bootindex: number | undefined): void {
  const type = at(el, 'type') ?? '';
  const start = ctx.problems.length;
  for (const c of el.children) {
    if (!KNOWN_CHILDREN.has(c.name)) refuse(ctx, c, `in <interface type='${type}'>: not supported by the local driver`);
  }
  let mac = at(kid(el, 'mac'), 'address');
  const generated = mac === undefined;
  if (mac === undefined) mac = derivedMac(ctx.config.uuid ?? ctx.config.name, index);
  if (!MAC_RE.test(mac)) return refuse(ctx, el, `MAC address '${mac}' is not valid`);
  const modelName = at(kid(el, 'model'), 'type') ?? 'rtl8139'; // libvirt's default NIC for x86
  const model = NIC_MODELS[modelName];
  if (!model) return refuse(ctx, el, `NIC model '${modelName}' is not supported; use virtio, e1000e, e1000 or rtl8139`);
  const { deviceId, netdevId } = nicIds(mac);
  const source = kid(el, 'source');
  let netdev: string;
  let hostDev: string | undefined;
  switch (type) {
    case 'user': {
      const forwards = typed?.portForwards ?? [];
      netdev = opts('user', ['id', netdevId], ...userIpProps(ctx, el));
      for (const f of forwards) netdev += `,hostfwd=${hostfwd(f).replace(/,/g, ',,')}`;
      break;
    }
    case 'ethernet': {
      hostDev = at(kid(el, 'target'), 'dev');
      netdev = opts('tap', ['id', netdevId], ['ifname', hostDev], ['script', 'no'], ['downscript', 'no']);
      break;
    }
    case 'bridge': {
      const br = at(source, 'bridge');
      if (!br) return refuse(ctx, el, "needs <source bridge='NAME'/>");
      // qemu-bridge-helper creates the tap and adds it to the bridge
      netdev = opts('bridge', ['id', netdevId], ['br', br]);
      break;
    }
    case 'network':
      return refuse(ctx, el, `libvirt network '${at(source, 'network') ?? ''}' needs libvirtd; use <interface type='user'> or type='bridge'`);
    default:
      return refuse(ctx, el, `interface type '${type}' is not supported by the local driver; use user, bridge or ethernet`);
  }
  if (type !== 'user' && kid(el, 'portForward')) refuse(ctx, kid(el, 'portForward')!, 'port forwarding needs <interface type=\'user\'>');
  if (type !== 'user' && kid(el, 'ip')) refuse(ctx, kid(el, 'ip')!, "guest addresses can only be set on <interface type='user'>");
  const driverEl = kid(el, 'driver');
  const queues = int(at(driverEl, 'queues'));
  if (queues !== undefined && queues > 1) refuse(ctx, driverEl!, 'multiqueue NICs are not supported by the local driver');
  const mtu = int(at(kid(el, 'mtu'), 'size'));
  if (mtu !== undefined && !model.driver.startsWith('virtio')) refuse(ctx, kid(el, 'mtu')!, 'an MTU can only be set on a virtio NIC');
  const romEl = kid(el, 'rom');
  const romOff = at(romEl, 'enabled') === 'no' || at(romEl, 'bar') === 'off';
  if (romEl && at(romEl, 'file')) refuse(ctx, romEl, 'custom option ROMs are not supported');
  if (ctx.problems.length > start) return;

  const place = placePci(ctx, el, { pcie: model.pcie });
  ctx.args.push('-netdev', netdev);
  addDevice(ctx, {
    rank: place.rank,
    args: ['-device', deviceArg(model.driver, deviceId, place, ['netdev', netdevId], ['mac', mac], ['bootindex', bootindex], ['host_mtu', mtu], ['romfile', romOff ? '' : undefined])],
  });
  if (at(kid(el, 'link'), 'state') === 'down') ctx.postStart.push({ execute: 'set_link', arguments: { name: deviceId, up: false } });
  ctx.nics.push({ mac, deviceId, netdevId, type, hostDev, generatedMac: generated || undefined });
}
