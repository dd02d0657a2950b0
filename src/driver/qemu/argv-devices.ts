// The remaining <devices>: input, graphics, video, sound/audio, rng, memballoon, watchdog,
// panic, and a clear refusal for everything the local driver cannot run (TPM, hostdev,
// filesystem, smartcard, ...). SPICE (graphics, redirdev) is argv-spice.ts.
//
// Choices, documented here because they differ from a literal reading of the XML:
// - No <graphics>: '-display none', and a <video> is left out (a headless guest needs no
//   display adapter; libvirt would still add one). With VNC, the video model is mapped.
// - VNC with autoport (or port -1) listens on 127.0.0.1 (or the given address) from :0 up,
//   like libvirt's autoport; <listen type='socket'> uses a unix socket in the runtime dir.
// - Sound devices without an <audio> get '-audiodev spice' with SPICE graphics (the client
//   plays it), else '-audiodev none': the guest sees the card, the host plays nothing. Both
//   are libvirt's defaults.
// - No <memballoon>: a virtio balloon 'balloon0' is added, as libvirt does for x86.
import { join } from 'node:path';
import type { XmlElement } from '../../domain/model.js';
import { addDevice, refuse, type ArgvContext } from './argv-context.js';
import { deviceArg, needUsb, placePci } from './argv-pci.js';
import { emitRedirdev, emitSpice, NEEDS_SPICE, spiceGraphics } from './argv-spice.js';
import { at, int, kid, kids, opts, qv } from './argv-xml.js';

/** Devices handled by other builders; anything not here and not below is refused. */
const HANDLED_ELSEWHERE = new Set(['emulator', 'disk', 'controller', 'interface', 'serial', 'console', 'channel', 'parallel']);

const REFUSALS: Record<string, string> = {
  tpm: 'a TPM needs swtpm or a host TPM, which the local driver does not run; remove it',
  hostdev: 'host device passthrough is not supported by the local driver; remove it',
  filesystem: 'shared folders (virtiofs/9p) are not supported by the local driver; remove it',
  smartcard: 'smartcards are not supported by the local driver; remove it',
  hub: 'USB hubs are not supported by the local driver; remove it',
  shmem: 'shared memory devices are not supported by the local driver; remove it',
  iommu: 'a virtual IOMMU is not supported by the local driver; remove it',
  vsock: 'vsock is not supported by the local driver; remove it',
  memory: 'memory hotplug devices are not supported by the local driver; remove it',
  nvram: 'this NVRAM device is not for x86 guests; remove it',
  crypto: 'crypto devices are not supported by the local driver; remove it',
  pstore: 'pstore is not supported by the local driver; remove it',
  lease: 'lock leases need libvirt; remove it',
};

export function emitOtherDevices(ctx: ArgvContext): void {
  const audioId = emitAudio(ctx);
  let balloon = false;
  for (const el of ctx.devicesEl?.children ?? []) {
    if (HANDLED_ELSEWHERE.has(el.name)) continue;
    switch (el.name) {
      case 'input':
        emitInput(ctx, el);
        break;
      case 'graphics':
        break; // below, all at once
      case 'video':
        break; // below
      case 'audio':
        break; // emitAudio
      case 'sound':
        emitSound(ctx, el, audioId);
        break;
      case 'rng':
        emitRng(ctx, el);
        break;
      case 'memballoon':
        balloon = true;
        emitBalloon(ctx, el);
        break;
      case 'watchdog':
        emitWatchdog(ctx, el);
        break;
      case 'panic':
        emitPanic(ctx, el);
        break;
      case 'redirdev':
        emitRedirdev(ctx, el, kids(ctx.devicesEl, 'redirdev').indexOf(el));
        break;
      default:
        refuse(ctx, el, REFUSALS[el.name] ?? 'not supported by the local driver; remove it');
    }
  }
  if (!balloon) emitBalloon(ctx, undefined);
  const graphics = kids(ctx.devicesEl, 'graphics');
  emitGraphics(ctx, graphics);
  if (graphics.length > 0) kids(ctx.devicesEl, 'video').forEach((v, i) => emitVideo(ctx, v, i));
}

