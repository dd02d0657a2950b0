// Number formatting for chart titles and axes: binary prefixes for bytes, SI for the rest.

const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
const SI = ['', 'k', 'M', 'G', 'T', 'P'];

/** Units that count bytes (B, B/s) scale by 1024; everything else by 1000. */
export function isByteUnit(unit: string): boolean {
  return unit === 'B' || unit.startsWith('B/');
}

function scale(v: number, unit: string): { mantissa: number; prefix: string } {
  const base = isByteUnit(unit) ? 1024 : 1000;
  const prefixes = isByteUnit(unit) ? BINARY : SI;
  if (unit === '%') return { mantissa: v, prefix: '' };
  let i = 0;
  let m = Math.abs(v);
  // 1000 KiB reads badly: move up once the mantissa would need four digits
  while (m >= 1000 && i < prefixes.length - 1) {
    m /= base;
    i++;
  }
  return { mantissa: Math.sign(v) * m, prefix: prefixes[i]! };
}

function digits(m: number): string {
  const a = Math.abs(m);
  if (a === 0) return '0';
  if (a < 10) return m.toFixed(1).replace(/\.0$/, '');
  return m.toFixed(0);
}

/** "12.5 MiB/s", "3.2k ops/s", "45%"; "-" for a missing value. */
export function formatValue(v: number | undefined, unit: string): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  const { mantissa, prefix } = scale(v, unit);
  if (unit === '%') return `${digits(mantissa)}%`;
  if (isByteUnit(unit)) return `${digits(mantissa)} ${prefix}${unit}`;
  return `${digits(mantissa)}${prefix}${unit ? ` ${unit}` : ''}`;
}

/** Short axis label: "512KiB", "1.5k", "100%" (no "/s": the title carries the full unit). */
export function formatAxis(v: number, unit: string): string {
  const { mantissa, prefix } = scale(v, unit);
  if (unit === '%') return `${digits(mantissa)}%`;
  if (isByteUnit(unit)) return `${digits(mantissa)}${prefix}B`;
  return `${digits(mantissa)}${prefix}`;
}

/** Round up to 1, 2 or 5 times a power of ten, within the unit's prefix: a tidy axis top. */
export function niceCeil(v: number, unit: string): number {
  // an idle series still gets a scale that reads as small: 1 KiB/s rather than 1 B/s
  if (!Number.isFinite(v) || v <= 0) return isByteUnit(unit) ? 1024 : 1;
  const { mantissa } = scale(v, unit);
  const factor = v / mantissa; // the prefix's multiplier
  const p = 10 ** Math.floor(Math.log10(mantissa));
  const n = mantissa / p;
  const step = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
  const top = step * p;
  // "1000 KiB" is "1 MiB" once a byte axis reaches the next prefix
  if (isByteUnit(unit) && top >= 1000) return 1024 * factor;
  return top * factor;
}
