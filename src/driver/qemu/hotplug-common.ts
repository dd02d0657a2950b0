// What disk and NIC hotplug share: device_del that waits for the guest to let go, PCI bus choice,
// and turning QEMU's refusals into one HOTPLUG_FAILED line.
import { KvmtuiError, QmpError } from '../errors.js';
import type { QmpClient } from './qmp-types.js';

export const DEFAULT_UNPLUG_TIMEOUT_MS = 10_000;

/** HOTPLUG_FAILED carrying QEMU's reason; a QMP timeout or closed monitor stays what it is. */
export function hotplugError(what: string, e: unknown): KvmtuiError {
  if (e instanceof KvmtuiError && e.code !== 'QMP_ERROR') return e;
  const why = e instanceof QmpError ? e.message.replace(/^[\w-]+: /, '') : e instanceof Error ? e.message : String(e);
  return new KvmtuiError('HOTPLUG_FAILED', `${what}: ${why}`, { cause: e });
}

/** Run undo steps in reverse order, each allowed to fail: a rollback must never mask the error. */
export async function undoAll(steps: Array<() => Promise<unknown>>): Promise<void> {
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch {
      /* best effort */
    }
  }
}

/**
 * device_del, then wait for QEMU's DEVICE_DELETED for that id: a PCI device is gone only once the
 * guest has acknowledged the ACPI eject. The listener is set before the request so a fast guest
 * cannot slip the event past us.
 */
export async function deviceDelAndWait(c: QmpClient, id: string, what: string, timeoutMs = DEFAULT_UNPLUG_TIMEOUT_MS): Promise<void> {
  let off: () => void = () => {};
  const deleted = new Promise<void>((resolve) => {
    off = c.onEvent((ev) => {
      if (ev.event === 'DEVICE_DELETED' && ev.data?.device === id) resolve();
    });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    try {
      await c.execute('device_del', { id });
    } catch (e) {
      if (e instanceof QmpError && e.qmpClass === 'DeviceNotFound') {
        throw new KvmtuiError('HOTPLUG_FAILED', `${what} is not in the running domain (no device ${id})`);
      }
      throw hotplugError(`cannot unplug ${what}`, e);
    }
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const closed = new Promise<'closed'>((resolve) => {
      const offClose = c.onClose(() => resolve('closed'));
      void deleted.then(offClose);
    });
    const r = await Promise.race([deleted.then(() => 'deleted' as const), timedOut, closed]);
    if (r === 'timeout') {
      throw new KvmtuiError(
        'TIMEOUT',
        `the guest did not release ${what} within ${Math.round(timeoutMs / 1000)} s (does it handle ACPI hotplug, is it paused?); the unplug request stays pending`,
      );
    }
    if (r === 'closed') throw new KvmtuiError('QMP_CLOSED', `the monitor closed while waiting for ${what} to be released`);
  } finally {
    if (timer) clearTimeout(timer);
    off();
  }
}

interface PciDevice {
  qdev_id?: string;
  class_info?: { class?: number };
  pci_bridge?: { devices?: PciDevice[] };
}

/**
 * On q35 a hot-plugged PCI device needs an empty pcie-root-port (pcie.0 takes no hotplug); on pc
 * QEMU picks a free slot of pci.0 itself (undefined). Throws when q35 has no free port left.
 */
export async function hotplugPciBus(c: QmpClient): Promise<string | undefined> {
  const machine = await c.execute<string>('qom-get', { path: '/machine', property: 'type' }).catch(() => '');
  if (!String(machine).includes('q35')) return undefined;
  const buses = await c.execute<Array<{ devices: PciDevice[] }>>('query-pci');
  const empty: string[] = [];
  const walk = (devs: PciDevice[]) => {
    for (const d of devs) {
      if (d.pci_bridge) {
        if (d.qdev_id && (d.pci_bridge.devices ?? []).length === 0) empty.push(d.qdev_id);
        walk(d.pci_bridge.devices ?? []);
      }
    }
  };
  for (const b of buses) walk(b.devices);
  for (const id of empty) {
    const type = await c.execute<string>('qom-get', { path: `/machine/peripheral/${id}`, property: 'type' }).catch(() => '');
    if (type === 'pcie-root-port') return id;
  }
  throw new KvmtuiError(
    'HOTPLUG_FAILED',
    "no free PCIe root port to plug into: add <controller type='pci' model='pcie-root-port'/> to the domain and restart it",
  );
}
