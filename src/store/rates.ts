// Rates from two samples of cumulative counters. Pure functions: no clock, no I/O.
// A rate is either a finite number >= 0 or undefined ("no figure"), never negative, NaN or
// Infinity: counters reset (guest reboot, disk hot-unplug and re-plug, emulator restart),
// domains stop between samples, clocks step.
import type { DomainState, HostStats, StatsSample } from '../driver/driver.js';

export interface CpuRates {
  /** whole emulator process, % of one host CPU (200 = two host CPUs busy), as `top` shows it */
  processPct: number;
  /** whole emulator process, % of the domain's vCPUs (100 = all its vCPUs' worth of CPU) */
  processPctOfVcpus: number;
  /** vCPU threads together, % of one host CPU */
  vcpuPct?: number;
  /** vCPU threads together, % of the domain's vCPUs: 0..100 */
  vcpuPctOfVcpus?: number;
  /** per vCPU thread, % of one host CPU; index = vCPU index */
  perVcpuPct: (number | undefined)[];
}

export interface DiskRates {
  target: string;
  rdBytesPerSec?: number;
  wrBytesPerSec?: number;
  rdOpsPerSec?: number;
  wrOpsPerSec?: number;
}

export interface NicRates {
  mac: string;
  hostDev?: string;
  /** what the guest received / sent */
  rxBytesPerSec?: number;
  txBytesPerSec?: number;
  rxPacketsPerSec?: number;
  txPacketsPerSec?: number;
  /** why there are no figures, e.g. user networking */
  note?: string;
}

/** Memory figures of the newer sample (levels, not rates). */
export interface MemoryFigures {
  maxKiB: number;
  balloonKiB?: number;
  /** guest total minus available (or free, when the guest sends no "available") */
  guestUsedKiB?: number;
  guestTotalKiB?: number;
  guestAvailableKiB?: number;
  rssKiB?: number;
  note?: string;
}

export interface DomainRates {
  name: string;
  /** time of the newer sample, ms since epoch */
  time: number;
  /** ms between the two samples; 0 when there was no earlier sample */
  intervalMs: number;
  state: DomainState;
  cpu?: CpuRates;
  memory?: MemoryFigures;
  disks: DiskRates[];
  nics: NicRates[];
  /** KVM counters per second (meaningful for the cumulative ones: exits, halt_*...) */
  kvm?: Record<string, number>;
}

export interface HostRates {
  time: number;
  /** busy share of all host CPUs, 0..100 */
  cpuPct?: number;
  cpus: number;
  memTotalKiB: number;
  memUsedKiB: number;
  load: [number, number, number];
}

