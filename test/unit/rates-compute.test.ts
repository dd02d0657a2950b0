import { describe, expect, it } from 'vitest';
import type { HostStats, StatsSample } from '../../src/driver/driver.js';
import { computeHostRates, computeRates, counterRate, type DomainRates } from '../../src/store/rates.js';

const SEC = 1e9;

function sample(t: number, over: Partial<StatsSample> = {}): StatsSample {
  return {
    name: 'db',
    time: t,
    state: 'running',
    cpu: { processNs: 0, vcpuNs: 0, perVcpuNs: [0, 0], vcpus: 2 },
    memory: { maxKiB: 1048576, balloonKiB: 1048576, rssKiB: 300000 },
    disks: [{ target: 'vda', rdBytes: 0, wrBytes: 0, rdOps: 0, wrOps: 0 }],
    nics: [{ mac: 'm1', hostDev: 'tap0', rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 }],
    ...over,
  };
}

/** every numeric rate in a result, to check none is negative, NaN or infinite */
function allNumbers(r: DomainRates): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk({ cpu: r.cpu, disks: r.disks, nics: r.nics, kvm: r.kvm });
  return out;
}

describe('counterRate', () => {
  it('divides the delta by the interval', () => {
    expect(counterRate(100, 600, 2)).toBe(250);
  });
  it('treats a counter that went back as reset: the new value is the delta', () => {
    expect(counterRate(1_000_000, 3000, 1)).toBe(3000);
    expect(counterRate(1_000_000, 0, 1)).toBe(0);
  });
  it('gives no figure for a missing value or an interval that is not positive', () => {
    expect(counterRate(undefined, 5, 1)).toBeUndefined();
    expect(counterRate(5, undefined, 1)).toBeUndefined();
    expect(counterRate(1, 5, 0)).toBeUndefined();
    expect(counterRate(1, 5, -1)).toBeUndefined();
    expect(counterRate(NaN, 5, 1)).toBeUndefined();
    expect(counterRate(1, Infinity, 1)).toBeUndefined();
  });
});

