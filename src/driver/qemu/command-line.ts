// Domain XML (a parsed DomainConfig) -> the QEMU command line of the local driver. Pure: no
// file system, no processes; the process layer checks files and starts QEMU.
//
// Conventions the rest of the driver relies on:
// - '-nodefaults -no-user-config', as libvirt: every device in the guest is on the command
//   line, so the guest sees exactly what the XML describes.
// - Disks: -blockdev node 'drive-<target>' (format) over 'file-<target>' (file), device id
//   'disk-<target>' (argv-disks.ts). NICs: device 'net-<mac hex>', netdev 'hostnet-<mac hex>'
//   (argv-net.ts). Serial port 0: chardev 'charserial0' on rt.serialSocket with rt.serialLog
//   (argv-chardev.ts). SPICE: argv-spice.ts. Balloon: 'balloon0'. Controllers and buses: argv-pci.ts.
// - One '-qmp unix:PATH,server=on,wait=off' per rt.qmpSockets entry; '-daemonize -pidfile'.
// - What cannot be honoured is refused: UnsupportedConfigError (code UNSUPPORTED) whose message
//   names the first element and why, and whose .problems lists every one.
// - What cannot be given at start comes back as postStart QMP commands (link down, VNC
//   and SPICE passwords, balloon target below <memory>, balloon stats period), to run in order right
//   after start (or while paused, with rt.startPaused, before 'cont').
import { dirname } from 'node:path';
import type { DomainConfig } from '../../domain/model.js';
import { KvmtuiError } from '../errors.js';
import type { Accel, ArgvContext, ChannelNaming, DiskNaming, MachineFamily, NicNaming, QmpCommand } from './argv-context.js';
import { refuse } from './argv-context.js';
import { bootIndexes } from './argv-boot.js';
import { emitCharDevices, emitVirtioSerialControllers } from './argv-chardev.js';
import { emitOtherDevices } from './argv-devices.js';
import { emitDisks, emitStorageControllers } from './argv-disks.js';
import { accelFor, checkTopLevel, emitClock, emitCpu, emitFeatures, emitLifecycle, emitOs, emitPm, machineFamily } from './argv-machine.js';
import { emitInterfaces } from './argv-net.js';
import { collectRootPorts, controllerIndexes, emitPciControllers, emitUsbControllers } from './argv-pci.js';
import { at, kid, kids, opts, qv } from './argv-xml.js';

export type { QmpCommand, DiskNaming, NicNaming, ChannelNaming, MachineFamily, Accel };

export interface QemuRuntime {
  /** every path gets its own QMP monitor (QEMU serves one client per socket) */
  qmpSockets: string[];
  serialSocket: string;
  serialLog: string;
  pidFile: string;
  /** directory for further sockets (guest agent, VNC); default: the serial socket's directory */
  runtimeDir?: string;
  /** the QEMU binary; default the XML's <emulator>, else qemu-system-x86_64 */
  emulator?: string;
  /** lets the caller say the XML's <emulator> is absent here, so the default is used instead */
  emulatorExists?: (path: string) => boolean;
  /** run a kvm or qemu domain under this accelerator instead (tests here use 'tcg') */
  accelOverride?: Accel;
  /** default true: '-daemonize -pidfile PATH' */
  daemonize?: boolean;
  /** add '-S': the guest waits for 'cont' (run postStart first) */
  startPaused?: boolean;
}

export interface QemuCommandLine {
  file: string;
  args: string[];
  /** QMP commands to run right after start, in order */
  postStart: QmpCommand[];
  /** environment additions from <qemu:commandline><qemu:env> */
  env: Record<string, string>;
  machine: { family: MachineFamily; type: string };
  accel: Accel;
  disks: DiskNaming[];
  nics: NicNaming[];
  /** virtio channels on unix sockets (the guest agent: org.qemu.guest_agent.0) */
  channels: ChannelNaming[];
  /** whether serial port 0 (the console socket and its log) exists */
  serial: boolean;
  vncSocket?: string;
  /** unix socket of the SPICE display (remote-viewer spice+unix://PATH), when it has one */
  spiceSocket?: string;
  balloon: boolean;
  /** q35: pcie-root-ports left free, where hotplugged devices can go ('pci.7', ...) */
  hotplugPorts: string[];
}

