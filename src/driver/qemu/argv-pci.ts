// PCI placement and controllers. Naming follows libvirt: the root bus is pci.0 (pc) or pcie.0
// (q35), every other PCI controller with index N is pci.N; USB is usb (usbN for index N > 0),
// SATA sataN (q35's built-in AHCI is 'ide'), SCSI scsiN, virtio-serial virtio-serialN.
// An explicit <address type='pci'> is honoured. On q35, PCIe devices without one go to the next
// free pcie-root-port, as libvirt does, so that they can be unplugged later; ports left over
// are reported for hotplug.
import type { XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { at, int, kid, kids, opts } from './argv-xml.js';

export function rootBusId(ctx: ArgvContext): string {
  return ctx.family === 'q35' ? 'pcie.0' : 'pci.0';
}

function busId(ctx: ArgvContext, index: number): string {
  return index === 0 ? rootBusId(ctx) : `pci.${index}`;
}

export interface Placement {
  props: Array<[string, string]>;
  rank: 0 | 1 | 2 | 3;
}

/**
 * Where a PCI device goes. `pcie` marks devices that sit well on a PCIe root port (virtio,
 * e1000e, qemu-xhci...); `controller` ranks the entry before ordinary devices; `bridge` marks
 * PCI controllers (root ports, bridges), which never go behind a root port themselves.
 */
export function placePci(ctx: ArgvContext, el: XmlElement | undefined, kind: { pcie: boolean; controller?: boolean; bridge?: boolean }): Placement {
  const address = kid(el, 'address');
  const type = at(address, 'type');
  if (address && type === 'pci') {
    const bus = int(at(address, 'bus')) ?? 0;
    const slot = int(at(address, 'slot')) ?? 0;
    const fn = int(at(address, 'function')) ?? 0;
    const props: Array<[string, string]> = [
      ['bus', busId(ctx, bus)],
      ['addr', `0x${slot.toString(16)}.0x${fn.toString(16)}`],
    ];
    if (at(address, 'multifunction') === 'on') props.push(['multifunction', 'on']);
    if (bus !== 0) ctx.freeRootPorts = ctx.freeRootPorts.filter((p) => p !== busId(ctx, bus));
    return { props, rank: kind.controller ? 0 : bus === 0 ? 2 : 3 };
  }
  if (address && type !== undefined && el) {
    refuse(ctx, el, `<address type='${type}'> cannot be honoured for a PCI device`);
  }
  const rank = kind.controller ? 1 : 3;
  if (ctx.family === 'q35' && kind.pcie && !kind.bridge) {
    const port = ctx.freeRootPorts.shift();
    if (port) return { props: [['bus', port]], rank };
  }
  return { props: [], rank };
}

export function deviceArg(driver: string, id: string | undefined, place: Placement, ...extra: Array<[string, string | number | undefined] | undefined>): string {
  return opts(driver, ['id', id], ...place.props, ...extra);
}

/**
 * Root ports are collected first, less those a device's own <address> names, so that a device
 * placed automatically never takes the port another device asks for.
 */
export function collectRootPorts(ctx: ArgvContext, indexes: Map<XmlElement, number>): void {
  if (ctx.family !== 'q35') return;
  const claimed = new Set<number>();
  for (const d of ctx.devicesEl?.children ?? []) {
    const a = kid(d, 'address');
    if (at(a, 'type') === 'pci') claimed.add(int(at(a, 'bus')) ?? 0);
  }
  for (const c of kids(ctx.devicesEl, 'controller')) {
    if (at(c, 'type') === 'pci' && at(c, 'model') === 'pcie-root-port') {
      const index = indexes.get(c);
      if (index !== undefined && index > 0 && !claimed.has(index)) ctx.freeRootPorts.push(`pci.${index}`);
    }
  }
}

/** libvirt numbers controllers without an index itself: one counter per controller type. */
export function controllerIndexes(devicesEl: XmlElement | undefined): Map<XmlElement, number> {
  const next = new Map<string, number>();
  const used = new Map<string, Set<number>>();
  const out = new Map<XmlElement, number>();
  const ctrls = kids(devicesEl, 'controller');
  for (const c of ctrls) {
    const i = int(at(c, 'index'));
    const t = at(c, 'type') ?? '';
    if (i !== undefined) {
      out.set(c, i);
      if (!used.has(t)) used.set(t, new Set());
      used.get(t)!.add(i);
    }
  }
  for (const c of ctrls) {
    if (out.has(c)) continue;
    const t = at(c, 'type') ?? '';
    const taken = used.get(t) ?? new Set<number>();
    used.set(t, taken);
    // USB companions (ich9-uhciN) share the index of their EHCI master
    const model = at(c, 'model') ?? '';
    if (t === 'usb' && /^ich9-uhci\d$/.test(model)) {
      out.set(c, 0);
      continue;
    }
    let n = next.get(t) ?? 0;
    // pci index 0 is the root bus
    while (taken.has(n) || (t === 'pci' && n === 0 && at(c, 'model') !== 'pci-root' && at(c, 'model') !== 'pcie-root')) n++;
    taken.add(n);
    next.set(t, n + 1);
    out.set(c, n);
  }
  return out;
}

export function emitPciControllers(ctx: ArgvContext, indexes: Map<XmlElement, number>): void {
  for (const c of kids(ctx.devicesEl, 'controller')) {
    if (at(c, 'type') !== 'pci') continue;
    const model = at(c, 'model');
    const index = indexes.get(c) ?? 0;
    const target = kid(c, 'target');
    switch (model) {
      case 'pci-root':
        if (ctx.family !== 'pc' || index !== 0) refuse(ctx, c, ctx.family === 'q35' ? 'q35 has a pcie-root, not a pci-root' : 'extra PCI root buses are not supported');
        break;
      case 'pcie-root':
        if (ctx.family !== 'q35' || index !== 0) refuse(ctx, c, ctx.family === 'pc' ? 'the pc machine has no PCI Express root' : 'extra PCI Express roots are not supported');
        break;
      case 'pcie-root-port': {
        if (ctx.family !== 'q35') {
          refuse(ctx, c, 'PCI Express root ports need machine q35');
          break;
        }
        const place = placePci(ctx, c, { pcie: true, controller: true, bridge: true });
        const chassis = int(at(target, 'chassis')) ?? index;
        const port = int(at(target, 'port')) ?? 0x10 + index - 1;
        const hotplug = at(target, 'hotplug');
        addDevice(ctx, {
          rank: place.rank,
          args: ['-device', deviceArg('pcie-root-port', `pci.${index}`, place, ['port', `0x${port.toString(16)}`], ['chassis', chassis], ['hotplug', hotplug === 'off' ? 'off' : undefined])],
        });
        break;
      }
      case 'pci-bridge': {
        const place = placePci(ctx, c, { pcie: false, controller: true, bridge: true });
        const chassis = int(at(target, 'chassisNr')) ?? index;
        addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('pci-bridge', `pci.${index}`, place, ['chassis_nr', chassis])] });
        break;
      }
      case 'pcie-to-pci-bridge':
      case 'dmi-to-pci-bridge': {
        if (ctx.family !== 'q35') {
          refuse(ctx, c, 'needs machine q35');
          break;
        }
        const place = placePci(ctx, c, { pcie: model === 'pcie-to-pci-bridge', controller: true, bridge: true });
        const driver = model === 'pcie-to-pci-bridge' ? 'pcie-pci-bridge' : 'i82801b11-bridge';
        addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, `pci.${index}`, place)] });
        break;
      }
      default:
        refuse(ctx, c, 'this PCI controller model is not supported by the local driver');
    }
  }
}

