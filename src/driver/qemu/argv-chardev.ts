// <serial>, <console>, <channel>, <parallel> -> -chardev + -device.
// The first serial port is the local driver's console: whatever the XML's source type, it is a
// unix socket in the runtime directory with a logfile, so boot output is kept and the console
// can attach (chardev 'charserial0', device 'serial0'). A <console> of target type serial
// (or a bare <console type='pty'/>) is that same port, as in libvirt. Other ports, channels
// and virtio consoles get the source the XML asks for; unix sockets without a path go into the
// runtime directory. The guest agent channel becomes a virtserialport on a socket there; the
// SPICE agent channel (spicevmc) a virtserialport on a spicevmc chardev (argv-spice.ts).
import { join } from 'node:path';
import type { XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { deviceArg, placePci } from './argv-pci.js';
import { NEEDS_SPICE, spiceGraphics, spicevmcChannelChardev } from './argv-spice.js';
import { at, int, kid, kids, opts } from './argv-xml.js';

/** The -chardev value for a source of the given libvirt type, or undefined after a refusal. */
function chardevFor(ctx: ArgvContext, el: XmlElement, id: string, sockName: string): { arg: string; path?: string } | undefined {
  const type = at(el, 'type') ?? 'pty';
  const source = kid(el, 'source');
  const log = kid(el, 'log');
  const logProps: Array<[string, string | undefined]> = log ? [['logfile', at(log, 'file')], ['logappend', at(log, 'append') === 'on' ? 'on' : undefined]] : [];
  switch (type) {
    case 'pty':
      return { arg: opts('pty', ['id', id], ...logProps) };
    case 'null':
      return { arg: opts('null', ['id', id]) };
    case 'file': {
      const path = at(source, 'path');
      if (!path) return void refuse(ctx, el, "needs <source path='...'/>");
      return { arg: opts('file', ['id', id], ['path', path], ['append', at(source, 'append') === 'on' ? 'on' : undefined]) };
    }
    case 'unix': {
      const path = at(source, 'path') ?? join(ctx.runtimeDir, sockName);
      const server = (at(source, 'mode') ?? 'bind') === 'bind';
      return { arg: opts('socket', ['id', id], ['path', path], ['server', server ? 'on' : 'off'], ['wait', server ? 'off' : undefined], ...logProps), path };
    }
    case 'tcp': {
      const host = at(source, 'host');
      const port = at(source, 'service');
      if (!port) return void refuse(ctx, el, "needs <source service='PORT'/>");
      if (at(source, 'tls') === 'yes') return void refuse(ctx, el, 'TLS on a character device is not supported by the local driver');
      const server = (at(source, 'mode') ?? 'bind') === 'bind';
      const telnet = at(kid(el, 'protocol'), 'type') === 'telnet';
      return { arg: opts('socket', ['id', id], ['host', host ?? (server ? '127.0.0.1' : undefined)], ['port', port], ['server', server ? 'on' : 'off'], ['wait', server ? 'off' : undefined], ['telnet', telnet ? 'on' : undefined], ...logProps) };
    }
    case 'spiceport': {
      // a named port the SPICE client shows (e.g. a serial console in remote-viewer)
      const channel = at(source, 'channel');
      if (!spiceGraphics(ctx)) return void refuse(ctx, el, NEEDS_SPICE);
      if (!channel) return void refuse(ctx, el, "needs <source channel='NAME'/>");
      return { arg: opts('spiceport', ['id', id], ['name', channel]) };
    }
    case 'spicevmc':
      return void refuse(ctx, el, "spicevmc is the SPICE agent's channel: use it as <channel type='spicevmc'> with <target type='virtio' name='com.redhat.spice.0'/>");
    case 'qemu-vdagent':
      return void refuse(ctx, el, 'the QEMU clipboard agent (qemu-vdagent) is not supported by the local driver; remove it');
    default:
      return void refuse(ctx, el, `character device type '${type}' is not supported by the local driver; use pty, unix, file or null`);
  }
}

function spicevmcChannel(ctx: ArgvContext, el: XmlElement, id: string): { arg: string; path?: string } | undefined {
  const arg = spicevmcChannelChardev(ctx, el, id);
  return arg === undefined ? undefined : { arg };
}

function needVirtioSerial(ctx: ArgvContext): string {
  const id = 'virtio-serial0';
  if (!ctx.controllers.has(id)) {
    const place = placePci(ctx, undefined, { pcie: true, controller: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('virtio-serial-pci', id, place)] });
    ctx.controllers.add(id);
  }
  return `${id}.0`;
}

export function emitVirtioSerialControllers(ctx: ArgvContext, indexes: Map<XmlElement, number>): void {
  for (const c of kids(ctx.devicesEl, 'controller')) {
    if (at(c, 'type') !== 'virtio-serial') continue;
    const index = indexes.get(c) ?? 0;
    const id = `virtio-serial${index}`;
    const place = placePci(ctx, c, { pcie: true, controller: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('virtio-serial-pci', id, place, ['max_ports', int(at(c, 'ports'))])] });
    ctx.controllers.add(id);
  }
}

