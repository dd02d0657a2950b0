// Sizes: libvirt's memory units (as virScaleInteger reads them) and the sizes operators type.

import { KvmtuiError } from '../driver/errors.js';

const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/**
 * Bytes per unit, libvirt's rules (case-insensitive): b/byte/bytes = 1; a bare letter or
 * letter+'iB' (k, KiB, M, MiB...) is a power of 1024; letter+'B' (KB, MB...) a power of 1000.
 * Returns undefined for an unknown unit.
 */
export function unitBytes(unit: string): number | undefined {
  const u = unit.toLowerCase();
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1;
  const power = POWERS[u[0] ?? ''];
  if (power === undefined) return undefined;
  const rest = u.slice(1);
  if (rest === '' || rest === 'ib') return 1024 ** power;
  if (rest === 'b') return 1000 ** power;
  return undefined;
}

/** A libvirt memory amount in KiB (rounded up, as libvirt does); the default unit is KiB. */
export function toKiB(value: number | string, unit?: string): number {
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (typeof value === 'string' && !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    throw new KvmtuiError('INVALID_CONFIG', `invalid memory amount '${value}': expected a non-negative number`);
  }
  if (!Number.isFinite(n) || n < 0) {
    throw new KvmtuiError('INVALID_CONFIG', `invalid memory amount '${value}': expected a non-negative number`);
  }
  const per = unit === undefined || unit === '' ? 1024 : unitBytes(unit);
  if (per === undefined) {
    throw new KvmtuiError('INVALID_CONFIG', `unknown memory unit '${unit}' (use b, KB, k/KiB, MB, M/MiB, GB, G/GiB, TB, T/TiB...)`);
  }
  return Math.ceil((n * per) / 1024);
}

/**
 * A size typed by an operator, e.g. '10G', '512MiB', '1.5T', '4096' (bytes), in bytes.
 * K/M/G/T with or without 'iB' are powers of 1024 (like qemu-img); KB/MB/GB/TB powers of 1000.
 */
export function parseSize(text: string): number {
  const s = text.trim();
  if (s === '') throw new KvmtuiError('INVALID_CONFIG', 'size is empty: give a number with a unit, e.g. 10G');
  const m = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)$/.exec(s);
  if (!m) throw new KvmtuiError('INVALID_CONFIG', `invalid size '${text}': give a number with a unit, e.g. 10G or 512M`);
  const [, sign, num, unit] = m;
  const per = unit === '' ? 1 : unitBytes(unit!);
  if (per === undefined) {
    throw new KvmtuiError('INVALID_CONFIG', `invalid size '${text}': unknown unit '${unit}' (use b, K, M, G or T, optionally with iB)`);
  }
  if (sign === '-') throw new KvmtuiError('INVALID_CONFIG', `invalid size '${text}': a size cannot be negative`);
  const bytes = Math.round(Number(num) * per);
  if (bytes <= 0) throw new KvmtuiError('INVALID_CONFIG', `invalid size '${text}': a size must be greater than 0`);
  if (!Number.isSafeInteger(bytes)) throw new KvmtuiError('INVALID_CONFIG', `invalid size '${text}': too large`);
  return bytes;
}

/** '64 MiB', '1.5 GiB', '512 B': a short binary size for the UI. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const shown = i === 0 || Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[i]}`;
}
