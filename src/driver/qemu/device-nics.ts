// Network-interface changes for the local driver: attach, detach, link state, port forwards.
import type { ChangeScope, InterfaceAttachSpec, PortForward } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import {
  addInterface,
  addPortForward as addForwardXml,
  assertValidMac,
  generateMac,
  normalizeMac,
  pinInterfaceMac,
  removeInterface,
  removePortForward as removeForwardXml,
  setLinkState,
} from '../../domain/index.js';
import type { DomainConfig, InterfaceConfig } from '../../domain/model.js';
import type { DomainDocument } from '../../domain/index.js';
import { applyChange, resolveScope, type EditorDeps } from './device-context.js';
import { effectiveMacs, interfaceIndexByMac } from './device-mac.js';
import { checkBridge, checkBridgeHelper, checkTapPrivilege } from './device-validate.js';
import { addLiveForward, plugNic, removeLiveForward, setLiveLink, unplugNic, type LiveNic } from './hotplug-nic.js';

const MODELS = ['virtio', 'e1000e', 'e1000', 'rtl8139'];

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

/** The interface with this MAC: its own, or the one the argv builder derives for an interface without one. */
function findNic(cfg: DomainConfig, mac: string): InterfaceConfig | undefined {
  const i = interfaceIndexByMac(cfg, mac);
  return i < 0 ? undefined : { ...cfg.interfaces[i]!, mac: effectiveMacs(cfg)[i]!.mac };
}

/**
 * The document to edit by MAC: an interface found by its derived MAC gets that MAC written
 * into its XML first (what the guest sees does not change), so the MAC-keyed edits find it.
 */
function pinnedFor(doc: DomainDocument, mac: string): DomainDocument {
  const i = interfaceIndexByMac(doc.config, mac);
  return i >= 0 && effectiveMacs(doc.config)[i]!.derived ? pinInterfaceMac(doc, i, mac) : doc;
}

function noSuchNic(cfg: DomainConfig, mac: string): KvmtuiError {
  const all = effectiveMacs(cfg).map((m) => m.mac);
  return invalid(`no interface with MAC ${mac} (interfaces: ${all.length ? all.join(', ') : 'none'})`);
}

/** The running form of an interface from its config (for hotplug and rollbacks). */
export function liveNicOf(n: InterfaceConfig): LiveNic {
  if (n.type !== 'user' && n.type !== 'bridge' && n.type !== 'ethernet') {
    throw new KvmtuiError('UNSUPPORTED', `interface type ${n.type} cannot be plugged by the local driver`);
  }
  return {
    mac: normalizeMac(n.mac ?? ''),
    type: n.type,
    model: n.model ?? 'rtl8139',
    bridge: n.type === 'bridge' ? n.source : undefined,
    tap: n.targetDev,
    portForwards: n.portForwards.map((f) => ({ protocol: f.protocol, hostAddress: f.hostAddress, hostPort: f.hostPort, guestPort: f.guestPort })),
    linkDown: n.linkState === 'down',
  };
}

/** Every MAC the host's other domains use: a new NIC must not collide with any. */
async function macsElsewhere(deps: EditorDeps, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const other of await deps.domainNames()) {
    if (other === name) continue;
    const loaded = await deps.files.load(other).catch(() => undefined);
    // derived MACs too: an interface without one in its XML still uses one when running
    if (loaded) for (const m of effectiveMacs(loaded.doc.config)) out.push(m.mac);
  }
  return out;
}

