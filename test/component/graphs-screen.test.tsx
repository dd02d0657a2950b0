import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { appendRates, emptyHistory, type DomainHistory } from '../../src/store/history.js';
import type { DomainRates } from '../../src/store/rates.js';
import { GraphsScreen, graphsPageCount, headerLines, timeSpan } from '../../src/ui/screens/graphs-screen.js';
import { Sparkline } from '../../src/ui/components/charts/sparkline.js';

const USER_NOTE = 'user networking: the host has no counters';

function ratesAt(i: number, disks: string[]): DomainRates {
  return {
    name: 'web1',
    time: 1000 * i,
    intervalMs: 1000,
    state: 'running',
    cpu: { processPct: 30 + i, processPctOfVcpus: 15, vcpuPct: 2 * i, vcpuPctOfVcpus: i, perVcpuPct: [i, i] },
    memory: { maxKiB: 262144, balloonKiB: 262144, guestUsedKiB: 50000 + 100 * i, rssKiB: 120000 },
    disks: disks.map((target) => ({ target, rdBytesPerSec: 0, wrBytesPerSec: i * 100 * 1024, rdOpsPerSec: 0, wrOpsPerSec: i })),
    nics: [
      { mac: '52:54:00:00:00:01', hostDev: 'tap0', rxBytesPerSec: 2000, txBytesPerSec: 100 * i },
      { mac: '52:54:00:00:00:02', note: USER_NOTE },
    ],
  };
}

function historyOf(n: number, disks: string[]): { history: DomainHistory; rates: DomainRates } {
  let history = emptyHistory();
  let rates = ratesAt(0, disks);
  for (let i = 1; i <= n; i++) {
    rates = ratesAt(i, disks);
    history = appendRates(history, rates);
  }
  return { history, rates };
}

const lines = (frame: string | undefined) => (frame ?? '').split('\n');
const braille = /[\u2801-\u28ff]/;

