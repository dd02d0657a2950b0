// The graphs view of one domain: CPU, memory, per-disk read/write and per-NIC rx/tx charts,
// in two columns when the width allows, paged when they do not all fit.
// The page is a prop: the app's key table owns the keys that change it.
import { Box, Text } from 'ink';
import type { DomainHistory } from '../../store/history.js';
import type { DomainRates } from '../../store/rates.js';
import { BrailleChart } from '../components/charts/braille-chart.js';
import { formatValue } from '../components/charts/format.js';

export interface GraphsScreenProps {
  name: string;
  history: DomainHistory;
  /** the latest rates: header figures, notes (no balloon, user networking), KVM counters */
  rates?: DomainRates;
  width: number;
  height: number;
  /** 0-based; clamped to the pages there are (see graphsPageCount) */
  page?: number;
  /** the poll interval, ms: the time axis until two samples give the real one */
  interval?: number;
}

export interface ChartSpec {
  key: string;
  label: string;
  unit: string;
  data: number[];
  max?: number;
  color: string;
}

/** The charts for a domain, in display order: CPU, memory, then disks, then NICs. */
export function graphsCharts(history: DomainHistory, rates?: DomainRates): ChartSpec[] {
  const vcpus = rates?.cpu?.perVcpuPct.length || undefined;
  const charts: ChartSpec[] = [
    {
      key: 'cpu',
      label: vcpus ? `CPU of ${vcpus} vCPU${vcpus > 1 ? 's' : ''}` : 'CPU of its vCPUs',
      unit: '%',
      data: history.cpu.toArray(),
      max: 100,
      color: 'green',
    },
  ];
  const maxBytes = rates?.memory ? rates.memory.maxKiB * 1024 : undefined;
  const guest = history.memGuestUsed.hasData();
  charts.push({
    key: 'mem',
    label: guest ? 'memory used (guest)' : 'memory RSS (host)',
    unit: 'B',
    data: (guest ? history.memGuestUsed : history.memRss).toArray(),
    max: maxBytes,
    color: 'magenta',
  });
  for (const [target, d] of Object.entries(history.disks).sort(([a], [b]) => a.localeCompare(b))) {
    charts.push({ key: `disk-${target}-rd`, label: `${target} read`, unit: 'B/s', data: d.rd.toArray(), color: 'cyan' });
    charts.push({ key: `disk-${target}-wr`, label: `${target} write`, unit: 'B/s', data: d.wr.toArray(), color: 'yellow' });
  }
  for (const [mac, n] of Object.entries(history.nics)) {
    const now = rates?.nics.find((x) => x.mac === mac);
    if (now?.note) continue; // no host counters: said in the footer instead of an empty chart
    const dev = now?.hostDev ?? mac;
    charts.push({ key: `nic-${mac}-rx`, label: `${dev} rx`, unit: 'B/s', data: n.rx.toArray(), color: 'blue' });
    charts.push({ key: `nic-${mac}-tx`, label: `${dev} tx`, unit: 'B/s', data: n.tx.toArray(), color: 'red' });
  }
  return charts;
}

const columnsAt = (width: number) => (width >= TWO_COLUMNS_FROM ? 2 : 1);
const columnWidth = (width: number) => Math.max(1, Math.floor((width - (columnsAt(width) - 1)) / columnsAt(width)));

const MIN_CHART_HEIGHT = 5; // title + 4 braille rows = 16 dots of resolution
const TWO_COLUMNS_FROM = 60;

export interface GraphsLayout {
  cols: number;
  colWidth: number;
  /** rows available for charts */
  bodyHeight: number;
  perPage: number;
  pages: number;
}

export function graphsLayout(chartCount: number, width: number, height: number, extraLines: number): GraphsLayout {
  const cols = columnsAt(width);
  const colWidth = columnWidth(width);
  // header + footer + optional KVM line
  const bodyHeight = Math.max(1, height - 2 - extraLines);
  const rowsPerPage = Math.max(1, Math.floor(bodyHeight / MIN_CHART_HEIGHT));
  const perPage = rowsPerPage * cols;
  return { cols, colWidth, bodyHeight, perPage, pages: Math.max(1, Math.ceil(chartCount / perPage)) };
}

const KVM_SHOWN = ['exits', 'halt_exits', 'halt_successful_poll', 'halt_attempted_poll', 'io_exits', 'mmio_exits', 'irq_exits'];

function kvmLine(rates?: DomainRates): string | undefined {
  if (!rates?.kvm) return undefined;
  const parts = KVM_SHOWN.filter((k) => rates.kvm![k] !== undefined).map((k) => `${k} ${formatValue(rates.kvm![k], '')}/s`);
  return parts.length > 0 ? `KVM  ${parts.join('  ')}` : undefined;
}

const KiB = (v: number | undefined) => (v === undefined ? undefined : v * 1024);

/** A narrow terminal wraps the header figures onto up to three lines rather than dropping any. */
const HEADER_LINES = 3;