function emitInput(ctx: ArgvContext, el: XmlElement): void {
  const type = at(el, 'type') ?? '';
  const id = `input${kids(ctx.devicesEl, 'input').indexOf(el)}`;
  const bus = at(el, 'bus') ?? (type === 'tablet' ? 'usb' : 'ps2');
  if (!['tablet', 'mouse', 'keyboard'].includes(type)) return refuse(ctx, el, `input type '${type}' is not supported by the local driver`);
  if (bus === 'ps2') {
    if (type === 'tablet') refuse(ctx, el, 'a tablet cannot be on PS/2; use bus usb or virtio');
    return; // the machine's own i8042 PS/2 mouse and keyboard
  }
  if (bus === 'usb') {
    const usb = needUsb(ctx, el);
    if (!usb) return;
    const driver = type === 'tablet' ? 'usb-tablet' : type === 'mouse' ? 'usb-mouse' : 'usb-kbd';
    addDevice(ctx, { rank: 3, args: ['-device', opts(driver, ['id', id], ['bus', usb])] });
    return;
  }
  if (bus === 'virtio') {
    const place = placePci(ctx, el, { pcie: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(`virtio-${type}-pci`, id, place)] });
    return;
  }
  refuse(ctx, el, `input bus '${bus}' is not supported by the local driver`);
}

function vncListen(ctx: ArgvContext, el: XmlElement): { host?: string; socket?: string; none?: boolean } | undefined {
  const listens = kids(el, 'listen');
  const l = listens[0];
  const type = at(l, 'type') ?? 'address';
  if (listens.length > 1) return void refuse(ctx, el, 'only one <listen> is supported');
  if (type === 'socket') return { socket: at(l, 'socket') ?? join(ctx.runtimeDir, 'vnc.sock') };
  if (type === 'none') return { none: true };
  if (type !== 'address') return void refuse(ctx, l!, `listen type '${type}' needs libvirt`);
  return { host: at(l, 'address') ?? at(el, 'listen') ?? '127.0.0.1' };
}

function emitGraphics(ctx: ArgvContext, graphics: XmlElement[]): void {
  ctx.args.push('-display', 'none');
  let vnc = false;
  for (const g of graphics) {
    const type = at(g, 'type');
    if (type === 'spice') {
      if (g === spiceGraphics(ctx)) emitSpice(ctx, g);
      else refuse(ctx, g, 'only one SPICE display is supported');
      continue;
    }
    if (type !== 'vnc') {
      refuse(ctx, g, "only <graphics type='vnc'> and type='spice' are supported by the local driver");
      continue;
    }
    if (vnc) {
      refuse(ctx, g, 'only one VNC display is supported');
      continue;
    }
    vnc = true;
    const listen = vncListen(ctx, g);
    if (!listen) continue;
    const port = int(at(g, 'port'));
    const auto = at(g, 'autoport') === 'yes' || port === undefined || port < 0;
    let head: string;
    if (listen.none) head = 'none';
    else if (listen.socket) {
      head = `unix:${qv(listen.socket)}`;
      ctx.vncSocket = listen.socket;
    } else {
      const host = listen.host!.includes(':') ? `[${listen.host}]` : listen.host!;
      if (!auto && port! < 5900) {
        refuse(ctx, g, `VNC port ${port} is below 5900`);
        continue;
      }
      head = auto ? `${host}:0,to=99` : `${host}:${port! - 5900}`;
    }
    const props: string[] = [head];
    const passwd = at(g, 'passwd');
    if (passwd !== undefined) {
      props.push('password=on');
      ctx.postStart.push({ execute: 'set_password', arguments: { protocol: 'vnc', password: passwd } });
    }
    const ws = int(at(g, 'websocket'));
    if (ws !== undefined) props.push(ws < 0 ? 'websocket=on' : `websocket=${ws}`);
    const share = at(g, 'sharePolicy');
    if (share) props.push(`share=${qv(share)}`);
    ctx.args.push('-vnc', props.join(','));
    const keymap = at(g, 'keymap');
    if (keymap) ctx.args.push('-k', keymap);
    for (const c of g.children) {
      if (c.name !== 'listen') refuse(ctx, c, 'in <graphics type=\'vnc\'>: not supported by the local driver');
    }
  }
}

const VIDEO: Record<string, [primary: string, secondary: string, pcie: boolean]> = {
  vga: ['VGA', 'secondary-vga', false],
  cirrus: ['cirrus-vga', '', false],
  qxl: ['qxl-vga', 'qxl', false],
  virtio: ['virtio-vga', 'virtio-gpu-pci', true],
  bochs: ['bochs-display', 'bochs-display', true],
  vmvga: ['vmware-svga', '', false],
  ramfb: ['ramfb', '', false],
};

