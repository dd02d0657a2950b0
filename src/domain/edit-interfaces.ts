// Network-interface edits on a domain document (issue 6): add, remove, link state, port
// forwards. Input is checked first (KvmtuiError 'INVALID_CONFIG', document unchanged).

import { KvmtuiError } from '../driver/errors.js';
import { editDocument, type DomainDocument } from './document.js';
import { devicesOf, ensureDevices } from './devices.js';
import { assertValidMac, generateMac, normalizeMac } from './mac.js';
import type { PortForwardConfig } from './model.js';
import { insertAfterLast, insertChild, removeChild } from './xml-layout.js';
import { attr, elementChildren, firstChild, makeElement, setAttr, type XElement } from './xml-tree.js';

export type InterfaceType = 'user' | 'bridge' | 'ethernet' | 'network';

export interface InterfaceSpec {
  type: InterfaceType;
  /** default virtio */
  model?: string;
  /** default: generated 52:54:00:xx:xx:xx, unique against this domain and `usedMacs` */
  mac?: string;
  /** bridge name (bridge), network name (network); not used by user and ethernet */
  source?: string;
  /** tap device name (ethernet, bridge) */
  targetDev?: string;
  linkState?: 'up' | 'down';
  /** only for type user */
  portForwards?: PortForwardSpec[];
}

export type PortForwardSpec = Pick<PortForwardConfig, 'protocol' | 'hostPort' | 'guestPort' | 'hostAddress'>;

export interface AddInterfaceOptions {
  /** MACs of the other domains on the host: a generated MAC avoids them, a given one must too */
  usedMacs?: Iterable<string>;
}

const fail = (message: string): never => {
  throw new KvmtuiError('INVALID_CONFIG', message);
};

