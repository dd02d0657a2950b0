// SPICE, as virt-install writes it for a desktop guest: <graphics type='spice'>, the agent
// channel (<channel type='spicevmc'>), USB redirection (<redirdev type='spicevmc'>) and SPICE
// audio. Mapped as libvirt does, with one deliberate difference:
// - The display is private to the user. It listens on a unix socket in the domain's runtime
//   directory (rt.runtimeDir, mode 0700), 'spice.sock', unless the XML names a socket, or asks
//   for a fixed port on a loopback address (honoured as is). autoport and any non-loopback or
//   libvirt-network listen address also get the unix socket: libvirt's default listen is
//   loopback, autoport would need a free-port search (not pure), and a display on the network
//   without a password would hand the guest's console to anyone. Connect with
//   'remote-viewer spice+unix://PATH'.
// - tlsPort is not opened: TLS needs certificates the local driver does not manage; a domain
//   that insists on TLS (defaultMode or a channel mode 'secure') is refused.
// - passwd: QEMU starts with ticketing on and no password (nobody can connect), the password is
//   set by the postStart 'set_password' (and 'expire_password' for passwdValidTo). It is not
//   put on the command line, where every user could read it ('password-secret' would need a
//   file). Without passwd, 'disable-ticketing=on' (QEMU 7.2 refuses set_password then).
import { join } from 'node:path';
import type { XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { needUsb } from './argv-pci.js';
import { at, int, kid, kids, opts, qv } from './argv-xml.js';

/** The domain's first SPICE display, which spicevmc channels, redirdevs and audio need. */
export function spiceGraphics(ctx: ArgvContext): XmlElement | undefined {
  return kids(ctx.devicesEl, 'graphics').find((g) => at(g, 'type') === 'spice');
}

export const NEEDS_SPICE = "needs <graphics type='spice'> in the same domain";

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const CHOICES: Record<string, { attr: string; prop: string; values: string[] }> = {
  image: { attr: 'compression', prop: 'image-compression', values: ['auto_glz', 'auto_lz', 'quic', 'glz', 'lz', 'off'] },
  jpeg: { attr: 'compression', prop: 'jpeg-wan-compression', values: ['auto', 'never', 'always'] },
  zlib: { attr: 'compression', prop: 'zlib-glz-wan-compression', values: ['auto', 'never', 'always'] },
  streaming: { attr: 'mode', prop: 'streaming-video', values: ['filter', 'all', 'off'] },
};

/** Where the display listens: a -spice head (unix socket, loopback port, or none). */
function spiceListen(ctx: ArgvContext, g: XmlElement): Array<[string, string]> | undefined {
  const listens = kids(g, 'listen');
  if (listens.length > 1) return void refuse(ctx, g, 'only one <listen> is supported');
  const l = listens[0];
  const type = at(l, 'type') ?? 'address';
  if (type === 'none') return [['port', '0']];
  const socket = (path: string): Array<[string, string]> => {
    ctx.spiceSocket = path;
    return [['unix', 'on'], ['addr', path]];
  };
  if (type === 'socket') return socket(at(l, 'socket') ?? join(ctx.runtimeDir, 'spice.sock'));
  if (type !== 'address' && type !== 'network') return void refuse(ctx, l!, `listen type '${type}' is not supported by the local driver`);
  const host = (type === 'address' ? at(l, 'address') : undefined) ?? at(g, 'listen') ?? '127.0.0.1';
  const port = int(at(g, 'port'));
  const auto = at(g, 'autoport') === 'yes' || port === undefined || port < 0;
  // only a fixed port on loopback is honoured; everything else is the private unix socket
  if (type === 'address' && !auto && isLoopback(host)) return [['addr', host === 'localhost' ? '127.0.0.1' : host], ['port', String(port)]];
  return socket(join(ctx.runtimeDir, 'spice.sock'));
}

export function emitSpice(ctx: ArgvContext, g: XmlElement): void {
  if (at(g, 'defaultMode') === 'secure') return refuse(ctx, g, "defaultMode 'secure' needs TLS certificates, which the local driver does not manage; use 'any' or remove it");
  const head = spiceListen(ctx, g);
  if (!head) return;
  const props: Array<[string, string]> = [...head];
  const passwd = at(g, 'passwd');
  if (passwd === undefined) props.push(['disable-ticketing', 'on']);
  for (const c of g.children) {
    const choice = CHOICES[c.name];
    if (choice) {
      const v = at(c, choice.attr);
      if (v !== undefined && !choice.values.includes(v)) refuse(ctx, c, `${choice.attr} must be one of ${choice.values.join(', ')}`);
      else if (v !== undefined) props.push([choice.prop, v]);
      continue;
    }
    switch (c.name) {
      case 'listen':
        break;
      case 'gl':
        if (at(c, 'enable') === 'yes') refuse(ctx, c, "OpenGL needs a GPU render node and an EGL display, which the local driver does not set up; use <gl enable='no'/> or remove it");
        break;
      case 'playback':
        if (at(c, 'compression')) props.push(['playback-compression', at(c, 'compression') === 'off' ? 'off' : 'on']);
        break;
      case 'clipboard':
        if (at(c, 'copypaste') === 'no') props.push(['disable-copy-paste', 'on']);
        break;
      case 'filetransfer':
        if (at(c, 'enable') === 'no') props.push(['disable-agent-file-xfer', 'on']);
        break;
      case 'mouse':
        if (at(c, 'mode')) props.push(['agent-mouse', at(c, 'mode') === 'client' ? 'on' : 'off']);
        break;
      case 'channel': {
        const mode = at(c, 'mode') ?? 'any';
        if (mode === 'secure') refuse(ctx, c, "a 'secure' SPICE channel needs TLS certificates, which the local driver does not manage");
        else if (mode === 'insecure' && at(c, 'name')) props.push(['plaintext-channel', at(c, 'name')!]);
        break;
      }
      default:
        refuse(ctx, c, "in <graphics type='spice'>: not supported by the local driver");
    }
  }
  ctx.args.push('-spice', props.map(([k, v]) => `${k}=${qv(v)}`).join(','));
  if (passwd !== undefined) {
    ctx.postStart.push({ execute: 'set_password', arguments: { protocol: 'spice', password: passwd } });
    const validTo = at(g, 'passwdValidTo');
    if (validTo) {
      // libvirt's timestamps are UTC; JavaScript would read a bare one as local time
      const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(validTo) ? validTo : `${validTo}Z`);
      if (Number.isNaN(ms)) refuse(ctx, g, `passwdValidTo '${validTo}' is not a date and time`);
      else ctx.postStart.push({ execute: 'expire_password', arguments: { protocol: 'spice', time: String(Math.floor(ms / 1000)) } });
    }
  }
}