function emitVideo(ctx: ArgvContext, el: XmlElement, i: number): void {
  const model = kid(el, 'model');
  const type = at(model, 'type') ?? 'vga';
  if (type === 'none') return;
  const v = VIDEO[type];
  if (!v) return refuse(ctx, el, `video model '${type}' is not supported by the local driver`);
  const driver = i === 0 ? v[0] : v[1];
  if (!driver) return refuse(ctx, el, `video model '${type}' can only be the first video device`);
  if (kid(model, 'acceleration') && at(kid(model, 'acceleration'), 'accel3d') === 'yes') return refuse(ctx, el, '3D acceleration is not supported by the local driver');
  if (driver === 'ramfb') {
    addDevice(ctx, { rank: 3, args: ['-device', opts('ramfb', ['id', `video${i}`])] });
    return;
  }
  const place = placePci(ctx, el, { pcie: v[2] });
  addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, `video${i}`, place, ...(type === 'qxl' ? qxlSizes(ctx, el, model!) : []))] });
}

/** libvirt's qxl sizes are KiB: ram and vram in bytes, vgamem and vram64 in MiB; heads as outputs. */
function qxlSizes(ctx: ArgvContext, el: XmlElement, model: XmlElement): Array<[string, number | undefined]> {
  const num = (name: string) => int(at(model, name));
  const vgamem = num('vgamem');
  if (vgamem !== undefined && vgamem < 1024) {
    refuse(ctx, el, `qxl vgamem must be at least 1024 KiB (1 MiB), not ${vgamem}`);
    return [];
  }
  const bytes = (n: number | undefined) => (n === undefined ? undefined : n * 1024);
  const mib = (n: number | undefined) => (n === undefined ? undefined : Math.floor(n / 1024));
  return [['ram_size', bytes(num('ram'))], ['vram_size', bytes(num('vram'))], ['vram64_size_mb', mib(num('vram64'))], ['vgamem_mb', mib(vgamem)], ['max_outputs', num('heads')]];
}

function emitAudio(ctx: ArgvContext): string | undefined {
  let id: string | undefined;
  for (const a of kids(ctx.devicesEl, 'audio')) {
    const type = at(a, 'type');
    if (type === 'spice' && !spiceGraphics(ctx)) {
      refuse(ctx, a, NEEDS_SPICE);
      continue;
    }
    if (type !== 'none' && type !== 'spice') {
      refuse(ctx, a, "host audio is not supported by the local driver; use <audio type='none'> or type='spice', or remove it");
      continue;
    }
    const aid = `audio${at(a, 'id') ?? '1'}`;
    ctx.args.push('-audiodev', opts(type, ['id', aid]));
    id ??= aid;
  }
  if (!id && kids(ctx.devicesEl, 'sound').length > 0) {
    id = 'audio1';
    ctx.args.push('-audiodev', opts(spiceGraphics(ctx) ? 'spice' : 'none', ['id', id]));
  }
  return id;
}

const SOUND: Record<string, { driver: string; hda: boolean; usb?: boolean; isa?: boolean }> = {
  ich6: { driver: 'intel-hda', hda: true },
  ich9: { driver: 'ich9-intel-hda', hda: true },
  ac97: { driver: 'AC97', hda: false },
  es1370: { driver: 'ES1370', hda: false },
  sb16: { driver: 'sb16', hda: false, isa: true },
  usb: { driver: 'usb-audio', hda: false, usb: true },
};

function emitSound(ctx: ArgvContext, el: XmlElement, audioId: string | undefined): void {
  const model = at(el, 'model') ?? '';
  const s = SOUND[model];
  if (!s) return refuse(ctx, el, `sound model '${model}' is not supported by the local driver; use ich9, ich6 or ac97`);
  const n = kids(ctx.devicesEl, 'sound').indexOf(el);
  const id = `sound${n}`;
  if (s.usb) {
    const usb = needUsb(ctx, el);
    if (usb) addDevice(ctx, { rank: 3, args: ['-device', opts(s.driver, ['id', id], ['bus', usb], ['audiodev', audioId])] });
    return;
  }
  if (s.isa) {
    addDevice(ctx, { rank: 3, args: ['-device', opts(s.driver, ['id', id], ['audiodev', audioId])] });
    return;
  }
  const place = placePci(ctx, el, { pcie: false });
  if (!s.hda) {
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(s.driver, id, place, ['audiodev', audioId])] });
    return;
  }
  const codecs = kids(el, 'codec').map((c) => at(c, 'type') ?? 'duplex');
  const args = ['-device', deviceArg(s.driver, id, place)];
  (codecs.length ? codecs : ['duplex']).forEach((c, i) => {
    if (!['duplex', 'micro', 'output'].includes(c)) return refuse(ctx, el, `HDA codec '${c}' is not supported`);
    args.push('-device', opts(`hda-${c}`, ['id', `${id}-codec${i}`], ['bus', `${id}.0`], ['cad', i], ['audiodev', audioId]));
  });
  addDevice(ctx, { rank: place.rank, args });
}

