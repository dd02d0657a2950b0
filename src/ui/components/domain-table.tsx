// The domain list: a header row and one row per domain, scrolled to keep the selection visible.
// Columns: marker, name, state (symbol + word), vCPUs, memory, CPU%, CPU trend (disk or net I/O
// when sorted by it), uptime.
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import type { DomainEntry } from '../../store/types.js';
import { isActive } from '../../store/domain-reducers.js';
import { hostLabels } from '../../store/host-label.js';
import { diskBytesPerSec, displayState, netBytesPerSec, selectSelectedKey, selectVisible } from '../../store/selectors.js';
import { formatValue } from './charts/format.js';
import { formatMemoryKiB, formatPercent, formatUptime, fit } from '../format.js';
import { useApp, useAppShallow } from '../store-context.js';
import { COLORS, stateLook } from '../theme.js';
import { sparklineRow } from './charts/render.js';
import { Line, TextLine, type Segment } from './line.js';
import { useMinuteClock } from './use-minute-clock.js';

export interface Columns {
  name: number;
  host: number;
  state: number;
  vcpus: number;
  mem: number;
  cpu: number;
  spark: number;
  uptime: number;
}

/**
 * Fixed columns first (hostWidth 0: no HOST column); the name takes what is left; in a narrow
 * terminal columns go, least needed first.
 */
export function layoutColumns(width: number, hostWidth: number): Columns {
  const c: Columns = { name: 0, host: hostWidth, state: 15, vcpus: 4, mem: 8, cpu: 6, spark: 12, uptime: 6 };
  const gaps = () => (['host', 'vcpus', 'mem', 'spark', 'uptime'] as const).filter((k) => c[k] > 0).length + 2;
  const fixed = () => 2 + c.host + c.state + c.vcpus + c.mem + c.cpu + c.spark + c.uptime + gaps();
  if (width - fixed() < 16) c.spark = 0;
  if (width - fixed() < 12) c.host = 0;
  for (const k of ['uptime', 'vcpus', 'mem'] as const) if (width - fixed() < 8) c[k] = 0;
  c.name = Math.max(6, width - fixed());
  return c;
}

/** Sorted by disk or net I/O, the trend column shows that rate instead, so the order can be read. */
type IoColumn = 'disk' | 'net' | undefined;

function ioText(entry: DomainEntry, io: 'disk' | 'net'): string {
  const v = io === 'disk' ? diskBytesPerSec(entry) : netBytesPerSec(entry);
  return v === undefined ? '-' : formatValue(v, 'B/s');
}

function headerSegments(c: Columns, io: IoColumn): Segment[] {
  const cells = [
    '  ' + fit('NAME', c.name),
    c.host ? fit('HOST', c.host) : '',
    fit('STATE', c.state),
    c.vcpus ? fit('VCPU', c.vcpus, 'right') : '',
    c.mem ? fit('MEMORY', c.mem, 'right') : '',
    fit('CPU%', c.cpu, 'right'),
    c.spark ? fit(io === 'disk' ? 'DISK I/O' : io === 'net' ? 'NET I/O' : 'CPU', c.spark, io ? 'right' : 'left') : '',
    c.uptime ? fit('UPTIME', c.uptime, 'right') : '',
  ].filter(Boolean);
  return [{ text: cells.join(' '), bold: true }];
}

interface RowProps {
  entry: DomainEntry;
  /** the label of the domain's connection (HOST column) */
  host: string;
  cols: Columns;
  width: number;
  selected: boolean;
  marked: boolean;
  minute: number;
  io: IoColumn;
}

const DomainRow = memo(function DomainRow({ entry, host, cols, width, selected, marked, minute, io }: RowProps) {
  const state = displayState(entry);
  const look = stateLook(state);
  const s = entry.summary;
  const segs: Segment[] = [
    { text: (selected ? '>' : ' ') + (marked ? '*' : ' '), bold: true, color: marked ? COLORS.warn : undefined },
    { text: fit(entry.name, cols.name) + ' ', bold: selected },
  ];
  if (cols.host) segs.push({ text: fit(host, cols.host) + ' ', dim: true });
  segs.push({ text: fit(`${look.symbol} ${state}`, cols.state) + ' ', color: look.color });
  if (cols.vcpus) segs.push({ text: `${fit(String(s.vcpus), cols.vcpus, 'right')} ` });
  if (cols.mem) segs.push({ text: `${fit(formatMemoryKiB(s.memoryKiB), cols.mem, 'right')} ` });
  const cpu = entry.statsError ? '?' : formatPercent(entry.cpuPercent);
  segs.push({ text: fit(cpu, cols.cpu, 'right') + (cols.spark || cols.uptime ? ' ' : ''), color: entry.statsError ? COLORS.warn : undefined });
  if (cols.spark && io) {
    segs.push({ text: fit(isActive(state) ? ioText(entry, io) : '', cols.spark, 'right') + ' ' });
  } else if (cols.spark) {
    // the trend of a stopped domain would be old news: blank until it runs again
    const data = isActive(state) ? (entry.history?.cpu.toArray() ?? []) : [];
    segs.push({ text: sparklineRow(data, cols.spark, 100) + ' ', color: COLORS.info });
  }
  if (cols.uptime) segs.push({ text: fit(formatUptime(s.startedAt, minute), cols.uptime, 'right') });
  return <Line width={width} segments={segs} inverse={selected} />;
});

export function DomainTable({ width, height }: { width: number; height: number }) {
  const visible = useAppShallow((s) => selectVisible(s));
  const selectedKey = useApp((s) => selectSelectedKey(s));
  const marks = useApp((s) => s.marks);
  const uris = useApp((s) => [...s.connections.keys()].join('\n'));
  const labels = useMemo(() => hostLabels(uris.split('\n')), [uris]);
  // HOST only with several connections, as wide as the longest label (4 to 18 columns)
  const hostWidth = labels.size > 1 ? Math.min(18, Math.max(4, ...[...labels.values()].map((l) => [...l].length))) : 0;
  const filter = useApp((s) => s.filter);
  const sort = useApp((s) => s.sort);
  const io: IoColumn = sort === 'disk' || sort === 'net' ? sort : undefined;
  const loaded = useApp((s) => [...s.connections.values()].some((c) => c.refreshedAt !== undefined || !c.ok));
  const minute = useMinuteClock();
  const cols = layoutColumns(width, hostWidth);
  const rows = Math.max(0, height - 1);
  const sel = Math.max(0, visible.findIndex((e) => e.key === selectedKey));
  // keep the selection on screen, a little away from the bottom edge
  const first = visible.length <= rows ? 0 : Math.min(Math.max(0, sel - rows + 2), visible.length - rows);
  const shown = visible.slice(first, first + rows);
  const empty = !loaded ? 'loading…' : filter ? `no domain matches "${filter}"` : 'no domains defined (kvmtui define FILE.xml)';
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Line width={width} segments={headerSegments(cols, io)} />
      {shown.length === 0 ? <TextLine width={width} text={`  ${empty}`} dim /> : null}
      {shown.map((e) => (
        <DomainRow key={e.key} entry={e} host={labels.get(e.connection) ?? e.connection} cols={cols} width={width} selected={e.key === selectedKey} marked={marks.has(e.key)} minute={minute} io={io} />
      ))}
    </Box>
  );
}
