// Checks a device change must pass before anything is touched: each failure is one specific line.
// Host facts (free space, sysfs, capabilities) come through HostProbe so tests can stage them.
import { readFile, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatBytes } from '../../domain/index.js';
import { KvmtuiError } from '../errors.js';

export interface HostProbe {
  /** bytes free for an unprivileged user on the filesystem holding dir */
  freeBytes(dir: string): Promise<number>;
  /** /sys/class/net */
  sysNetDir: string;
  /** the process has CAP_NET_ADMIN (root, or a granted capability) */
  canAdminNet(): Promise<boolean>;
  uid(): number;
}

export const realHostProbe: HostProbe = {
  async freeBytes(dir) {
    const s = await statfs(dir);
    return Number(s.bavail) * Number(s.bsize);
  },
  sysNetDir: '/sys/class/net',
  async canAdminNet() {
    const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
    const m = /^CapEff:\s*([0-9a-f]+)/im.exec(status);
    if (!m) return typeof process.getuid === 'function' && process.getuid() === 0;
    return (BigInt(`0x${m[1]}`) & (1n << 12n)) !== 0n; // CAP_NET_ADMIN = 12
  },
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : 0),
};

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

// ---- sizes ----------------------------------------------------------------------------------

/** A size in bytes handed to the driver: a whole, positive, safe number. */
export function checkSizeBytes(bytes: number, what = 'size'): void {
  if (typeof bytes !== 'number' || Number.isNaN(bytes)) throw invalid(`invalid ${what}: not a number`);
  if (bytes < 0) throw invalid(`invalid ${what} ${bytes}: a size cannot be negative`);
  if (bytes === 0) throw invalid(`invalid ${what}: a size must be greater than 0`);
  if (!Number.isSafeInteger(bytes)) throw invalid(`invalid ${what} ${bytes}: not a whole number of bytes`);
}

/** The filesystem that will hold `path` must have room for `bytes` more. */
export async function checkFreeSpace(probe: HostProbe, path: string, bytes: number): Promise<void> {
  // the directory may not exist yet (KVMTUI_HOME/images before the first image): its nearest
  // existing ancestor is on the same filesystem
  let dir = dirname(path);
  while (!(await stat(dir).catch(() => undefined)) && dirname(dir) !== dir) dir = dirname(dir);
  let free: number;
  try {
    free = await probe.freeBytes(dir);
  } catch {
    throw new KvmtuiError('FILE_MISSING', `${dir}: no such directory`);
  }
  if (bytes > free) {
    throw invalid(`${formatBytes(bytes)} is more than the ${formatBytes(free)} free on the filesystem holding ${dir}`);
  }
}

// ---- paths ----------------------------------------------------------------------------------

export type SourceKind = 'file' | 'block';

/** An existing image or block device to attach: not missing, not a directory. */
export async function checkSourcePath(path: string): Promise<SourceKind> {
  if (!path) throw invalid('no image path given');
  if (path.includes('\0')) throw invalid('image path contains a NUL byte');
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new KvmtuiError('FILE_MISSING', `${path}: no such file`);
  }
  if (st.isDirectory()) throw invalid(`${path} is a directory, not a disk image`);
  if (st.isBlockDevice()) return 'block';
  if (!st.isFile()) throw invalid(`${path} is not a regular file or block device`);
  return 'file';
}

/** Where a new image will be created: the directory exists (unless we make it), the file does not. */
export async function checkNewImagePath(path: string, opts: { dirMayBeMissing?: boolean } = {}): Promise<void> {
  if (path.includes('\0')) throw invalid('image path contains a NUL byte');
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw invalid(`${path} is a directory, not a disk image`);
  if (existing) throw invalid(`${path} already exists: attach it, or choose another path`);
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (!dir && opts.dirMayBeMissing) return;
  if (!dir) throw new KvmtuiError('FILE_MISSING', `${dirname(path)}: no such directory`);
  if (!dir.isDirectory()) throw invalid(`${dirname(path)} is not a directory`);
}

// ---- host networking ------------------------------------------------------------------------

const IFNAME_RE = /^[A-Za-z0-9_.:-]{1,15}$/;

export function checkIfName(name: string, what: string): void {
  if (!IFNAME_RE.test(name) || name === '.' || name === '..') {
    throw invalid(`invalid ${what} name '${name}': up to 15 letters, digits, '-', '_' or '.'`);
  }
}

/** A bridge must exist on the host: /sys/class/net/BR/bridge. */
export async function checkBridge(probe: HostProbe, bridge: string): Promise<void> {
  checkIfName(bridge, 'bridge');
  const isBridge = await stat(join(probe.sysNetDir, bridge, 'bridge')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isBridge) return;
  const exists = await stat(join(probe.sysNetDir, bridge)).then(
    () => true,
    () => false,
  );
  if (exists) throw invalid(`host interface '${bridge}' is not a bridge`);
  throw invalid(`bridge '${bridge}' does not exist on this host (no /sys/class/net/${bridge}/bridge)`);
}

/**
 * A tap (type ethernet) QEMU opens itself: either a tap that exists and belongs to this user, or
 * CAP_NET_ADMIN to create one.
 */
export async function checkTapPrivilege(probe: HostProbe, tap: string | undefined): Promise<void> {
  if (tap !== undefined) checkIfName(tap, 'tap device');
  if (await probe.canAdminNet()) return;
  if (tap !== undefined) {
    const owner = await readFile(join(probe.sysNetDir, tap, 'owner'), 'utf8').then(
      (s) => Number(s.trim()),
      () => undefined,
    );
    if (owner !== undefined && (owner === probe.uid() || owner === -1)) return;
    if (owner !== undefined) throw invalid(`tap device '${tap}' belongs to uid ${owner}, not to this user (uid ${probe.uid()})`);
  }
  const hint = tap ?? 'tap0';
  throw invalid(
    `creating tap device '${hint}' needs CAP_NET_ADMIN: run as root, or create it first with \`ip tuntap add dev ${hint} mode tap user ${probe.uid()}\``,
  );
}

/** qemu-bridge-helper runs setuid and checks /etc/qemu/bridge.conf; without root we can only warn there. */
export async function checkBridgeHelper(probe: HostProbe, helper = '/usr/lib/qemu/qemu-bridge-helper'): Promise<void> {
  if (await probe.canAdminNet()) return;
  const st = await stat(helper).catch(() => undefined);
  if (!st) throw invalid(`attaching to a bridge needs root or ${helper}, which is not installed`);
  if (!(st.mode & 0o4000)) {
    throw invalid(`attaching to a bridge needs root, or ${helper} setuid root with the bridge allowed in /etc/qemu/bridge.conf`);
  }
}
