// Typed, read-only view of a libvirt domain XML document. Produced by domain/parse.ts;
// the document itself (with everything not modelled here) is kept by domain/document.ts.

/** A generic read-only view of one XML element, for checks that walk the whole document. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** concatenated text content of this element (not of its children), trimmed */
  text: string;
}

export interface OsConfig {
  type?: string; // hvm
  arch?: string;
  machine?: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** <boot dev='hd|cdrom|network|fd'/> in order */
  bootDevs: string[];
  loader?: { path: string; readonly?: boolean; type?: string };
  nvram?: string;
  /** <os firmware='efi'> */
  firmware?: string;
}

export interface DiskConfig {
  /** file | block | network | volume | dir | nvme ... */
  type: string;
  /** disk | cdrom | floppy | lun */
  device: string;
  driverName?: string;
  /** driver type: qcow2, raw, ... */
  format?: string;
  /** source file (type=file) or dev (type=block); undefined for an empty cdrom */
  source?: string;
  target: string;
  bus?: string;
  readonly: boolean;
  shareable: boolean;
  /** <boot order='N'/> */
  bootOrder?: number;
  serial?: string;
  cache?: string;
}

export interface PortForwardConfig {
  protocol: 'tcp' | 'udp';
  hostAddress?: string;
  hostPort: number;
  /** <range end=...>: forwards hostPort..hostPortEnd (added by the domain layer; optional) */
  hostPortEnd?: number;
  guestAddress?: string;
  guestPort: number;
}

export interface InterfaceConfig {
  /** user | network | bridge | ethernet | direct | ... */
  type: string;
  mac?: string;
  model?: string;
  /** source network / bridge / dev, whichever the type uses */
  source?: string;
  /** <target dev='tap0'/> */
  targetDev?: string;
  /** <link state='up|down'/>; undefined means up */
  linkState?: 'up' | 'down';
  bootOrder?: number;
  /** libvirt's <portForward proto=...><range start=... to=.../></portForward> */
  portForwards: PortForwardConfig[];
}

export interface CharDevConfig {
  /** pty | unix | file | tcp | null | ... */
  type: string;
  /** serial: isa-serial, pci-serial...; console: serial, virtio... */
  targetType?: string;
  targetPort?: number;
  /** source path for unix/file */
  path?: string;
}

export interface DomainConfig {
  /** <domain type='kvm|qemu|...'> */
  type: string;
  name: string;
  uuid?: string;
  title?: string;
  description?: string;
  memoryKiB: number;
  currentMemoryKiB: number;
  vcpus: number;
  os: OsConfig;
  /** names of the elements under <features>, e.g. ['acpi','apic'] */
  features: string[];
  cpu?: { mode?: string; model?: string };
  disks: DiskConfig[];
  interfaces: InterfaceConfig[];
  serials: CharDevConfig[];
  consoles: CharDevConfig[];
  /** <devices><memballoon model=...>; undefined when absent */
  memballoonModel?: string;
  /** <devices><emulator> */
  emulator?: string;
  /** the whole document as a generic tree, root = <domain> */
  root: XmlElement;
}