/** The agent channel: -chardev spicevmc (name vdagent) behind a virtserialport. */
export function spicevmcChannelChardev(ctx: ArgvContext, el: XmlElement, id: string): string | undefined {
  if (!spiceGraphics(ctx)) return void refuse(ctx, el, NEEDS_SPICE);
  const name = at(kid(el, 'target'), 'name') ?? 'com.redhat.spice.0';
  if (name !== 'com.redhat.spice.0') return void refuse(ctx, el, `a spicevmc channel carries the SPICE agent, named com.redhat.spice.0, not '${name}'`);
  return opts('spicevmc', ['id', id], ['name', 'vdagent']);
}

/** <redirdev bus='usb' type='spicevmc'>: a usb-redir port the SPICE client can give a USB device. */
export function emitRedirdev(ctx: ArgvContext, el: XmlElement, n: number): void {
  const bus = at(el, 'bus') ?? 'usb';
  const type = at(el, 'type');
  if (bus !== 'usb') return refuse(ctx, el, `redirection bus '${bus}' is not supported; use usb`);
  if (type !== 'spicevmc') return refuse(ctx, el, `USB redirection over '${type}' is not supported by the local driver; use type 'spicevmc' with SPICE graphics, or remove it`);
  if (!spiceGraphics(ctx)) return refuse(ctx, el, NEEDS_SPICE);
  for (const c of el.children) {
    // a USB <address> from dumpxml is left to QEMU, as for USB input devices
    if (c.name !== 'address' && c.name !== 'alias') return refuse(ctx, c, 'in <redirdev>: not supported by the local driver');
  }
  const usb = needUsb(ctx, el);
  if (!usb) return;
  const chardev = `charredir${n}`;
  ctx.args.push('-chardev', opts('spicevmc', ['id', chardev], ['name', 'usbredir']));
  addDevice(ctx, { rank: 3, args: ['-device', opts('usb-redir', ['chardev', chardev], ['id', `redir${n}`], ['bus', usb])] });
}
