import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleHostStats } from '../../src/driver/host-stats.js';
import {
  clockTicksPerSecond,
  parseHostCpu,
  parseLoadavg,
  parseMeminfo,
  parseStatCpuTicks,
  parseVmRssKiB,
} from '../../src/driver/proc-stat.js';

describe('/proc parsers', () => {
  it('reads utime+stime even when the command name holds spaces and parentheses', () => {
    // fields after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const line = '4242 (qemu (x) y) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 3 0 100 0';
    expect(parseStatCpuTicks(line)).toBe(1234 + 567);
  });

  it('gives undefined for a truncated stat line', () => {
    expect(parseStatCpuTicks('4242 (qemu) S 1 2')).toBeUndefined();
    expect(parseStatCpuTicks('garbage')).toBeUndefined();
  });

  it('reads VmRSS in KiB', () => {
    expect(parseVmRssKiB('Name:\tqemu\nVmPeak:\t  9000 kB\nVmRSS:\t   51234 kB\n')).toBe(51234);
    expect(parseVmRssKiB('Name:\tkthreadd\n')).toBeUndefined();
  });

  it('splits host CPU time into busy and total, idle and iowait not busy', () => {
    const stat = 'cpu  100 5 50 800 40 3 2 0 30 0\ncpu0 50 2 25 400 20 1 1 0 15 0\ncpu1 50 3 25 400 20 2 1 0 15 0\nintr 1\n';
    const c = parseHostCpu(stat)!;
    expect(c.total).toBe(100 + 5 + 50 + 800 + 40 + 3 + 2 + 0); // guest is inside user already
    expect(c.busy).toBe(c.total - 800 - 40);
    expect(c.cpus).toBe(2);
  });

  it('reads meminfo and loadavg', () => {
    expect(parseMeminfo('MemTotal:  2000 kB\nMemFree: 300 kB\nMemAvailable: 900 kB\n')).toEqual({ totalKiB: 2000, availableKiB: 900 });
    expect(parseMeminfo('MemTotal:  2000 kB\nMemFree: 300 kB\n')).toEqual({ totalKiB: 2000, availableKiB: 300 });
    expect(parseLoadavg('0.52 1.10 2.00 3/400 12345\n')).toEqual([0.52, 1.1, 2]);
    expect(parseLoadavg('x y z')).toBeUndefined();
  });

  it('asks getconf for the clock tick rate', async () => {
    const hz = await clockTicksPerSecond();
    expect(Number.isInteger(hz) && hz > 0).toBe(true);
  });
});

describe('sampleHostStats', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads a proc tree', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-proc-'));
    await writeFile(join(dir, 'stat'), 'cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\n');
    await writeFile(join(dir, 'meminfo'), 'MemTotal: 4096 kB\nMemAvailable: 1024 kB\n');
    await writeFile(join(dir, 'loadavg'), '1.00 0.50 0.25 1/100 99\n');
    const h = await sampleHostStats({ procRoot: dir });
    expect(h).toMatchObject({ cpuBusy: 20, cpuTotal: 100, cpus: 1, memTotalKiB: 4096, memAvailableKiB: 1024, load: [1, 0.5, 0.25] });
  });

  it('fails with one clear IO_ERROR line when the files are missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-proc-'));
    await expect(sampleHostStats({ procRoot: dir })).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('reads this host', async () => {
    const h = await sampleHostStats();
    expect(h.cpus).toBeGreaterThan(0);
    expect(h.cpuTotal).toBeGreaterThan(h.cpuBusy);
    expect(h.memTotalKiB).toBeGreaterThan(h.memAvailableKiB);
  });
});