export async function attachInterface(
  deps: EditorDeps,
  name: string,
  spec: InterfaceAttachSpec,
  scope: ChangeScope,
): Promise<{ mac: string }> {
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  if (spec.type === 'network') {
    throw new KvmtuiError('UNSUPPORTED', `libvirt networks need libvirtd; the local driver attaches user, bridge or ethernet interfaces`);
  }
  if (!['user', 'bridge', 'ethernet'].includes(spec.type)) throw invalid(`unknown interface type '${String(spec.type)}' (use user, bridge or ethernet)`);
  const model = spec.model ?? 'virtio';
  if (!MODELS.includes(model)) throw invalid(`NIC model '${model}' is not supported; use ${MODELS.join(', ')}`);
  const used = await macsElsewhere(deps, name);
  const inDomain = effectiveMacs(cfg).map((m) => m.mac);
  const mac = spec.mac !== undefined ? assertValidMac(spec.mac) : generateMac([...used, ...inDomain]);
  if (spec.type === 'bridge') {
    if (!spec.source) throw invalid('an interface of type bridge needs a bridge name');
    await checkBridge(deps.probe, spec.source);
    if (s.live) await checkBridgeHelper(deps.probe);
  }
  if (spec.type === 'ethernet' && s.live) await checkTapPrivilege(deps.probe, spec.targetDev);
  if (spec.portForwards?.some((f) => f.guestAddress) && s.config) {
    throw invalid('a port forward to a guest address cannot be kept in the config; leave the guest address out');
  }

  const next = addInterface(
    doc,
    { type: spec.type, model, mac, source: spec.source, targetDev: spec.targetDev, portForwards: spec.portForwards },
    { usedMacs: used },
  );
  const live: LiveNic = {
    mac,
    type: spec.type,
    model,
    bridge: spec.type === 'bridge' ? spec.source : undefined,
    tap: spec.targetDev,
    portForwards: spec.portForwards ?? [],
  };
  await applyChange(deps, {
    name,
    live: s.live ? { apply: (c) => plugNic(c, live), undo: (c) => unplugNic(c, mac, deps.unplugTimeoutMs) } : undefined,
    xml: s.config ? next.toXml() : undefined,
  });
  return { mac };
}

export async function detachInterface(deps: EditorDeps, name: string, mac: string, scope: ChangeScope): Promise<void> {
  const m = assertValidMac(mac);
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  const nic = findNic(cfg, m);
  if (!nic && s.config) throw noSuchNic(cfg, m);
  const next = s.config ? removeInterface(pinnedFor(doc, m), m) : undefined;
  await applyChange(deps, {
    name,
    live: s.live
      ? {
          apply: (c) => unplugNic(c, m, deps.unplugTimeoutMs),
          undo: async (c) => {
            if (!nic) throw new KvmtuiError('HOTPLUG_FAILED', `${m} is not in the config: cannot plug it back`);
            await plugNic(c, liveNicOf(nic));
          },
        }
      : undefined,
    xml: next?.toXml(),
  });
}

export async function setLink(deps: EditorDeps, name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void> {
  if (state !== 'up' && state !== 'down') throw invalid(`link state must be up or down, not '${String(state)}'`);
  const m = assertValidMac(mac);
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  const nic = findNic(cfg, m);
  if (!nic && s.config) throw noSuchNic(cfg, m);
  const next = s.config ? setLinkState(pinnedFor(doc, m), m, state) : undefined;
  const up = state === 'up';
  await applyChange(deps, {
    name,
    live: s.live ? { apply: (c) => setLiveLink(c, m, up), undo: (c) => setLiveLink(c, m, !up) } : undefined,
    xml: next?.toXml(),
  });
}

function checkForwardTarget(cfg: DomainConfig, mac: string, configScope: boolean): void {
  const nic = findNic(cfg, mac);
  if (!nic && configScope) throw noSuchNic(cfg, mac);
  if (nic && nic.type !== 'user') throw invalid(`interface ${mac} is of type ${nic.type}: port forwards need type user`);
}

export async function addPortForward(deps: EditorDeps, name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
  const m = assertValidMac(mac);
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  checkForwardTarget(cfg, m, s.config);
  if (fwd.guestAddress && s.config) throw invalid('a port forward to a guest address cannot be kept in the config; leave the guest address out');
  const next = s.config ? addForwardXml(pinnedFor(doc, m), m, fwd) : undefined;
  await applyChange(deps, {
    name,
    live: s.live ? { apply: (c) => addLiveForward(c, m, fwd), undo: (c) => removeLiveForward(c, m, fwd) } : undefined,
    xml: next?.toXml(),
  });
}

export async function removePortForward(deps: EditorDeps, name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
  const m = assertValidMac(mac);
  const { doc } = await deps.files.load(name);
  const cfg = doc.config;
  const s = resolveScope(name, scope, await deps.isRunning(name));
  checkForwardTarget(cfg, m, s.config);
  // the config knows the guest port the rule had, for putting it back on a rollback
  const known = findNic(cfg, m)?.portForwards.find(
    (f) => f.protocol === fwd.protocol && f.hostPort === fwd.hostPort && (f.hostAddress ?? '') === (fwd.hostAddress ?? ''),
  );
  const next = s.config ? removeForwardXml(pinnedFor(doc, m), m, fwd) : undefined;
  const restore: PortForward = known ? { ...fwd, guestPort: known.guestPort } : fwd;
  await applyChange(deps, {
    name,
    live: s.live ? { apply: (c) => removeLiveForward(c, m, fwd), undo: (c) => addLiveForward(c, m, restore) } : undefined,
    xml: next?.toXml(),
  });
}