function emitRng(ctx: ArgvContext, el: XmlElement): void {
  const model = at(el, 'model');
  const drivers: Record<string, string> = { virtio: 'virtio-rng-pci', 'virtio-transitional': 'virtio-rng-pci-transitional', 'virtio-non-transitional': 'virtio-rng-pci-non-transitional' };
  const driver = drivers[model ?? ''];
  if (!driver) return refuse(ctx, el, 'only virtio RNGs are supported by the local driver');
  const backend = kid(el, 'backend');
  const bmodel = at(backend, 'model');
  const n = kids(ctx.devicesEl, 'rng').indexOf(el);
  const objId = `objrng${n}`;
  if (bmodel === 'random') ctx.args.push('-object', opts('rng-random', ['id', objId], ['filename', backend!.text || '/dev/urandom']));
  else if (bmodel === 'builtin') ctx.args.push('-object', opts('rng-builtin', ['id', objId]));
  else return refuse(ctx, el, `RNG backend '${bmodel}' is not supported by the local driver; use random or builtin`);
  const rate = kid(el, 'rate');
  const place = placePci(ctx, el, { pcie: driver !== 'virtio-rng-pci-transitional' });
  addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg(driver, `rng${n}`, place, ['rng', objId], ['max-bytes', int(at(rate, 'bytes'))], ['period', int(at(rate, 'period'))])] });
}

function emitBalloon(ctx: ArgvContext, el: XmlElement | undefined): void {
  const model = el ? at(el, 'model') : 'virtio';
  if (model === 'none') return;
  const drivers: Record<string, string> = { virtio: 'virtio-balloon-pci', 'virtio-transitional': 'virtio-balloon-pci-transitional', 'virtio-non-transitional': 'virtio-balloon-pci-non-transitional' };
  const driver = drivers[model ?? ''];
  if (!driver) return refuse(ctx, el!, 'only virtio balloons are supported by the local driver');
  const place = placePci(ctx, el, { pcie: driver !== 'virtio-balloon-pci-transitional' });
  addDevice(ctx, {
    rank: place.rank,
    args: ['-device', deviceArg(driver, 'balloon0', place, ['deflate-on-oom', at(el, 'autodeflate') === 'on' ? 'on' : undefined], ['free-page-reporting', at(el, 'freePageReporting') === 'on' ? 'on' : undefined])],
  });
  ctx.balloon = true;
  const period = int(at(kid(el, 'stats'), 'period'));
  if (period !== undefined && period > 0) {
    ctx.postStart.push({ execute: 'qom-set', arguments: { path: '/machine/peripheral/balloon0', property: 'guest-stats-polling-interval', value: period } });
  }
}

const WATCHDOG_ACTIONS: Record<string, string> = { reset: 'reset', shutdown: 'shutdown', poweroff: 'poweroff', pause: 'pause', none: 'none', 'inject-nmi': 'inject-nmi' };

function emitWatchdog(ctx: ArgvContext, el: XmlElement): void {
  const model = at(el, 'model');
  const action = at(el, 'action') ?? 'reset';
  if (!WATCHDOG_ACTIONS[action]) return refuse(ctx, el, `watchdog action '${action}' is not supported by the local driver`);
  if (model === 'i6300esb') {
    const place = placePci(ctx, el, { pcie: false });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('i6300esb', 'watchdog0', place)] });
  } else if (model === 'ib700') {
    addDevice(ctx, { rank: 3, args: ['-device', opts('ib700', ['id', 'watchdog0'])] });
  } else return refuse(ctx, el, 'only watchdog models i6300esb and ib700 are supported by the local driver');
  ctx.args.push('-action', `watchdog=${WATCHDOG_ACTIONS[action]}`);
}

function emitPanic(ctx: ArgvContext, el: XmlElement): void {
  const model = at(el, 'model') ?? 'isa';
  if (model === 'isa') addDevice(ctx, { rank: 3, args: ['-device', opts('pvpanic', ['id', 'panic0'])] });
  else if (model === 'pvpanic') {
    const place = placePci(ctx, el, { pcie: true });
    addDevice(ctx, { rank: place.rank, args: ['-device', deviceArg('pvpanic-pci', 'panic0', place)] });
  } else refuse(ctx, el, `panic model '${model}' is not supported by the local driver; use isa`);
}
