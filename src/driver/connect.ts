// Choosing a driver from a connection URI (kvmtui --connect URI, repeatable: one driver per
// connection, all domains in one list).
//
//   (no URI)                        the local QEMU driver on KVMTUI_HOME (opts.home)
//   qemu+local:///path/to/home      the local QEMU driver on that home ('qemu+local://' alone: opts.home)
//   qemu:///system, qemu:///session the libvirt driver through virsh, this machine
//   qemu+ssh://[user@]host/system   the libvirt driver, another host (ssh keys or an agent: virsh
//                                   runs ssh in batch mode, it never prompts under the TUI)
//   qemu+tcp://, qemu+tls://, test:///default ...  the libvirt driver
//
// Anything else is refused with INVALID_CONFIG naming the accepted forms. Drivers are
// cheap to create: nothing connects until the first call, and only subscribe() starts a process that
// stays (the libvirt driver's `virsh event`); close() ends it.
import type { Driver } from './driver.js';
import { KvmtuiError } from './errors.js';
import { createLibvirtDriver } from './libvirt/libvirt-driver.js';
import { isLibvirtUri } from './libvirt/uri.js';
import { createLocalDriver } from './qemu/local-driver.js';

export interface CreateDriverOptions {
  /** KVMTUI_HOME, for the local driver when the URI names no home */
  home: string;
  /** local driver: hold a QMP monitor per running domain for events (the TUI sets it) */
  persistentMonitors?: boolean;
}

const LOCAL_PREFIX = 'qemu+local://';

export function createDriver(uri: string | undefined, opts: CreateDriverOptions): Driver {
  const u = uri?.trim();
  if (!u) return createLocalDriver({ home: opts.home, persistentMonitors: opts.persistentMonitors });
  if (u.startsWith(LOCAL_PREFIX)) {
    const path = decodeURIComponent(u.slice(LOCAL_PREFIX.length));
    if (path && !path.startsWith('/')) {
      throw new KvmtuiError('INVALID_CONFIG', `'${u}': a qemu+local URI names an absolute KVMTUI_HOME, e.g. qemu+local:///srv/kvmtui`);
    }
    return createLocalDriver({ home: path || opts.home, persistentMonitors: opts.persistentMonitors });
  }
  if (isLibvirtUri(u)) return createLibvirtDriver({ uri: u });
  throw new KvmtuiError(
    'INVALID_CONFIG',
    `unknown connection '${u}': use qemu+local:///PATH (kvmtui's own driver), or a libvirt URI such as qemu:///system, qemu:///session or qemu+ssh://host/system`,
  );
}

/**
 * One driver per distinct URI, in the order given (repeated --connect). No URI at all means the
 * local driver alone. A URI that cannot be used throws before any driver is made.
 */
export function createDrivers(uris: readonly string[], opts: CreateDriverOptions): Driver[] {
  const list = uris.length ? uris : [undefined];
  const seen = new Set<string>();
  const out: Driver[] = [];
  for (const uri of list) {
    const d = createDriver(uri, opts);
    if (seen.has(d.uri)) continue;
    seen.add(d.uri);
    out.push(d);
  }
  return out;
}