function isSerialConsole(el: XmlElement): boolean {
  const t = at(kid(el, 'target'), 'type');
  return t === undefined || t === 'serial';
}

export function emitCharDevices(ctx: ArgvContext): void {
  const serials = kids(ctx.devicesEl, 'serial');
  const consoles = kids(ctx.devicesEl, 'console');
  // libvirt: a serial-type console with no <serial> stands for serial port 0
  const ports: XmlElement[] = serials.length > 0 ? serials : consoles.filter(isSerialConsole).slice(0, 1);
  ports.forEach((el, i) => emitSerial(ctx, el, i));
  consoles.forEach((el, i) => {
    if (isSerialConsole(el)) {
      const port = int(at(kid(el, 'target'), 'port')) ?? 0;
      if (port >= Math.max(ports.length, 1)) refuse(ctx, el, `there is no serial port ${port} for this console`);
      return;
    }
    const t = at(kid(el, 'target'), 'type');
    if (t !== 'virtio') return refuse(ctx, el, `console target type '${t}' is not supported by the local driver; use serial or virtio`);
    const id = `charconsole${i}`;
    const chardev = chardevFor(ctx, el, id, `console${i}.sock`);
    if (!chardev) return;
    const bus = needVirtioSerial(ctx);
    ctx.args.push('-chardev', chardev.arg);
    addDevice(ctx, { rank: 3, args: ['-device', opts('virtconsole', ['bus', bus], ['chardev', id], ['id', `console${i}`])] });
  });
  kids(ctx.devicesEl, 'channel').forEach((el, i) => emitChannel(ctx, el, i));
  kids(ctx.devicesEl, 'parallel').forEach((el, i) => {
    const id = `charparallel${i}`;
    const chardev = chardevFor(ctx, el, id, `parallel${i}.sock`);
    if (!chardev) return;
    ctx.args.push('-chardev', chardev.arg);
    addDevice(ctx, { rank: 3, args: ['-device', opts('isa-parallel', ['chardev', id], ['id', `parallel${i}`])] });
  });
}

function emitSerial(ctx: ArgvContext, el: XmlElement, i: number): void {
  const target = kid(el, 'target');
  const model = at(kid(target, 'model'), 'name');
  const targetType = at(target, 'type') ?? (model === 'pci-serial' ? 'pci-serial' : 'isa-serial');
  const driver = targetType === 'pci-serial' ? 'pci-serial' : targetType === 'isa-serial' ? 'isa-serial' : undefined;
  if (!driver || (model !== undefined && model !== driver)) {
    return refuse(ctx, el, `serial target type '${model ?? targetType}' is not supported by the local driver; use isa-serial`);
  }
  const port = int(at(target, 'port')) ?? i;
  if (driver === 'isa-serial' && port > 3) return refuse(ctx, el, 'an x86 machine has 4 ISA serial ports (0-3)');
  const id = `charserial${i}`;
  let chardev: { arg: string } | undefined;
  if (i === 0) {
    chardev = { arg: opts('socket', ['id', id], ['path', ctx.serialSocket], ['server', 'on'], ['wait', 'off'], ['logfile', ctx.serialLog], ['logappend', 'on']) };
    ctx.hasSerial = true;
  } else {
    chardev = chardevFor(ctx, el, id, `serial${i}.sock`);
  }
  if (!chardev) return;
  ctx.args.push('-chardev', chardev.arg);
  if (driver === 'isa-serial') {
    addDevice(ctx, { rank: 2, args: ['-device', opts('isa-serial', ['chardev', id], ['id', `serial${i}`], ['index', port])] });
  } else {
    const place = placePci(ctx, el, { pcie: false });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('pci-serial', `serial${i}`, place, ['chardev', id])] });
  }
}

function emitChannel(ctx: ArgvContext, el: XmlElement, i: number): void {
  const target = kid(el, 'target');
  const ttype = at(target, 'type');
  if (ttype !== 'virtio') {
    return refuse(ctx, el, `channel target type '${ttype}' is not supported by the local driver; only virtio channels are`);
  }
  const name = at(target, 'name');
  const id = `charchannel${i}`;
  const chardev = at(el, 'type') === 'spicevmc' ? spicevmcChannel(ctx, el, id) : chardevFor(ctx, el, id, `chan${i}.sock`);
  if (!chardev) return;
  const bus = needVirtioSerial(ctx);
  ctx.args.push('-chardev', chardev.arg);
  addDevice(ctx, { rank: 3, args: ['-device', opts('virtserialport', ['bus', bus], ['chardev', id], ['id', `channel${i}`], ['name', name])] });
  if (chardev.path && name) ctx.channels.push({ name, path: chardev.path });
}
