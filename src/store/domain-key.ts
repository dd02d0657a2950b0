// A domain's identity across connections: two hosts may both have a "web1".
import type { DomainKey } from './types.js';

export function domainKey(connection: string, name: string): DomainKey {
  return `${connection}\n${name}`;
}

export function splitDomainKey(key: DomainKey): { connection: string; name: string } {
  const i = key.lastIndexOf('\n');
  return { connection: key.slice(0, i), name: key.slice(i + 1) };
}
