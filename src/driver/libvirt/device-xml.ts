// The <interface> element for `virsh attach-device` / `detach-device`. virsh attach-interface
// cannot add user networking (it insists on a source), so NICs always go through device XML.
import type { InterfaceAttachSpec } from '../driver.js';
import { KvmtuiError } from '../errors.js';

const MODELS = new Set(['virtio', 'e1000e', 'rtl8139', 'e1000']);
const TYPES = new Set(['user', 'bridge', 'ethernet', 'network']);

/** An XML attribute value, escaped for single or double quotes. */
export function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

export function interfaceXml(spec: InterfaceAttachSpec, mac: string): string {
  if (!TYPES.has(spec.type)) throw new KvmtuiError('INVALID_CONFIG', `unknown interface type '${String(spec.type)}' (use ${[...TYPES].join(', ')})`);
  const model = spec.model ?? 'virtio';
  if (!MODELS.has(model)) throw new KvmtuiError('INVALID_CONFIG', `unknown NIC model '${String(model)}' (use ${[...MODELS].join(', ')})`);
  const lines = [`<interface type='${spec.type}'>`, `  <mac address='${attr(mac)}'/>`];
  if (spec.type === 'bridge' || spec.type === 'network') {
    if (!spec.source) throw new KvmtuiError('INVALID_CONFIG', `a ${spec.type} interface needs a ${spec.type === 'bridge' ? 'bridge' : 'network'} name`);
    lines.push(`  <source ${spec.type}='${attr(spec.source)}'/>`);
  }
  if (spec.targetDev) lines.push(`  <target dev='${attr(spec.targetDev)}'/>`);
  lines.push(`  <model type='${model}'/>`, '</interface>', '');
  return lines.join('\n');
}

/** An empty CD-ROM drive: attach-disk always wants a source, attach-device does not. */
export function emptyCdromXml(target: string, bus: string): string {
  return `<disk type='file' device='cdrom'>\n  <driver name='qemu' type='raw'/>\n  <target dev='${attr(target)}' bus='${attr(bus)}'/>\n  <readonly/>\n</disk>\n`;
}
