// MAC addresses: parsing, the unicast check, and generating QEMU-style 52:54:00:xx:xx:xx ones.

import { randomBytes } from 'node:crypto';
import { KvmtuiError } from '../driver/errors.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Lower-case form, for comparing; the input is returned trimmed if it is not a MAC. */
export function normalizeMac(mac: string): string {
  return mac.trim().toLowerCase();
}

/** Why mac is unusable for a NIC, or undefined when it is a well-formed unicast address. */
export function macProblem(mac: string): string | undefined {
  if (!MAC.test(mac.trim())) return `MAC address '${mac}' is not of the form xx:xx:xx:xx:xx:xx (hex digits)`;
  const first = parseInt(mac.trim().slice(0, 2), 16);
  if (first & 1) return `MAC address '${mac}' is a multicast address (the first octet must be even)`;
  if (/^(00:){5}00$/.test(normalizeMac(mac))) return `MAC address '${mac}' is all zeros`;
  return undefined;
}

export function isValidMac(mac: string): boolean {
  return macProblem(mac) === undefined;
}

/** Throws INVALID_CONFIG with the reason when mac is not a usable unicast address. */
export function assertValidMac(mac: string): string {
  const problem = macProblem(mac);
  if (problem) throw new KvmtuiError('INVALID_CONFIG', problem);
  return normalizeMac(mac);
}

/**
 * A random 52:54:00:xx:xx:xx address (QEMU's locally administered prefix) not in `used`
 * (compared case-insensitively).
 */
export function generateMac(used: Iterable<string> = [], random: (n: number) => Uint8Array = randomBytes): string {
  const taken = new Set([...used].map(normalizeMac));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const b = random(3);
    const mac = ['52', '54', '00', ...[b[0]!, b[1]!, b[2]!].map((x) => x.toString(16).padStart(2, '0'))].join(':');
    if (!taken.has(mac)) return mac;
  }
  throw new KvmtuiError('INVALID_CONFIG', 'could not find a free MAC address under 52:54:00');
}
