// Boot order -> bootindex on the devices. Per-device <boot order='N'/> is used as is;
// <os><boot dev='hd|cdrom|network'/> gives indexes 1, 2, ... to the first disk, the first
// CD-ROM and the first interface, in the order listed ('fd': no floppy, nothing to boot).
// libvirt refuses a domain that mixes the two, and so does this.
import type { XmlElement } from '../../domain/model.js';
import { refuse, type ArgvContext } from './argv-context.js';
import { at, int, kid, kids } from './argv-xml.js';

export function bootIndexes(ctx: ArgvContext): Map<XmlElement, number> {
  const out = new Map<XmlElement, number>();
  const disks = kids(ctx.devicesEl, 'disk');
  const nics = kids(ctx.devicesEl, 'interface');
  const perDevice = [...disks, ...nics].filter((el) => kid(el, 'boot') !== undefined);
  const osBoots = kids(kid(ctx.root, 'os'), 'boot');
  if (perDevice.length > 0 && osBoots.length > 0) {
    refuse(ctx, osBoots[0], "per-device <boot order='N'/> and <os><boot dev/> cannot be used together");
    return out;
  }
  const seen = new Map<number, XmlElement>();
  for (const el of perDevice) {
    const bootEl = kid(el, 'boot')!;
    const order = int(at(bootEl, 'order'));
    if (order === undefined || order < 1) {
      refuse(ctx, bootEl, 'boot order must be a positive number');
      continue;
    }
    if (seen.has(order)) {
      refuse(ctx, bootEl, `boot order ${order} is used twice`);
      continue;
    }
    seen.set(order, el);
    out.set(el, order);
  }
  let next = 1;
  for (const b of osBoots) {
    const dev = at(b, 'dev');
    let el: XmlElement | undefined;
    if (dev === 'hd') el = disks.find((d) => (at(d, 'device') ?? 'disk') === 'disk');
    else if (dev === 'cdrom') el = disks.find((d) => at(d, 'device') === 'cdrom');
    else if (dev === 'network') el = nics[0];
    else if (dev !== 'fd') refuse(ctx, b, `unknown boot device '${dev}'`);
    if (el && !out.has(el)) out.set(el, next++);
  }
  return out;
}
