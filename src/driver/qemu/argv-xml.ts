// Small helpers for reading the generic XmlElement tree of a domain, and for writing QEMU
// option values. Shared by the argv-*.ts builders of command-line.ts.
import type { XmlElement } from '../../domain/model.js';

export function kids(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => name === undefined || c.name === name);
}

export function kid(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function at(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}

/** libvirt's yes/no and on/off switches; undefined when the attribute is absent. */
export function yes(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === 'yes' || value === 'on';
}

/** Parses libvirt's integer attributes, which may be decimal or 0x-hex. */
export function int(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = /^\s*0x/i.test(value) ? parseInt(value, 16) : Number(value);
  return Number.isInteger(n) ? n : undefined;
}

const NAMING_ATTRS = ['type', 'model', 'device', 'bus', 'name', 'mode', 'state', 'dev'];

/** How an element is named in a refusal message: `<graphics type='spice'>`. */
export function describe(el: XmlElement): string {
  const parts = [el.name];
  for (const a of NAMING_ATTRS) {
    const v = el.attrs[a];
    if (v !== undefined) parts.push(`${a}='${v}'`);
  }
  // models are often a child element: <model type='qxl'/>
  const model = kid(el, 'model');
  if (model && el.attrs.model === undefined) {
    const m = model.attrs.type ?? model.attrs.name;
    if (m !== undefined) parts.push(`model='${m}'`);
  }
  return `<${parts.join(' ')}>`;
}

/** The local part of a possibly prefixed element name (qemu:commandline -> commandline). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** QEMU's option parser splits on ',': a literal comma inside a value is written ',,'. */
export function qv(value: string | number): string {
  return String(value).replace(/,/g, ',,');
}

/** Joins a QEMU option list, leaving out undefined values: opts('virtio-blk-pci', ['id', x]) */
export function opts(head: string, ...pairs: Array<[string, string | number | undefined] | undefined>): string {
  const out = [head];
  for (const p of pairs) {
    if (!p || p[1] === undefined) continue;
    out.push(`${p[0]}=${qv(p[1])}`);
  }
  return out.join(',');
}
