// The MAC each interface of a config has once running: its own, or for an interface with none
// in the XML the stable one the argv builder derives (argv-net.ts), so the NIC editor can name
// and change such an interface by the MAC the guest actually sees.
import type { DomainConfig } from '../../domain/model.js';
import { normalizeMac } from '../../domain/index.js';
import { derivedMac } from './argv-net.js';

export interface EffectiveMac {
  mac: string;
  /** true when the XML has no MAC and this one is derived */
  derived: boolean;
}

/** One per interface, in document order (the order the argv builder numbers them). */
export function effectiveMacs(cfg: DomainConfig): EffectiveMac[] {
  return cfg.interfaces.map((n, i) =>
    n.mac !== undefined ? { mac: normalizeMac(n.mac), derived: false } : { mac: derivedMac(cfg.uuid ?? cfg.name, i), derived: true },
  );
}

/** Index of the interface that has this MAC, its own or derived; -1 when none. */
export function interfaceIndexByMac(cfg: DomainConfig, mac: string): number {
  const want = normalizeMac(mac);
  return effectiveMacs(cfg).findIndex((m) => m.mac === want);
}
