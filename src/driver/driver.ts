// The Driver interface: what the store and the CLI need from a hypervisor connection.
// The local QEMU/KVM driver implements it today; a libvirt (virsh) driver will implement it next,
// so nothing here may assume a local QEMU process.
import type { DomainConfig } from '../domain/model.js';

/** libvirt's state names, plus the transient ones shown while an action is under way. */
export type DomainState =
  | 'running'
  | 'paused'
  | 'shutoff'
  | 'crashed'
  | 'pmsuspended'
  | 'starting'
  | 'shutting down';

export interface DomainSummary {
  /** driver URI this domain belongs to, e.g. "qemu+local:///home/op/.local/share/kvmtui" */
  connection: string;
  name: string;
  uuid: string;
  title?: string;
  state: DomainState;
  /**
   * Why the domain is in that state, libvirt-style: "booted", "user", "shutdown", "destroyed",
   * "crashed", "internal-error", "io-error"... Undefined when there is nothing to say.
   */
  reason?: string;
  /** A human sentence for an abnormal state (crashed, internal-error), shown in the UI and by `list`. */
  message?: string;
  /** Domain type from the XML: 'kvm' or 'qemu' (TCG). */
  type: string;
  vcpus: number;
  /** <memory>, KiB */
  memoryKiB: number;
  /** <currentMemory>, KiB */
  currentMemoryKiB: number;
  /** host pid of the emulator while it runs (local driver only) */
  pid?: number;
  /** ms since epoch when the domain was started, while it runs */
  startedAt?: number;
  persistent: boolean;
  autostart: boolean;
}

export interface DomainDetails extends DomainSummary {
  /** the persistent XML, byte for byte as stored */
  xml: string;
  config: DomainConfig;
}

/** Raw cumulative counters from one sample; the store turns two samples into rates. */
export interface StatsSample {
  name: string;
  /** ms since epoch when the sample was taken */
  time: number;
  state: DomainState;
  cpu?: {
    /** whole emulator process (user+sys), ns, cumulative */
    processNs: number;
    /** sum over the vCPU threads, ns, cumulative */
    vcpuNs: number;
    /** per vCPU thread, ns, cumulative; index = vCPU index */
    perVcpuNs: number[];
    vcpus: number;
  };
  memory?: {
    /** the domain's <memory>, KiB */
    maxKiB: number;
    /** balloon actual size, KiB; undefined when the domain has no balloon */
    balloonKiB?: number;
    /** from virtio-balloon guest stats; undefined until the guest reports */
    guestTotalKiB?: number;
    guestFreeKiB?: number;
    guestAvailableKiB?: number;
    /** emulator RSS on the host, KiB */
    rssKiB?: number;
    /** e.g. "no balloon", "guest has not reported yet" */
    note?: string;
  };
  disks: DiskStats[];
  nics: NicStats[];
  /** KVM counters from query-stats (exits, halt_poll_success_ns...), only when QEMU reports them */
  kvm?: Record<string, number>;
}

export interface DiskStats {
  target: string;
  rdBytes: number;
  wrBytes: number;
  rdOps: number;
  wrOps: number;
}

export interface NicStats {
  mac: string;
  /** host-side device (tap name) when there is one */
  hostDev?: string;
  rxBytes?: number;
  txBytes?: number;
  rxPackets?: number;
  txPackets?: number;
  /** why counters are missing, e.g. "user networking: the host has no counters" */
  note?: string;
}

export interface HostStats {
  time: number;
  /** cumulative jiffies from /proc/stat, for CPU% between two samples */
  cpuBusy: number;
  cpuTotal: number;
  cpus: number;
  memTotalKiB: number;
  memAvailableKiB: number;
  load: [number, number, number];
}

/** Where the serial console of a running domain can be reached. */
export type ConsoleEndpoint =
  | {
      kind: 'unix';
      /** the serial chardev socket */
      socketPath: string;
      /** the chardev logfile: everything the guest printed since start */
      logPath?: string;
    }
  | {
      kind: 'command';
      /** a program that attaches to the console on stdin/stdout, e.g. virsh console */
      file: string;
      args: string[];
    };

export type DriverEvent =
  | { kind: 'state'; name: string; state: DomainState; reason?: string; message?: string }
  | { kind: 'defined'; name: string }
  | { kind: 'undefined'; name: string }
  /** a raw hypervisor event (QMP event name, e.g. SHUTDOWN, DEVICE_DELETED, BLOCK_IO_ERROR) */
  | { kind: 'qmp'; name: string; event: string; data?: Record<string, unknown>; time: number };