/** UNSUPPORTED, with every problem found, not only the first. */
export class UnsupportedConfigError extends KvmtuiError {
  readonly problems: string[];
  constructor(domain: string, problems: string[]) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => p.slice(0, p.indexOf('>: ') + 1) || p).join(', ')})` : '';
    super('UNSUPPORTED', `cannot start '${domain}': ${problems[0]}${more}`);
    this.problems = problems;
    this.name = 'UnsupportedConfigError';
  }
}

const KNOWN_CONTROLLER_TYPES = new Set(['pci', 'usb', 'sata', 'ide', 'scsi', 'virtio-serial']);

export function buildQemuArgv(config: DomainConfig, rt: QemuRuntime): QemuCommandLine {
  const root = config.root;
  const os = kid(root, 'os');
  const typeEl = kid(os, 'type');
  const arch = config.os.arch ?? at(typeEl, 'arch') ?? 'x86_64';
  if (arch !== 'x86_64' && arch !== 'i686') {
    throw new UnsupportedConfigError(config.name, [`<type arch='${arch}'>: only x86_64 guests are supported by the local driver`]);
  }
  // the override swaps kvm for tcg (or back); it never makes another hypervisor's domain runnable
  const accel = accelFor(config.type) && (rt.accelOverride ?? accelFor(config.type));
  if (!accel) {
    throw new UnsupportedConfigError(config.name, [`<domain type='${config.type}'>: the local driver runs type 'kvm' or 'qemu' (TCG) domains`]);
  }
  const osType = config.os.type ?? typeEl?.text ?? 'hvm';
  if (osType !== 'hvm') throw new UnsupportedConfigError(config.name, [`<os><type>${osType}</type>: only hvm guests are supported by the local driver`]);
  const machine = machineFamily(config.os.machine ?? at(typeEl, 'machine'));
  if (!machine) {
    throw new UnsupportedConfigError(config.name, [`<type machine='${config.os.machine ?? at(typeEl, 'machine')}'>: the local driver runs pc (i440fx) and q35 machines`]);
  }

  const ctx: ArgvContext = {
    config,
    root,
    devicesEl: kid(root, 'devices'),
    family: machine.family,
    accel,
    runtimeDir: rt.runtimeDir ?? dirname(rt.serialSocket),
    serialSocket: rt.serialSocket,
    serialLog: rt.serialLog,
    machineProps: [],
    cpuProps: [],
    accelProps: [],
    args: [],
    devices: [],
    postStart: [],
    env: {},
    extraArgs: [],
    disks: [],
    nics: [],
    channels: [],
    hasSerial: false,
    balloon: false,
    freeRootPorts: [],
    controllers: new Set(),
    usbDisabled: false,
    problems: [],
  };

  checkTopLevel(ctx);
  emitCpu(ctx);
  emitFeatures(ctx);
  emitClock(ctx);
  emitPm(ctx);
  emitLifecycle(ctx);
  emitOs(ctx);

  const indexes = controllerIndexes(ctx.devicesEl);
  for (const c of kids(ctx.devicesEl, 'controller')) {
    if (!KNOWN_CONTROLLER_TYPES.has(at(c, 'type') ?? '')) refuse(ctx, c, 'this controller type is not supported by the local driver');
  }
  collectRootPorts(ctx, indexes);
  emitPciControllers(ctx, indexes);
  emitUsbControllers(ctx, indexes);
  const scsiModels = emitStorageControllers(ctx, indexes);
  emitVirtioSerialControllers(ctx, indexes);

  const boot = bootIndexes(ctx);
  emitDisks(ctx, scsiModels, { get: (el) => boot.get(el) });
  emitInterfaces(ctx, (el) => boot.get(el));
  emitCharDevices(ctx);
  emitOtherDevices(ctx);

  if (ctx.problems.length > 0) throw new UnsupportedConfigError(config.name, ctx.problems);

  const memMiB = Math.ceil(config.memoryKiB / 1024);
  if (ctx.balloon && config.currentMemoryKiB > 0 && config.currentMemoryKiB < config.memoryKiB) {
    ctx.postStart.push({ execute: 'balloon', arguments: { value: config.currentMemoryKiB * 1024 } });
  }

  const args: string[] = ['-name', `guest=${qv(config.name)},debug-threads=on`];
  if (config.uuid) args.push('-uuid', config.uuid);
  args.push('-machine', opts(machine.qemuName, ...ctx.machineProps));
  args.push('-accel', [accel, ...ctx.accelProps].join(','));
  if (ctx.cpuModel || ctx.cpuProps.length) args.push('-cpu', [ctx.cpuModel ?? 'qemu64', ...ctx.cpuProps].join(','));
  args.push('-m', `size=${memMiB}M`);
  args.push('-no-user-config', '-nodefaults', '-msg', 'timestamp=on');
  args.push(...ctx.args);
  // fixed PCI slots first, so QEMU's automatic placement cannot take them
  const ranked = ctx.devices.map((d, i) => ({ d, i })).sort((a, b) => a.d.rank - b.d.rank || a.i - b.i);
  for (const { d } of ranked) args.push(...d.args);
  for (const sock of rt.qmpSockets) args.push('-qmp', `unix:${qv(sock)},server=on,wait=off`);
  if (rt.daemonize !== false) args.push('-daemonize', '-pidfile', rt.pidFile);
  if (rt.startPaused) args.push('-S');
  args.push(...ctx.extraArgs);

  const xmlEmulator = config.emulator ?? kid(ctx.devicesEl, 'emulator')?.text;
  let file = rt.emulator ?? xmlEmulator ?? 'qemu-system-x86_64';
  if (!rt.emulator && xmlEmulator && rt.emulatorExists && !rt.emulatorExists(xmlEmulator)) file = 'qemu-system-x86_64';

  return {
    file,
    args,
    postStart: ctx.postStart,
    env: ctx.env,
    machine: { family: machine.family, type: machine.qemuName },
    accel,
    disks: ctx.disks,
    nics: ctx.nics,
    channels: ctx.channels,
    serial: ctx.hasSerial,
    vncSocket: ctx.vncSocket,
    spiceSocket: ctx.spiceSocket,
    balloon: ctx.balloon,
    hotplugPorts: ctx.freeRootPorts,
  };
}
