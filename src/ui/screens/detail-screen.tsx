// The detail view of one domain: state, memory, vCPUs, disks, NICs, serial devices and the
// domain's recent events. Built as rows of segments, scrolled with j/k, Esc goes back.
import type { DomainConfig } from '../../domain/model.js';
import type { DetailsEntry, DomainEntry } from '../../store/types.js';
import { displayState } from '../../store/selectors.js';
import { formatMemoryKiB, formatPercent, formatTime, formatUptime, fit } from '../format.js';
import { type Segment } from '../components/line.js';
import { ScrolledRows } from '../components/scrolled-rows.js';
import { useMinuteClock } from '../components/use-minute-clock.js';
import { useApp } from '../store-context.js';
import { COLORS, stateLook } from '../theme.js';

type Row = Segment[];

const label = (t: string, w = 12): Segment => ({ text: fit(t, w), dim: true });
const section = (t: string): Row => [{ text: t, bold: true, color: COLORS.accent }];

export function detailRows(e: DomainEntry, d: DetailsEntry | undefined, now: number, width: number): Row[] {
  const s = e.summary;
  const state = displayState(e);
  const look = stateLook(state);
  const rows: Row[] = [];
  rows.push([
    { text: e.name, bold: true },
    { text: '  ' },
    { text: `${look.symbol} ${state}`, color: look.color, bold: true },
    { text: s.reason && state === s.state ? ` (${s.reason})` : '', dim: true },
    { text: `  ${e.connection}`, dim: true },
  ]);
  if (s.message) rows.push([{ text: s.message, color: COLORS.error }]);
  if (e.statsError) rows.push([{ text: `stats: ${e.statsError}`, color: COLORS.warn }]);
  rows.push([]);

  rows.push(section('General'));
  rows.push([label('  UUID'), { text: s.uuid }]);
  rows.push([label('  Type'), { text: s.type === 'qemu' ? 'qemu (TCG emulation)' : s.type }]);
  rows.push([label('  vCPUs'), { text: fit(String(s.vcpus), 8) }, label('CPU', 6), { text: formatPercent(e.cpuPercent) }]);
  const mem = e.rates?.memory;
  const memBits = [`${formatMemoryKiB(s.memoryKiB)} max`];
  if (s.currentMemoryKiB !== s.memoryKiB) memBits.push(`${formatMemoryKiB(s.currentMemoryKiB)} current`);
  if (mem?.balloonKiB !== undefined) memBits.push(`balloon ${formatMemoryKiB(mem.balloonKiB)}`);
  if (mem?.guestUsedKiB !== undefined) memBits.push(`guest uses ${formatMemoryKiB(mem.guestUsedKiB)}`);
  if (mem?.rssKiB !== undefined) memBits.push(`host RSS ${formatMemoryKiB(mem.rssKiB)}`);
  rows.push([label('  Memory'), { text: memBits.join(', ') }]);
  rows.push([label('  Uptime'), { text: fit(formatUptime(s.startedAt, now), 8) }, label('PID', 6), { text: s.pid === undefined ? '-' : String(s.pid) }]);
  rows.push([label('  Autostart'), { text: fit(s.autostart ? 'yes' : 'no', 8) }, label('Saved', 6), { text: s.persistent ? 'persistent' : 'transient' }]);
  rows.push([]);

  const cfg = d?.details?.config;
  if (!cfg) {
    rows.push([{ text: d?.error ? `details: ${d.error}` : 'loading details…', color: d?.error ? COLORS.error : undefined, dim: !d?.error }]);
  } else {
    rows.push(...configRows(cfg, e, width));
  }
  rows.push([]);
  rows.push(section('Recent events'));
  if (e.events.length === 0) rows.push([{ text: '  none yet', dim: true }]);
  for (const ev of [...e.events].reverse()) rows.push([{ text: `  ${formatTime(ev.time)}  `, dim: true }, { text: ev.text }]);
  return rows;
}

function configRows(cfg: DomainConfig, e: DomainEntry, width: number): Row[] {
  const rows: Row[] = [];
  rows.push(section(`Disks (${cfg.disks.length})`));
  if (cfg.disks.length === 0) rows.push([{ text: '  none', dim: true }]);
  const ioOf = (t: string) => e.rates?.disks.find((x) => x.target === t);
  for (const k of cfg.disks) {
    const io = ioOf(k.target);
    const ioText = io?.rdBytesPerSec !== undefined ? `  r ${bytesRate(io.rdBytesPerSec)} w ${bytesRate(io.wrBytesPerSec)}` : '';
    const flags = [k.readonly ? 'ro' : '', k.shareable ? 'shared' : ''].filter(Boolean).join(',');
    const head = `  ${fit(k.target, 5)} ${fit(k.bus ?? '-', 7)} ${fit(k.device, 6)} ${fit(k.format ?? '-', 6)} `;
    const src = k.source ?? (k.device === 'cdrom' ? '(empty)' : '-');
    rows.push([{ text: head }, { text: fit(src + (flags ? ` [${flags}]` : ''), Math.max(10, width - head.length - ioText.length)) }, { text: ioText, dim: true }]);
  }
  rows.push([]);
  rows.push(section(`Network interfaces (${cfg.interfaces.length})`));
  if (cfg.interfaces.length === 0) rows.push([{ text: '  none', dim: true }]);
  for (const n of cfg.interfaces) {
    const fwd = n.portForwards.map((f) => `${f.protocol} ${f.hostPort}->${f.guestPort}`).join(', ');
    const side = n.targetDev ?? n.source ?? '';
    rows.push([
      { text: `  ${fit(n.type, 9)} ${fit(n.model ?? '-', 8)} ${fit(n.mac ?? '-', 18)} ` },
      { text: fit(`link ${n.linkState ?? 'up'}`, 10), color: n.linkState === 'down' ? COLORS.warn : undefined },
      { text: [side, fwd].filter(Boolean).join('  '), dim: true },
    ]);
  }
  rows.push([]);
  rows.push(section('Serial'));
  const chars = [...cfg.serials.map((c) => ({ kind: 'serial', c })), ...cfg.consoles.map((c) => ({ kind: 'console', c }))];
  if (chars.length === 0) rows.push([{ text: '  none', dim: true }]);
  for (const { kind, c } of chars) {
    rows.push([{ text: `  ${fit(`${kind}${c.targetPort ?? ''}`, 9)} ${fit(c.type, 6)} ${c.targetType ?? ''}${c.path ? `  ${c.path}` : ''}` }]);
  }
  return rows;
}

function bytesRate(v: number | undefined): string {
  if (v === undefined) return '-';
  if (v < 1024) return `${Math.round(v)} B/s`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB/s`;
  return `${(v / 1024 / 1024).toFixed(1)} MiB/s`;
}

export function DetailScreen({ width, height }: { width: number; height: number }) {
  const key = useApp((s) => s.detailKey);
  const entry = useApp((s) => (key === undefined ? undefined : s.domains.get(key)));
  const details = useApp((s) => (key === undefined ? undefined : s.details.get(key)));
  const minute = useMinuteClock();
  const rows = entry ? detailRows(entry, details, minute, width) : [[{ text: 'This domain is gone (undefined or its host is unreachable). Esc goes back.', color: COLORS.warn }]];
  return <ScrolledRows rows={rows} width={width} height={height} />;
}