export interface UndefineOptions {
  removeAllStorage?: boolean;
}

/** Where a device change applies, as virsh's --live / --config. */
export interface ChangeScope {
  live: boolean;
  config: boolean;
}

export interface DiskAttachSpec {
  /** image path; for a new image, the path to create */
  source: string;
  target?: string; // first free target of the bus by default
  bus?: 'virtio' | 'sata' | 'scsi' | 'ide';
  device?: 'disk' | 'cdrom';
  format?: 'qcow2' | 'raw';
  readonly?: boolean;
  /** create the image first, size in bytes */
  createSizeBytes?: number;
}

export interface PortForward {
  protocol: 'tcp' | 'udp';
  hostAddress?: string;
  hostPort: number;
  guestAddress?: string;
  guestPort: number;
}

export interface InterfaceAttachSpec {
  type: 'user' | 'bridge' | 'ethernet' | 'network';
  model?: 'virtio' | 'e1000e' | 'rtl8139' | 'e1000';
  mac?: string; // generated when absent
  source?: string; // bridge or network name
  targetDev?: string; // tap name for ethernet
  portForwards?: PortForward[];
}

/** What `qemu-img info` says about a disk image (Driver.imageInfo). */
export interface ImageInfo {
  path: string;
  /** qcow2, raw, ... as qemu-img detects it */
  format: string;
  /** the size the guest sees, bytes */
  virtualSizeBytes: number;
  /** space the image takes on the host, bytes (sparse files and qcow2 take less) */
  actualSizeBytes?: number;
  backingFile?: string;
  encrypted?: boolean;
}

/** One internal snapshot of a domain (virsh snapshot-list). */
export interface SnapshotInfo {
  name: string;
  description?: string;
  /** ms since epoch */
  createdAt: number;
  /** the domain's state when it was taken: 'running'/'paused' snapshots hold RAM, 'shutoff' ones disks only */
  state: DomainState;
}

export interface Driver {
  /** connection URI, shown in the UI and used to tell hosts apart */
  readonly uri: string;

  listDomains(): Promise<DomainSummary[]>;
  getDomain(name: string): Promise<DomainDetails>;
  /** Define (create or replace) a persistent domain from libvirt XML, as `virsh define`. */
  defineXml(xml: string): Promise<DomainSummary>;
  undefine(name: string, opts?: UndefineOptions): Promise<void>;
  dumpXml(name: string): Promise<string>;

  start(name: string): Promise<void>;
  /** ACPI power button; resolves when the request is sent, not when the guest is off */
  shutdown(name: string): Promise<void>;
  /** hard power-off */
  destroy(name: string): Promise<void>;
  reboot(name: string): Promise<void>;
  reset(name: string): Promise<void>;
  suspend(name: string): Promise<void>;
  resume(name: string): Promise<void>;

  stats(name: string): Promise<StatsSample>;
  hostStats(): Promise<HostStats>;
  consoleEndpoint(name: string): Promise<ConsoleEndpoint>;

  // Device editors (disks, NICs); each applies live and/or to the persistent XML.
  attachDisk(name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void>;
  detachDisk(name: string, target: string, scope: ChangeScope, opts?: { deleteImage?: boolean }): Promise<void>;
  blockResize(name: string, target: string, sizeBytes: number, opts?: { allowShrink?: boolean }): Promise<void>;
  /** insert (source set) or eject (source null) a CD-ROM */
  changeMedia(name: string, target: string, source: string | null, scope: ChangeScope): Promise<void>;
  attachInterface(name: string, spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }>;
  detachInterface(name: string, mac: string, scope: ChangeScope): Promise<void>;
  setLink(name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void>;
  addPortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void>;
  removePortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void>;

  /** Optional: image facts for the disks table (qemu-img info); drivers that cannot tell leave it out. */
  imageInfo?(path: string): Promise<ImageInfo>;

  /** Optional internal snapshots (virsh snapshot-create-as / -list / -revert / -delete). */
  snapshotCreate?(name: string, snapshot: string, opts?: { description?: string }): Promise<SnapshotInfo>;
  snapshotList?(name: string): Promise<SnapshotInfo[]>;
  snapshotRevert?(name: string, snapshot: string): Promise<void>;
  snapshotDelete?(name: string, snapshot: string): Promise<void>;

  /** Events as they happen (state changes, QMP events). Returns an unsubscribe function. */
  subscribe(listener: (event: DriverEvent) => void): () => void;
  /** Let go of monitors and watchers; never stops a domain. */
  close(): Promise<void>;
}
