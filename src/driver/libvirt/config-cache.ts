// Parsed domain configs by UUID, so a list refresh costs one virsh call, not one per domain.
// `domstats` gives state, vCPUs and memory; only type and title need the XML. Entries expire
// after a while (events may have been missed) and are dropped when an event says they changed.
import type { DomainConfig } from '../../domain/model.js';

interface Entry {
  config: DomainConfig | undefined;
  at: number;
}

export class ConfigCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private ttlMs: number) {}

  setTtl(ms: number): void {
    this.ttlMs = ms;
  }

  /** undefined when unknown or expired; { config: undefined } when the XML could not be parsed */
  get(uuid: string, now = Date.now()): Entry | undefined {
    const e = this.entries.get(uuid.toLowerCase());
    if (!e || now - e.at > this.ttlMs) return undefined;
    return e;
  }

  set(uuid: string, config: DomainConfig | undefined, now = Date.now()): void {
    this.entries.set(uuid.toLowerCase(), { config, at: now });
  }

  dropName(name: string): void {
    for (const [k, e] of this.entries) if (!e.config || e.config.name === name) this.entries.delete(k);
  }

  /** keep only these UUIDs (domains that are gone leave the cache) */
  retain(uuids: Set<string>): void {
    for (const k of this.entries.keys()) if (!uuids.has(k)) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }

  configs(): DomainConfig[] {
    return [...this.entries.values()].flatMap((e) => (e.config ? [e.config] : []));
  }
}
