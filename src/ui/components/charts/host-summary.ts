// The host summary line: "host  CPU 23% of 2 CPUs  ·  mem 1.2 GiB / 23.5 GiB  ·  load 0.52 0.40 0.30".
// A remote libvirt host has no load average: its figures are NaN and show as "-". With several
// connections the first word is the connection's label (store/host-label.ts) instead of "host".
import type { HostRates } from '../../../store/rates.js';
import { formatValue } from './format.js';

export function hostSummaryText(h: HostRates, label = 'host'): string {
  const cpu = `CPU ${formatValue(h.cpuPct, '%')} of ${h.cpus} CPU${h.cpus === 1 ? '' : 's'}`;
  const mem = `mem ${formatValue(h.memUsedKiB * 1024, 'B')} / ${formatValue(h.memTotalKiB * 1024, 'B')}`;
  const load = `load ${h.load.map((l) => (Number.isFinite(l) ? l.toFixed(2) : '-')).join(' ')}`;
  return `${label}  ${cpu}  ·  ${mem}  ·  ${load}`;
}