/** The figures above the charts, as parts that wrap (see headerLines). */
function headerParts(name: string, rates?: DomainRates): string[] {
  const parts = [`Graphs: ${name}`];
  if (rates) parts.push(rates.state);
  const cpu = rates?.cpu;
  if (cpu) {
    // the vCPU threads and the whole process, each as a share of the vCPUs and of one host CPU
    const ofVcpus = cpu.vcpuPctOfVcpus ?? cpu.processPctOfVcpus;
    const ofHost = cpu.vcpuPct ?? cpu.processPct;
    parts.push(`CPU ${formatValue(ofVcpus, '%')} of vCPUs (${formatValue(ofHost, '%')} of a host CPU)`);
    parts.push(`QEMU ${formatValue(cpu.processPct, '%')} of a host CPU (${formatValue(cpu.processPctOfVcpus, '%')} of vCPUs)`);
  }
  const m = rates?.memory;
  if (m?.balloonKiB !== undefined) parts.push(`balloon ${formatValue(KiB(m.balloonKiB), 'B')}`);
  if (m?.guestAvailableKiB !== undefined) {
    const of = m.guestTotalKiB !== undefined ? ` of ${formatValue(KiB(m.guestTotalKiB), 'B')}` : '';
    parts.push(`guest available ${formatValue(KiB(m.guestAvailableKiB), 'B')}${of}`);
  }
  if (m?.rssKiB !== undefined) parts.push(`RSS ${formatValue(KiB(m.rssKiB), 'B')}`);
  return parts;
}

/** Parts joined with " · ", wrapped at part boundaries onto at most `max` lines (the last one clipped). */
export function headerLines(parts: string[], width: number, max = 2): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.length - 1;
    const joined = last >= 0 ? `${lines[last]}  ·  ${p}` : p;
    if (last >= 0 && ([...joined].length <= width || lines.length >= max)) lines[last] = joined;
    else lines.push(p);
  }
  return lines.map((l) => clip(l, width));
}

/** "1m 40s": how far back the charts reach at this width and sampling interval. */
export function timeSpan(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

function footerNotes(rates?: DomainRates): string[] {
  const notes: string[] = [];
  if (rates?.memory && rates.memory.guestAvailableKiB === undefined && rates.memory.guestUsedKiB === undefined && !rates.memory.note) notes.push('memory: host RSS (the guest reports no figures)');
  if (rates?.memory?.note) notes.push(`memory: ${rates.memory.note}`);
  for (const n of rates?.nics ?? []) if (n.note) notes.push(`${n.hostDev ?? n.mac}: ${n.note}`);
  return notes;
}

/** The footer's parts (time axis, then notes); the page number goes first once the layout is known. */
function footerParts(width: number, rates?: DomainRates, interval?: number): string[] {
  // the time axis, said once for all charts: one sample per dot column, newest at the right
  const intervalMs = rates?.intervalMs || interval;
  const plotDots = 2 * Math.max(1, columnWidth(width) - 7);
  const time = intervalMs ? `time axis: ~${timeSpan((plotDots * intervalMs) / 1000)} ago → now` : '';
  return [time, ...footerNotes(rates)].filter(Boolean);
}

/** Lines above and below the charts besides one header and one footer line. */
function extraLines(p: Omit<GraphsScreenProps, 'page'>): number {
  const header = headerLines(headerParts(p.name, p.rates), p.width, HEADER_LINES).length;
  const footer = headerLines(['page 9/9', ...footerParts(p.width, p.rates, p.interval)], p.width).length;
  return (kvmLine(p.rates) ? 1 : 0) + header - 1 + footer - 1;
}

/** How many pages the screen has at this size, for the app's paging keys. */
export function graphsPageCount(p: Omit<GraphsScreenProps, 'page'>): number {
  return graphsLayout(graphsCharts(p.history, p.rates).length, p.width, p.height, extraLines(p)).pages;
}

const clip = (s: string, width: number) => ([...s].length > width ? [...s].slice(0, Math.max(0, width - 1)).join('') + '…' : s);

export function GraphsScreen({ name, history, rates, width, height, page = 0, interval }: GraphsScreenProps) {
  const charts = graphsCharts(history, rates);
  const kvm = kvmLine(rates);
  const header = headerLines(headerParts(name, rates), width, HEADER_LINES);
  const layout = graphsLayout(charts.length, width, height, extraLines({ name, history, rates, width, height, interval }));
  const current = Math.min(Math.max(0, Math.floor(page)), layout.pages - 1);
  const shown = charts.slice(current * layout.perPage, (current + 1) * layout.perPage);
  const gridRows: ChartSpec[][] = [];
  for (let i = 0; i < shown.length; i += layout.cols) gridRows.push(shown.slice(i, i + layout.cols));
  const chartHeight = Math.max(2, Math.floor(layout.bodyHeight / Math.max(1, gridRows.length)));
  const pageText = layout.pages > 1 ? `page ${current + 1}/${layout.pages}` : '';
  const footer = headerLines([pageText, ...footerParts(width, rates, interval)].filter(Boolean), width);

  return (
    <Box flexDirection="column" width={width} height={height}>
      {header.map((line, i) => (
        <Text key={i} bold={i === 0} wrap="truncate">
          {line}
        </Text>
      ))}
      {kvm && (
        <Text dimColor wrap="truncate">
          {clip(kvm, width)}
        </Text>
      )}
      <Box flexDirection="column" height={layout.bodyHeight}>
        {history.version === 0 ? (
          <Text dimColor>waiting for the first samples…</Text>
        ) : (
          gridRows.map((row, r) => (
            <Box key={r} flexDirection="row" gap={1} height={chartHeight}>
              {row.map((c) => (
                <BrailleChart
                  key={c.key}
                  data={c.data}
                  width={layout.colWidth}
                  height={chartHeight}
                  max={c.max}
                  unit={c.unit}
                  label={c.label}
                  color={c.color}
                />
              ))}
            </Box>
          ))
        )}
      </Box>
      {footer.map((line, i) => (
        <Text key={i} dimColor wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
