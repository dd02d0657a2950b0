import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_CAPACITY, Series, appendRates, emptyHistory } from '../../src/store/history.js';
import type { DomainRates } from '../../src/store/rates.js';

describe('Series', () => {
  it('keeps at most `capacity` values, oldest dropped first', () => {
    let s = Series.empty(3);
    for (let i = 1; i <= 10; i++) s = s.push(i);
    expect(s.length).toBe(3);
    expect(s.toArray()).toEqual([8, 9, 10]);
    expect(s.last).toBe(10);
  });

  it('defaults to 300 values', () => {
    let s = Series.empty();
    for (let i = 0; i < 1000; i++) s = s.push(i);
    expect(DEFAULT_HISTORY_CAPACITY).toBe(300);
    expect(s.length).toBe(300);
    expect(s.toArray()[0]).toBe(700);
  });

  it('never changes an older version: push returns a new series', () => {
    const a = Series.of([1, 2, 3], 3);
    const b = a.push(4);
    const c = b.push(5);
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(b.toArray()).toEqual([2, 3, 4]);
    expect(c.toArray()).toEqual([3, 4, 5]);
    expect(b).not.toBe(a);
  });

  it('keeps both branches when two pushes start from the same version', () => {
    const base = Series.of([1, 2], 4);
    const x = base.push(10);
    const y = base.push(20);
    expect(x.toArray()).toEqual([1, 2, 10]);
    expect(y.toArray()).toEqual([1, 2, 20]);
    expect(x.push(11).toArray()).toEqual([1, 2, 10, 11]);
  });

  it('stays correct across many wrap-arounds of its backing store', () => {
    let s = Series.empty(7);
    const all: number[] = [];
    for (let i = 0; i < 200; i++) {
      s = s.push(i);
      all.push(i);
      expect(s.toArray()).toEqual(all.slice(-7));
    }
  });

  it('returns a fresh array from toArray', () => {
    const s = Series.of([1, 2, 3]);
    s.toArray()[0] = 99;
    expect(s.toArray()).toEqual([1, 2, 3]);
  });

  it('finds the max over finite values; NaN gaps do not count', () => {
    expect(Series.of([1, NaN, 5, 2]).max()).toBe(5);
    expect(Series.of([NaN, NaN]).max()).toBeUndefined();
    expect(Series.of([NaN]).hasData()).toBe(false);
    expect(Series.empty().last).toBeUndefined();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => Series.empty(0)).toThrow(RangeError);
    expect(() => Series.empty(2.5)).toThrow(RangeError);
  });
});

function rates(t: number, over: Partial<DomainRates> = {}): DomainRates {
  return {
    name: 'db',
    time: t,
    intervalMs: 1000,
    state: 'running',
    cpu: { processPct: 30, processPctOfVcpus: 15, vcpuPct: 20, vcpuPctOfVcpus: 10, perVcpuPct: [10, 10] },
    memory: { maxKiB: 1024, guestUsedKiB: 512, rssKiB: 800 },
    disks: [{ target: 'vda', rdBytesPerSec: 100, wrBytesPerSec: 200, rdOpsPerSec: 1, wrOpsPerSec: 2 }],
    nics: [{ mac: 'm1', rxBytesPerSec: 5, txBytesPerSec: 6 }],
    ...over,
  };
}

describe('appendRates', () => {
  it('appends one point per series and bumps the version', () => {
    const h0 = emptyHistory(5);
    const h1 = appendRates(h0, rates(1000));
    expect(h0.version).toBe(0);
    expect(h1.version).toBe(1);
    expect(h1.cpu.toArray()).toEqual([10]); // vCPU threads, % of the vCPUs
    expect(h1.cpuProcess.toArray()).toEqual([30]);
    expect(h1.memGuestUsed.toArray()).toEqual([512 * 1024]);
    expect(h1.memRss.toArray()).toEqual([800 * 1024]);
    expect(h1.disks.vda!.wr.toArray()).toEqual([200]);
    expect(h1.nics.m1!.rx.toArray()).toEqual([5]);
    expect(h1.time.toArray()).toEqual([1000]);
    expect(h0.cpu.length).toBe(0);
  });

  it('records a missing figure as a gap and falls back to process CPU without vCPU threads', () => {
    const h = appendRates(
      appendRates(emptyHistory(5), rates(1, { cpu: undefined })),
      rates(2, { cpu: { processPct: 40, processPctOfVcpus: 20, perVcpuPct: [] } }),
    );
    const cpu = h.cpu.toArray();
    expect(Number.isNaN(cpu[0])).toBe(true);
    expect(cpu[1]).toBe(20);
  });

  it('keeps a vanished disk as gaps until its window holds no data, then drops it', () => {
    let h = appendRates(emptyHistory(3), rates(0));
    h = appendRates(h, rates(1, { disks: [] }));
    expect(h.disks.vda!.wr.toArray()).toEqual([200, NaN]);
    h = appendRates(h, rates(2, { disks: [] }));
    expect(Object.keys(h.disks)).toEqual(['vda']);
    h = appendRates(h, rates(3, { disks: [] }));
    expect(h.disks.vda).toBeUndefined();
  });

  it('bounds every series by the capacity', () => {
    let h = emptyHistory(4);
    for (let i = 0; i < 50; i++) h = appendRates(h, rates(i));
    for (const s of [h.time, h.cpu, h.memRss, h.disks.vda!.rd, h.nics.m1!.tx]) expect(s.length).toBe(4);
    expect(h.time.toArray()).toEqual([46, 47, 48, 49]);
  });
});
