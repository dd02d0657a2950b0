// The state the argv builders share while they walk one domain: machine facts, the growing
// argument lists, the devices waiting to be ordered, and the problems that refuse the start.
import type { DomainConfig, XmlElement } from '../../domain/model.js';
import { describe } from './argv-xml.js';

export type MachineFamily = 'pc' | 'q35';
export type Accel = 'kvm' | 'tcg';

export interface QmpCommand {
  execute: string;
  arguments?: Record<string, unknown>;
}

/** One -device (or -object + -device group) waiting to be placed in the final argv. */
export interface DeviceEntry {
  args: string[];
  /** 0 controllers with a fixed address, 1 other controllers, 2 devices with a fixed address
   *  on the root bus, 3 everything else: fixed slots are taken before QEMU hands out free ones */
  rank: 0 | 1 | 2 | 3;
}

export interface DiskNaming {
  target: string;
  /** -device id (qdev id), e.g. disk-vda */
  deviceId: string;
  /** -blockdev node-name of the format layer, e.g. drive-vda; undefined for an empty CD-ROM */
  nodeName?: string;
  /** -blockdev node-name of the protocol (file) layer, e.g. file-vda */
  fileNodeName?: string;
}

export interface NicNaming {
  mac: string;
  /** -device id, e.g. net-525400123456 */
  deviceId: string;
  /** -netdev id, e.g. hostnet-525400123456 */
  netdevId: string;
  type: string;
  /** tap device name, for ethernet interfaces with a <target dev> */
  hostDev?: string;
  /** true when the MAC was not in the XML and was derived from the domain's uuid */
  generatedMac?: boolean;
}

export interface ChannelNaming {
  /** virtio port name, e.g. org.qemu.guest_agent.0 */
  name: string;
  /** unix socket QEMU listens on */
  path: string;
}

export interface ArgvContext {
  config: DomainConfig;
  root: XmlElement;
  devicesEl: XmlElement | undefined;
  family: MachineFamily;
  accel: Accel;
  /** where extra sockets go (guest agent, VNC) */
  runtimeDir: string;
  serialSocket: string;
  serialLog: string;
  /** -machine properties beyond the type */
  machineProps: Array<[string, string]>;
  /** -cpu model and its properties */
  cpuModel?: string;
  cpuProps: string[];
  /** -accel properties (kernel-irqchip=split) */
  accelProps: string[];
  /** global args in the order they are added (after -machine/-accel/-cpu/-m/-smp) */
  args: string[];
  devices: DeviceEntry[];
  postStart: QmpCommand[];
  env: Record<string, string>;
  /** appended verbatim at the end (from <qemu:commandline>) */
  extraArgs: string[];
  disks: DiskNaming[];
  nics: NicNaming[];
  channels: ChannelNaming[];
  vncSocket?: string;
  /** unix socket of the SPICE display, when it listens on one */
  spiceSocket?: string;
  hasSerial: boolean;
  balloon: boolean;
  /** PCIe root ports (q35) not yet holding a device: where cold-plugged devices and hotplug go */
  freeRootPorts: string[];
  /** ids of controllers already emitted (sata0, scsi0, virtio-serial0, usb) */
  controllers: Set<string>;
  usbBusId?: string;
  usbDisabled: boolean;
  problems: string[];
}

export function refuse(ctx: ArgvContext, el: XmlElement | string, why: string): void {
  const name = typeof el === 'string' ? el : describe(el);
  ctx.problems.push(`${name}: ${why}`);
}

export function addDevice(ctx: ArgvContext, entry: DeviceEntry): void {
  ctx.devices.push(entry);
}