describe('GraphsScreen', () => {
  it('fits CPU, memory, disk and NIC charts on one 80x24 page', () => {
    const { history, rates } = historyOf(40, ['vda']);
    const props = { name: 'web1', history, rates, width: 80, height: 24 };
    const { lastFrame, unmount } = render(<GraphsScreen {...props} />);
    const frame = lastFrame()!;
    unmount();
    const rows = lines(frame);
    expect(rows.length).toBeLessThanOrEqual(24);
    for (const r of rows) expect([...r].length).toBeLessThanOrEqual(80);
    expect(rows[0]).toContain('Graphs: web1');
    expect(rows[0]).toContain('CPU 40% of vCPUs');
    for (const title of ['CPU of 2 vCPUs', 'memory used (guest)', 'vda read', 'vda write', 'tap0 rx', 'tap0 tx']) {
      expect(frame).toContain(title);
    }
    expect(frame).toContain('now 3.9 MiB/s'); // vda write: 40 x 100 KiB/s
    expect(frame).toContain('1KiB┤'); // vda read is idle: a small scale, not 1 B
    expect(frame).toContain('100%┤');
    expect(frame).toContain(USER_NOTE);
    expect(frame).not.toContain('page ');
    expect(frame).toMatch(braille);
    expect(graphsPageCount(props)).toBe(1);
  });

  it('at 80x24 keeps every header figure (CPU both ways, QEMU, balloon, guest memory, RSS) and says the time span', () => {
    const { history, rates } = historyOf(40, ['vda']);
    rates.memory = { ...rates.memory!, guestTotalKiB: 200000, guestAvailableKiB: 150000 };
    const { lastFrame, unmount } = render(<GraphsScreen name="web1" history={history} rates={rates} width={80} height={24} />);
    const frame = lastFrame()!;
    unmount();
    const rows = lines(frame);
    expect(rows.length).toBeLessThanOrEqual(24);
    for (const r of rows) expect([...r].length).toBeLessThanOrEqual(80);
    const top = rows.slice(0, 3).join('\n');
    expect(top).toContain('CPU 40% of vCPUs (80% of a host CPU)');
    expect(top).toContain('QEMU 70% of a host CPU (15% of vCPUs)');
    expect(top).toContain('balloon 256 MiB');
    expect(top).toContain('guest available 146 MiB of 195 MiB');
    expect(top).toContain('RSS 117 MiB');
    expect(top).not.toContain('…');
    // 80 columns: two charts of 39 cells, about 32 plot cells = 64 samples of 1 s
    expect(frame).toMatch(/time axis: ~1m \d+s ago → now/);
    expect(frame).toContain(USER_NOTE);
    for (const title of ['CPU of 2 vCPUs', 'vda write', 'tap0 tx']) expect(frame).toContain(title);
  });

  it('headerLines wraps at part boundaries onto two lines at most', () => {
    expect(headerLines(['aaaa', 'bbbb', 'cccc'], 14)).toEqual(['aaaa  ·  bbbb', 'cccc']);
    expect(headerLines(['aaaa', 'bbbb', 'cccc', 'dddd'], 14)).toEqual(['aaaa  ·  bbbb', 'cccc  ·  dddd']);
    expect(headerLines(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'], 14)[1]).toBe('cccc  ·  dddd…');
    expect(timeSpan(59)).toBe('59s');
    expect(timeSpan(300)).toBe('5m');
    expect(timeSpan(3 * 3600 + 120)).toBe('3h 2m');
  });

  it('pages when the charts do not fit, and shows which page', () => {
    const { history, rates } = historyOf(10, ['vda', 'vdb', 'vdc', 'vdd']);
    const props = { name: 'web1', history, rates, width: 80, height: 24 };
    expect(graphsPageCount(props)).toBe(2);
    const first = render(<GraphsScreen {...props} page={0} />);
    const f0 = first.lastFrame()!;
    first.unmount();
    const second = render(<GraphsScreen {...props} page={1} />);
    const f1 = second.lastFrame()!;
    second.unmount();
    expect(f0).toContain('page 1/2');
    expect(f0).toContain('CPU of 2 vCPUs');
    expect(f0).not.toContain('tap0 rx');
    expect(f1).toContain('page 2/2');
    expect(f1).toContain('tap0 rx');
    expect(f1).not.toContain('CPU of 2 vCPUs');
    expect(lines(f1).length).toBeLessThanOrEqual(24);
  });

  it('uses one column when narrow and clamps a page beyond the last', () => {
    const { history, rates } = historyOf(5, ['vda']);
    const { lastFrame, unmount } = render(<GraphsScreen name="web1" history={history} rates={rates} width={50} height={24} page={99} />);
    const frame = lastFrame()!;
    unmount();
    for (const r of lines(frame)) expect([...r].length).toBeLessThanOrEqual(50);
    expect(frame).toMatch(/page (\d)\/\1/); // the last page
  });

  it('says so before the first samples arrive', () => {
    const { lastFrame, unmount } = render(<GraphsScreen name="web1" history={emptyHistory()} width={80} height={24} />);
    expect(lastFrame()).toContain('waiting for the first samples');
    unmount();
  });

  it('shows KVM counters only when QEMU reports them', () => {
    const { history, rates } = historyOf(3, ['vda']);
    const withKvm = render(<GraphsScreen name="web1" history={history} rates={{ ...rates, kvm: { exits: 1500, halt_exits: 20 } }} width={80} height={24} />);
    expect(withKvm.lastFrame()).toContain('KVM  exits 1.5k/s  halt_exits 20/s');
    withKvm.unmount();
    const without = render(<GraphsScreen name="web1" history={history} rates={rates} width={80} height={24} />);
    expect(without.lastFrame()).not.toContain('KVM');
    without.unmount();
  });
});

describe('Sparkline', () => {
  it('renders a fixed-width block row', () => {
    const { lastFrame, unmount } = render(<Sparkline data={[0, 50, 100]} width={5} max={100} />);
    expect(lastFrame()).toBe('  ▁▅█');
    unmount();
  });
});