describe('computeRates', () => {
  it('turns CPU ns into % of one host CPU and % of the vCPUs', () => {
    const a = sample(10_000);
    const b = sample(12_000, { cpu: { processNs: 3 * SEC, vcpuNs: 2 * SEC, perVcpuNs: [1.5 * SEC, 0.5 * SEC], vcpus: 2 } });
    const r = computeRates(a, b);
    expect(r.intervalMs).toBe(2000);
    expect(r.cpu!.processPct).toBeCloseTo(150); // 3 s of CPU in 2 s
    expect(r.cpu!.processPctOfVcpus).toBeCloseTo(75);
    expect(r.cpu!.vcpuPct).toBeCloseTo(100);
    expect(r.cpu!.vcpuPctOfVcpus).toBeCloseTo(50);
    expect(r.cpu!.perVcpuPct[0]).toBeCloseTo(75);
    expect(r.cpu!.perVcpuPct[1]).toBeCloseTo(25);
  });

  it('turns disk and NIC counters into per-second rates', () => {
    const a = sample(0);
    const b = sample(500, {
      disks: [{ target: 'vda', rdBytes: 1024, wrBytes: 4096, rdOps: 2, wrOps: 8 }],
      nics: [{ mac: 'm1', hostDev: 'tap0', rxBytes: 100, txBytes: 50, rxPackets: 2, txPackets: 1 }],
    });
    const r = computeRates(a, b);
    expect(r.disks).toEqual([{ target: 'vda', rdBytesPerSec: 2048, wrBytesPerSec: 8192, rdOpsPerSec: 4, wrOpsPerSec: 16 }]);
    expect(r.nics[0]).toMatchObject({ mac: 'm1', hostDev: 'tap0', rxBytesPerSec: 200, txBytesPerSec: 100, rxPacketsPerSec: 4, txPacketsPerSec: 2 });
  });

  it('gives no negative rate when counters go back to zero (guest reboot, disk re-plugged)', () => {
    const a = sample(0, {
      cpu: { processNs: 50 * SEC, vcpuNs: 40 * SEC, perVcpuNs: [20 * SEC, 20 * SEC], vcpus: 2 },
      disks: [{ target: 'vda', rdBytes: 9e9, wrBytes: 9e9, rdOps: 1e6, wrOps: 1e6 }],
      nics: [{ mac: 'm1', rxBytes: 9e9, txBytes: 9e9 }],
      kvm: { exits: 1e9 },
    });
    const b = sample(1000, {
      cpu: { processNs: 0.2 * SEC, vcpuNs: 0.1 * SEC, perVcpuNs: [0.1 * SEC, 0], vcpus: 2 },
      disks: [{ target: 'vda', rdBytes: 0, wrBytes: 512, rdOps: 0, wrOps: 1 }],
      nics: [{ mac: 'm1', rxBytes: 0, txBytes: 60 }],
      kvm: { exits: 10 },
    });
    const r = computeRates(a, b);
    expect(allNumbers(r).every((n) => Number.isFinite(n) && n >= 0)).toBe(true);
    expect(r.disks[0]).toMatchObject({ rdBytesPerSec: 0, wrBytesPerSec: 512 });
    expect(r.nics[0]).toMatchObject({ rxBytesPerSec: 0, txBytesPerSec: 60 });
    expect(r.cpu!.processPct).toBeCloseTo(20);
    expect(r.kvm).toEqual({ exits: 10 });
  });

  it('gives no rates when the domain stopped between samples, but no bogus ones either', () => {
    const a = sample(0, { cpu: { processNs: 5 * SEC, vcpuNs: 4 * SEC, perVcpuNs: [2 * SEC, 2 * SEC], vcpus: 2 } });
    const stopped: StatsSample = { name: 'db', time: 1000, state: 'shutoff', disks: [], nics: [] };
    const r = computeRates(a, stopped);
    expect(r.state).toBe('shutoff');
    expect(r.cpu).toBeUndefined();
    expect(r.disks).toEqual([]);
    expect(r.nics).toEqual([]);
    expect(r.memory).toBeUndefined();
    // and back up: the first sample after a start has nothing to compare with
    const again = computeRates(stopped, sample(2000, { cpu: { processNs: 1 * SEC, vcpuNs: 0, perVcpuNs: [0, 0], vcpus: 2 } }));
    expect(again.cpu).toBeUndefined();
    expect(again.disks).toEqual([{ target: 'vda' }]);
  });

  it('caps vCPU thread figures at 100% per vCPU (tick jitter), but not the whole process', () => {
    const r = computeRates(
      sample(0),
      sample(1000, { cpu: { processNs: 2.3 * SEC, vcpuNs: 2.1 * SEC, perVcpuNs: [1.05 * SEC, 1.05 * SEC], vcpus: 2 } }),
    );
    expect(r.cpu!.perVcpuPct).toEqual([100, 100]);
    expect(r.cpu!.vcpuPct).toBe(200);
    expect(r.cpu!.vcpuPctOfVcpus).toBe(100);
    expect(r.cpu!.processPct).toBeCloseTo(230);
  });

  it('is safe with a zero or negative interval (clock step, same timestamp)', () => {
    for (const dt of [0, -500]) {
      const r = computeRates(sample(1000), sample(1000 + dt, { cpu: { processNs: SEC, vcpuNs: SEC, perVcpuNs: [SEC, 0], vcpus: 2 } }));
      expect(r.cpu).toBeUndefined();
      expect(r.disks[0]!.rdBytesPerSec).toBeUndefined();
      expect(allNumbers(r).every((n) => Number.isFinite(n))).toBe(true);
    }
  });

  it('has no rates without an earlier sample, and keeps memory levels and notes', () => {
    const r = computeRates(
      undefined,
      sample(1, {
        memory: { maxKiB: 1000, balloonKiB: 800, guestTotalKiB: 700, guestFreeKiB: 100, guestAvailableKiB: 300, rssKiB: 900 },
        nics: [{ mac: 'u', note: 'user networking: the host has no counters' }],
      }),
    );
    expect(r.intervalMs).toBe(0);
    expect(r.cpu).toBeUndefined();
    expect(r.memory).toEqual({ maxKiB: 1000, balloonKiB: 800, guestTotalKiB: 700, guestAvailableKiB: 300, guestUsedKiB: 400, rssKiB: 900 });
    expect(r.nics).toEqual([{ mac: 'u', note: 'user networking: the host has no counters' }]);
  });

  it('uses free memory for "used" when the guest sends no available figure', () => {
    const r = computeRates(undefined, sample(1, { memory: { maxKiB: 1000, guestTotalKiB: 700, guestFreeKiB: 100 } }));
    expect(r.memory!.guestUsedKiB).toBe(600);
  });

  it('has no rate for a disk or NIC that was not there in the earlier sample', () => {
    const a = sample(0, { disks: [], nics: [] });
    const b = sample(1000, {
      disks: [{ target: 'vdb', rdBytes: 10, wrBytes: 10, rdOps: 1, wrOps: 1 }],
      nics: [{ mac: 'new', rxBytes: 5, txBytes: 5 }],
    });
    const r = computeRates(a, b);
    expect(r.disks).toEqual([{ target: 'vdb', rdBytesPerSec: undefined, wrBytesPerSec: undefined, rdOpsPerSec: undefined, wrOpsPerSec: undefined }]);
    expect(r.nics[0]!.rxBytesPerSec).toBeUndefined();
  });

  it('leaves vCPU figures out when a sample could not read the vCPU threads', () => {
    const a = sample(0);
    const b = sample(1000, { cpu: { processNs: SEC / 2, vcpuNs: 0, perVcpuNs: [], vcpus: 2 } });
    const r = computeRates(a, b);
    expect(r.cpu!.processPct).toBeCloseTo(50);
    expect(r.cpu!.vcpuPct).toBeUndefined();
    expect(r.cpu!.vcpuPctOfVcpus).toBeUndefined();
  });

  it('keeps rates over a pause (paused domains still have counters)', () => {
    const r = computeRates(sample(0), sample(1000, { state: 'paused' }));
    expect(r.cpu!.processPct).toBe(0);
  });
});

describe('computeHostRates', () => {
  const host = (t: number, busy: number, total: number): HostStats => ({
    time: t,
    cpuBusy: busy,
    cpuTotal: total,
    cpus: 2,
    memTotalKiB: 8000,
    memAvailableKiB: 3000,
    load: [0.5, 0.4, 0.3],
  });

  it('gives host CPU% from jiffies and memory used from available', () => {
    const r = computeHostRates(host(0, 100, 1000), host(1000, 150, 1200));
    expect(r.cpuPct).toBeCloseTo(25);
    expect(r.memUsedKiB).toBe(5000);
    expect(r.load).toEqual([0.5, 0.4, 0.3]);
  });

  it('gives no CPU figure without an earlier sample or when jiffies went back or stood still', () => {
    expect(computeHostRates(undefined, host(0, 1, 2)).cpuPct).toBeUndefined();
    expect(computeHostRates(host(0, 100, 1000), host(1, 50, 900)).cpuPct).toBeUndefined();
    expect(computeHostRates(host(0, 100, 1000), host(1, 100, 1000)).cpuPct).toBeUndefined();
  });
});