const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * Per-second rate of a cumulative counter. A counter that went backwards was reset during
 * the interval: what it counted since then is its new value, so that is the delta (as
 * Prometheus' rate() does). Undefined when either value is missing or the interval is not > 0.
 */
export function counterRate(prev: number | undefined, cur: number | undefined, seconds: number): number | undefined {
  if (!isNum(prev) || !isNum(cur) || !isNum(seconds) || seconds <= 0) return undefined;
  if (cur < 0) return undefined;
  const delta = cur >= prev ? cur - prev : cur;
  const rate = delta / seconds;
  return isNum(rate) ? rate : undefined;
}

const live = (s: DomainState) => s === 'running' || s === 'paused';

/**
 * Rates between `prev` and `cur` for one domain. Without an earlier sample, or when the
 * domain was not live at either end, the rates are absent; memory levels still come through.
 */
export function computeRates(prev: StatsSample | undefined, cur: StatsSample): DomainRates {
  const intervalMs = prev ? cur.time - prev.time : 0;
  const out: DomainRates = {
    name: cur.name,
    time: cur.time,
    intervalMs,
    state: cur.state,
    disks: [],
    nics: cur.nics.map((n) => ({
      mac: n.mac,
      ...(n.hostDev ? { hostDev: n.hostDev } : {}),
      ...(n.note ? { note: n.note } : {}),
    })),
  };
  if (cur.memory) out.memory = memoryFigures(cur.memory);
  const comparable = prev !== undefined && live(prev.state) && live(cur.state) && intervalMs > 0;
  if (!comparable) {
    out.disks = cur.disks.map((d) => ({ target: d.target }));
    return out;
  }
  const seconds = intervalMs / 1000;
  if (prev.cpu && cur.cpu) out.cpu = cpuRates(prev.cpu, cur.cpu, seconds);
  out.disks = cur.disks.map((d) => {
    const p = prev.disks.find((x) => x.target === d.target);
    return {
      target: d.target,
      rdBytesPerSec: counterRate(p?.rdBytes, d.rdBytes, seconds),
      wrBytesPerSec: counterRate(p?.wrBytes, d.wrBytes, seconds),
      rdOpsPerSec: counterRate(p?.rdOps, d.rdOps, seconds),
      wrOpsPerSec: counterRate(p?.wrOps, d.wrOps, seconds),
    };
  });
  out.nics = cur.nics.map((n, i) => {
    const p = prev.nics.find((x) => x.mac === n.mac);
    const rates: NicRates = {
      ...out.nics[i]!,
      rxBytesPerSec: counterRate(p?.rxBytes, n.rxBytes, seconds),
      txBytesPerSec: counterRate(p?.txBytes, n.txBytes, seconds),
      rxPacketsPerSec: counterRate(p?.rxPackets, n.rxPackets, seconds),
      txPacketsPerSec: counterRate(p?.txPackets, n.txPackets, seconds),
    };
    return rates;
  });
  if (prev.kvm && cur.kvm) {
    const kvm: Record<string, number> = {};
    for (const [k, v] of Object.entries(cur.kvm)) {
      const r = counterRate(prev.kvm[k], v, seconds);
      if (r !== undefined) kvm[k] = r;
    }
    if (Object.keys(kvm).length > 0) out.kvm = kvm;
  }
  return out;
}

type CpuSample = NonNullable<StatsSample['cpu']>;

function cpuRates(prev: CpuSample, cur: CpuSample, seconds: number): CpuRates | undefined {
  const pct = (p: number | undefined, c: number | undefined) => {
    const r = counterRate(p, c, seconds * 1e9); // ns of CPU per ns of wall time
    return r === undefined ? undefined : r * 100;
  };
  const processPct = pct(prev.processNs, cur.processNs);
  if (processPct === undefined) return undefined;
  const vcpus = cur.vcpus > 0 ? cur.vcpus : 1;
  // a sample whose vCPU threads could not be read has no per-thread figures
  const hasThreads = prev.perVcpuNs.length > 0 && cur.perVcpuNs.length > 0;
  // a thread runs on one CPU at most: more is clock-tick jitter between /proc and the wall
  // clock (a busy vCPU read as 105%), so the vCPU figures stop at 100% each
  const cap = (v: number | undefined, max: number) => (v === undefined ? undefined : Math.min(v, max));
  const vcpuPct = hasThreads ? cap(pct(prev.vcpuNs, cur.vcpuNs), 100 * Math.max(vcpus, cur.perVcpuNs.length)) : undefined;
  return {
    processPct,
    processPctOfVcpus: processPct / vcpus,
    ...(vcpuPct !== undefined ? { vcpuPct, vcpuPctOfVcpus: vcpuPct / vcpus } : {}),
    perVcpuPct: cur.perVcpuNs.map((ns, i) => cap(pct(prev.perVcpuNs[i], ns), 100)),
  };
}

function memoryFigures(m: NonNullable<StatsSample['memory']>): MemoryFigures {
  const out: MemoryFigures = { maxKiB: m.maxKiB };
  if (m.balloonKiB !== undefined) out.balloonKiB = m.balloonKiB;
  if (m.rssKiB !== undefined) out.rssKiB = m.rssKiB;
  if (m.guestTotalKiB !== undefined) out.guestTotalKiB = m.guestTotalKiB;
  if (m.guestAvailableKiB !== undefined) out.guestAvailableKiB = m.guestAvailableKiB;
  const unused = m.guestAvailableKiB ?? m.guestFreeKiB;
  if (m.guestTotalKiB !== undefined && unused !== undefined) out.guestUsedKiB = Math.max(0, m.guestTotalKiB - unused);
  if (m.note) out.note = m.note;
  return out;
}

/** Host CPU% between two host samples, and memory/load of the newer one. */
export function computeHostRates(prev: HostStats | undefined, cur: HostStats): HostRates {
  const out: HostRates = {
    time: cur.time,
    cpus: cur.cpus,
    memTotalKiB: cur.memTotalKiB,
    memUsedKiB: Math.max(0, cur.memTotalKiB - cur.memAvailableKiB),
    load: cur.load,
  };
  if (prev) {
    const busy = cur.cpuBusy - prev.cpuBusy;
    const total = cur.cpuTotal - prev.cpuTotal;
    // jiffies only grow; a step back (or no time) gives no figure rather than a wrong one
    if (total > 0 && busy >= 0 && busy <= total) out.cpuPct = (busy / total) * 100;
  }
  return out;
}
