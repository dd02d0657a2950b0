// NICs on a running domain: netdev_add + device_add, device_del + netdev_del, set_link, and
// user-net port forwards through the human monitor's hostfwd_add / hostfwd_remove (QMP has no
// command for them). Ids follow argv-net.ts: 'net-525400123456' device, 'hostnet-...' netdev.
import type { PortForward } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { nicIds } from './argv-net.js';
import { deviceDelAndWait, hotplugError, hotplugPciBus, undoAll } from './hotplug-common.js';
import type { QmpClient } from './qmp-types.js';

export { nicIds };

const NIC_DRIVERS: Record<string, string> = {
  virtio: 'virtio-net-pci',
  e1000e: 'e1000e',
  e1000: 'e1000',
  rtl8139: 'rtl8139',
};

export interface LiveNic {
  mac: string;
  type: 'user' | 'bridge' | 'ethernet';
  model: string;
  /** bridge name for type bridge */
  bridge?: string;
  /** tap name for type ethernet */
  tap?: string;
  portForwards: PortForward[];
  linkDown?: boolean;
}

/** The hostfwd rule QEMU's slirp takes: 'tcp:127.0.0.1:2222-:22'. */
export function hostfwdRule(f: PortForward): string {
  return `${f.protocol}:${f.hostAddress ?? ''}:${f.hostPort}-${f.guestAddress ?? ''}:${f.guestPort}`;
}

function netdevArgs(n: LiveNic, netdevId: string): Record<string, unknown> {
  switch (n.type) {
    case 'user': {
      const a: Record<string, unknown> = { type: 'user', id: netdevId };
      if (n.portForwards.length) a.hostfwd = n.portForwards.map((f) => ({ str: hostfwdRule(f) }));
      return a;
    }
    case 'bridge':
      return { type: 'bridge', id: netdevId, br: n.bridge };
    case 'ethernet': {
      const a: Record<string, unknown> = { type: 'tap', id: netdevId, script: 'no', downscript: 'no' };
      if (n.tap) a.ifname = n.tap;
      return a;
    }
  }
}

export async function plugNic(c: QmpClient, n: LiveNic): Promise<void> {
  const driver = NIC_DRIVERS[n.model];
  if (!driver) throw new KvmtuiError('INVALID_CONFIG', `NIC model '${n.model}' is not supported; use virtio, e1000e or rtl8139`);
  const { deviceId, netdevId } = nicIds(n.mac);
  const undo: Array<() => Promise<unknown>> = [];
  try {
    await c.execute('netdev_add', netdevArgs(n, netdevId));
    undo.push(() => c.execute('netdev_del', { id: netdevId }));
    const dev: Record<string, unknown> = { driver, id: deviceId, netdev: netdevId, mac: n.mac };
    const bus = await hotplugPciBus(c);
    if (bus) dev.bus = bus;
    await c.execute('device_add', dev);
    undo.push(() => deviceDelAndWait(c, deviceId, `NIC ${n.mac}`));
    if (n.linkDown) await c.execute('set_link', { name: deviceId, up: false });
  } catch (e) {
    await undoAll(undo);
    throw hotplugError(`cannot hot-plug NIC ${n.mac}`, e);
  }
}

export async function unplugNic(c: QmpClient, mac: string, timeoutMs?: number): Promise<void> {
  const { deviceId, netdevId } = nicIds(mac);
  await deviceDelAndWait(c, deviceId, `NIC ${mac}`, timeoutMs);
  try {
    await c.execute('netdev_del', { id: netdevId });
  } catch (e) {
    throw hotplugError(`NIC ${mac} was unplugged but its netdev ${netdevId} stays`, e);
  }
}

export async function setLiveLink(c: QmpClient, mac: string, up: boolean): Promise<void> {
  try {
    await c.execute('set_link', { name: nicIds(mac).deviceId, up });
  } catch (e) {
    throw hotplugError(`cannot set the link of ${mac} ${up ? 'up' : 'down'}`, e);
  }
}

/** HMP answers with text: empty (or what `ok` accepts) means done, anything else is QEMU's complaint. */
async function hmp(c: QmpClient, line: string, what: string, ok?: RegExp): Promise<void> {
  let out: unknown;
  try {
    out = await c.execute('human-monitor-command', { 'command-line': line });
  } catch (e) {
    throw hotplugError(what, e);
  }
  const text = typeof out === 'string' ? out.trim() : '';
  if (text && !ok?.test(text)) throw new KvmtuiError('HOTPLUG_FAILED', `${what}: ${text.split('\n')[0]}`);
}

export function addLiveForward(c: QmpClient, mac: string, f: PortForward): Promise<void> {
  const rule = hostfwdRule(f);
  return hmp(c, `hostfwd_add ${nicIds(mac).netdevId} ${rule}`, `cannot forward ${rule}`);
}

export function removeLiveForward(c: QmpClient, mac: string, f: PortForward): Promise<void> {
  const rule = `${f.protocol}:${f.hostAddress ?? ''}:${f.hostPort}`;
  // slirp confirms a removal with 'host forwarding rule for RULE removed'
  return hmp(c, `hostfwd_remove ${nicIds(mac).netdevId} ${rule}`, `cannot remove forward ${rule}`, /^host forwarding rule for .* removed$/);
}