const USB_MODELS: Record<string, string> = {
  'qemu-xhci': 'qemu-xhci',
  'nec-xhci': 'nec-usb-xhci',
  'piix3-uhci': 'piix3-usb-uhci',
  'piix4-uhci': 'piix4-usb-uhci',
  'ich9-ehci1': 'ich9-usb-ehci1',
  ehci: 'usb-ehci',
};

/** USB controllers: xhci/uhci as themselves; the ICH9 EHCI set as one multifunction slot. */
export function emitUsbControllers(ctx: ArgvContext, indexes: Map<XmlElement, number>): void {
  const usb = kids(ctx.devicesEl, 'controller').filter((c) => at(c, 'type') === 'usb');
  if (usb.some((c) => at(c, 'model') === 'none')) {
    ctx.usbDisabled = true;
    for (const c of usb) if (at(c, 'model') !== 'none') refuse(ctx, c, "contradicts <controller type='usb' model='none'>");
    return;
  }
  for (const c of usb) {
    const index = indexes.get(c) ?? 0;
    const id = index === 0 ? 'usb' : `usb${index}`;
    const model = at(c, 'model') ?? (ctx.family === 'q35' ? 'qemu-xhci' : 'piix3-uhci');
    const uhci = /^ich9-uhci(\d)$/.exec(model);
    if (uhci) {
      // companions of the EHCI master: same slot, functions 0..2, as on a real ICH9
      const startport = int(at(kid(c, 'master'), 'startport')) ?? (Number(uhci[1]) - 1) * 2;
      const fn = Number(uhci[1]) - 1;
      const place = kid(c, 'address') ? placePci(ctx, c, { pcie: false, controller: true }) : { props: [['bus', rootBusId(ctx)], ['addr', `0x1d.0x${fn}`]] as Array<[string, string]>, rank: 0 as const };
      if (fn === 0 && !place.props.some(([k]) => k === 'multifunction')) place.props.push(['multifunction', 'on']);
      addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(`ich9-usb-uhci${uhci[1]}`, `${id}-uhci${uhci[1]}`, place, ['masterbus', `${id}.0`], ['firstport', startport])] });
      continue;
    }
    const driver = USB_MODELS[model];
    if (!driver) {
      refuse(ctx, c, 'this USB controller model is not supported by the local driver');
      continue;
    }
    let place: Placement;
    if (model === 'ich9-ehci1' && !kid(c, 'address')) place = { props: [['bus', rootBusId(ctx)], ['addr', '0x1d.0x7']], rank: 0 };
    else place = placePci(ctx, c, { pcie: model === 'qemu-xhci', controller: true });
    const ports = int(at(c, 'ports'));
    const portProps: Array<[string, number | undefined]> = driver.endsWith('xhci') ? [['p2', ports], ['p3', ports]] : [];
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, id, place, ...portProps)] });
    if (index === 0) ctx.usbBusId = 'usb.0';
    ctx.controllers.add(id);
  }
}

/** Called by USB devices: makes sure a USB bus exists (libvirt adds the machine's default). */
export function needUsb(ctx: ArgvContext, el: XmlElement): string | undefined {
  if (ctx.usbDisabled) {
    refuse(ctx, el, "needs USB, but the domain has <controller type='usb' model='none'>");
    return undefined;
  }
  if (!ctx.usbBusId) {
    const driver = ctx.family === 'q35' ? 'qemu-xhci' : 'piix3-usb-uhci';
    const place = placePci(ctx, undefined, { pcie: driver === 'qemu-xhci', controller: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, 'usb', place)] });
    ctx.usbBusId = 'usb.0';
    ctx.controllers.add('usb');
  }
  return ctx.usbBusId;
}
