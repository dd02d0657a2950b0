// Disk target names (vda, sdb, hdc...): which prefix a bus uses and the first free one.

import { KvmtuiError } from '../driver/errors.js';

/** The target prefix libvirt uses for each disk bus. */
export const BUS_PREFIX: Record<string, string> = {
  virtio: 'vd',
  sata: 'sd',
  scsi: 'sd',
  usb: 'sd',
  ide: 'hd',
  xen: 'xvd',
  fdc: 'fd',
};

/** Buses with only a few units: IDE has two channels of two, a floppy controller two drives. */
const BUS_LIMIT: Record<string, number> = { ide: 4, fdc: 2 };

/** 0 -> 'a', 25 -> 'z', 26 -> 'aa', 27 -> 'ab' ... (libvirt's numbering of disk names) */
export function targetSuffix(index: number): string {
  let s = '';
  let n = index;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** The bus a target name implies (vd* -> virtio, hd* -> ide, sd* -> sata...), if any. */
export function busForTarget(target: string): string | undefined {
  if (/^vd[a-z]+$/.test(target)) return 'virtio';
  if (/^hd[a-z]+$/.test(target)) return 'ide';
  if (/^sd[a-z]+$/.test(target)) return 'sata';
  if (/^xvd[a-z]+$/.test(target)) return 'xen';
  if (/^fd[a-z]+$/.test(target)) return 'fdc';
  return undefined;
}

/** The first target for `bus` not in existingTargets, e.g. nextFreeTarget('virtio', ['vda']) = 'vdb'. */
export function nextFreeTarget(bus: string, existingTargets: Iterable<string>): string {
  const prefix = BUS_PREFIX[bus];
  if (!prefix) {
    throw new KvmtuiError('INVALID_CONFIG', `unknown disk bus '${bus}' (use ${Object.keys(BUS_PREFIX).join(', ')})`);
  }
  const taken = new Set(existingTargets);
  const limit = BUS_LIMIT[bus] ?? 26 * 27; // up to 'zz'
  for (let i = 0; i < limit; i++) {
    const target = prefix + targetSuffix(i);
    if (!taken.has(target)) return target;
  }
  throw new KvmtuiError('INVALID_CONFIG', `no free ${bus} disk target: ${prefix}${targetSuffix(0)}-${prefix}${targetSuffix(limit - 1)} are all in use`);
}