const TYPES: InterfaceType[] = ['user', 'bridge', 'ethernet', 'network'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

function macOf(iface: XElement): string | undefined {
  const mac = attr(firstChild(iface, 'mac'), 'address');
  return mac === undefined ? undefined : normalizeMac(mac);
}

function findInterface(root: XElement, mac: string): XElement {
  const want = normalizeMac(mac);
  const devices = devicesOf(root);
  const all = devices ? elementChildren(devices, 'interface') : [];
  const found = all.find((i) => macOf(i) === want);
  if (found) return found;
  const known = all.map(macOf).filter((m) => m !== undefined);
  return fail(`no interface with MAC ${mac} (interfaces: ${known.length ? known.join(', ') : 'none'})`);
}

function checkPortForward(pf: PortForwardSpec): void {
  if (pf.protocol !== 'tcp' && pf.protocol !== 'udp') fail(`port forward protocol must be tcp or udp, not '${String(pf.protocol)}'`);
  for (const [what, port] of [['host', pf.hostPort], ['guest', pf.guestPort]] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port forward ${what} port ${port} is out of range (1-65535)`);
  }
  if (pf.hostAddress !== undefined && !/^[0-9A-Fa-f.:]+$/.test(pf.hostAddress)) {
    fail(`port forward host address '${pf.hostAddress}' is not an IP address`);
  }
}

function sameHostSide(a: PortForwardSpec, b: PortForwardSpec): boolean {
  return a.protocol === b.protocol && a.hostPort === b.hostPort && (a.hostAddress ?? '') === (b.hostAddress ?? '');
}

function describe(pf: PortForwardSpec): string {
  return `${pf.protocol} ${pf.hostAddress ? `${pf.hostAddress}:` : ''}${pf.hostPort}`;
}

/** Adds <range start to> to the <portForward> for this protocol and address (made when absent). */
function appendPortForward(iface: XElement, pf: PortForwardSpec, ancestors: XElement[]): void {
  const range = makeElement('range', { start: String(pf.hostPort), to: String(pf.guestPort) });
  const group = elementChildren(iface, 'portForward').find(
    (g) => (attr(g, 'proto') ?? 'tcp') === pf.protocol && attr(g, 'address') === pf.hostAddress && attr(g, 'dev') === undefined,
  );
  if (group) {
    const ranges = elementChildren(group, 'range');
    insertChild(group, range, ranges[ranges.length - 1], [...ancestors, iface]);
    return;
  }
  const created = makeElement('portForward', { proto: pf.protocol, address: pf.hostAddress }, [range]);
  insertAfterLast(iface, created, [['portForward'], ['backend', 'link', 'model', 'target', 'source', 'mac']], ancestors);
}

/** Adds a network interface. */
export function addInterface(doc: DomainDocument, spec: InterfaceSpec, opts: AddInterfaceOptions = {}): DomainDocument {
  if (!TYPES.includes(spec.type)) fail(`unknown interface type '${String(spec.type)}' (use ${TYPES.join(', ')})`);
  const model = spec.model ?? 'virtio';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(model)) fail(`invalid interface model '${model}' (e.g. virtio, e1000e, rtl8139)`);
  const inDomain = doc.config.interfaces.map((i) => i.mac).filter((m): m is string => m !== undefined).map(normalizeMac);
  const elsewhere = [...(opts.usedMacs ?? [])].map(normalizeMac);
  let mac: string;
  if (spec.mac !== undefined) {
    mac = assertValidMac(spec.mac);
    if (inDomain.includes(mac)) fail(`MAC address ${mac} is already used by an interface of this domain`);
    if (elsewhere.includes(mac)) fail(`MAC address ${mac} is already used by another domain`);
  } else {
    mac = generateMac([...inDomain, ...elsewhere]);
  }
  if ((spec.type === 'bridge' || spec.type === 'network') && !spec.source) {
    fail(`an interface of type ${spec.type} needs a ${spec.type === 'bridge' ? 'bridge' : 'network'} name`);
  }
  if (spec.source !== undefined && !NAME.test(spec.source)) fail(`invalid ${spec.type} name '${spec.source}'`);
  if (spec.targetDev !== undefined && !/^[A-Za-z0-9_.-]{1,15}$/.test(spec.targetDev)) {
    fail(`invalid tap device name '${spec.targetDev}' (at most 15 letters, digits, '.', '_' or '-')`);
  }
  const forwards = spec.portForwards ?? [];
  if (forwards.length > 0 && spec.type !== 'user') fail('port forwards need an interface of type user');
  forwards.forEach((pf, i) => {
    checkPortForward(pf);
    if (forwards.slice(0, i).some((o) => sameHostSide(o, pf))) fail(`host port ${describe(pf)} is forwarded twice`);
  });
  if (spec.linkState !== undefined && spec.linkState !== 'up' && spec.linkState !== 'down') {
    fail(`link state must be up or down, not '${String(spec.linkState)}'`);
  }

  return editDocument(doc, (root) => {
    const devices = ensureDevices(root);
    const sourceAttr = spec.type === 'bridge' ? 'bridge' : spec.type === 'network' ? 'network' : undefined;
    const iface = makeElement('interface', { type: spec.type }, [
      makeElement('mac', { address: mac }),
      ...(sourceAttr && spec.source ? [makeElement('source', { [sourceAttr]: spec.source })] : []),
      ...(spec.targetDev ? [makeElement('target', { dev: spec.targetDev })] : []),
      makeElement('model', { type: model }),
      ...(spec.linkState === 'down' ? [makeElement('link', { state: 'down' })] : []),
    ]);
    insertAfterLast(devices, iface, [['interface'], ['filesystem', 'controller', 'disk'], ['emulator']], [root]);
    for (const pf of forwards) appendPortForward(iface, pf, [root, devices]);
  });
}

/** Removes the interface with this MAC (compared case-insensitively). */
/**
 * Writes <mac address=...> into the index-th <interface> (document order) when it has none:
 * the driver gives such an interface a derived MAC at start, and pinning that same MAC lets
 * the MAC-keyed edits below find it without changing what the guest sees.
 */
export function pinInterfaceMac(doc: DomainDocument, index: number, mac: string): DomainDocument {
  const m = assertValidMac(mac);
  return editDocument(doc, (root) => {
    const devices = devicesOf(root);
    const iface = devices ? elementChildren(devices, 'interface')[index] : undefined;
    if (!iface) return fail(`no interface number ${index + 1}`);
    if (macOf(iface) !== undefined) return fail(`interface number ${index + 1} already has MAC ${macOf(iface)}`);
    insertChild(iface, makeElement('mac', { address: m }), undefined, [root, devices!]);
  });
}

export function removeInterface(doc: DomainDocument, mac: string): DomainDocument {
  return editDocument(doc, (root) => {
    removeChild(devicesOf(root)!, findInterface(root, mac));
  });
}

/**
 * Sets the link state. 'down' writes <link state='down'/>; 'up' (libvirt's default) removes
 * the <link> element, so down-then-up gives back the original document.
 */
export function setLinkState(doc: DomainDocument, mac: string, state: 'up' | 'down'): DomainDocument {
  if (state !== 'up' && state !== 'down') fail(`link state must be up or down, not '${String(state)}'`);
  return editDocument(doc, (root) => {
    const iface = findInterface(root, mac);
    const link = firstChild(iface, 'link');
    if (state === 'up') {
      if (link && link.attrs.length <= 1) removeChild(iface, link);
      else if (link) setAttr(link, 'state', 'up');
      return;
    }
    if (link) setAttr(link, 'state', 'down');
    else insertAfterLast(iface, makeElement('link', { state: 'down' }), [['model'], ['target'], ['source'], ['mac']], [root, devicesOf(root)!]);
  });
}

/** Adds a port forward (host port -> guest port) to a user-mode interface. */
export function addPortForward(doc: DomainDocument, mac: string, pf: PortForwardSpec): DomainDocument {
  checkPortForward(pf);
  const iface = doc.config.interfaces.find((i) => i.mac !== undefined && normalizeMac(i.mac) === normalizeMac(mac));
  if (iface && iface.type !== 'user') fail(`interface ${mac} is of type ${iface.type}: port forwards need type user`);
  const clash = iface?.portForwards.find(
    (o) =>
      o.protocol === pf.protocol &&
      (o.hostAddress ?? '') === (pf.hostAddress ?? '') &&
      pf.hostPort >= o.hostPort &&
      pf.hostPort <= (o.hostPortEnd ?? o.hostPort),
  );
  if (clash) fail(`host port ${describe(pf)} is already forwarded (to guest port ${clash.guestPort})`);
  return editDocument(doc, (root) => {
    appendPortForward(findInterface(root, mac), pf, [root, devicesOf(root)!]);
  });
}

/** Removes the port forward of this protocol, host port (and host address, when given). */
export function removePortForward(doc: DomainDocument, mac: string, pf: Pick<PortForwardSpec, 'protocol' | 'hostPort' | 'hostAddress'>): DomainDocument {
  return editDocument(doc, (root) => {
    const iface = findInterface(root, mac);
    for (const group of elementChildren(iface, 'portForward')) {
      if ((attr(group, 'proto') ?? 'tcp') !== pf.protocol) continue;
      if (pf.hostAddress !== undefined && attr(group, 'address') !== pf.hostAddress) continue;
      const range = elementChildren(group, 'range').find((r) => attr(r, 'start') === String(pf.hostPort) && attr(r, 'exclude') !== 'yes');
      if (!range) continue;
      if (elementChildren(group).length === 1) removeChild(iface, group);
      else removeChild(group, range);
      return;
    }
    fail(`interface ${mac} has no port forward for host port ${describe({ ...pf, guestPort: 0 })}`);
  });
}
