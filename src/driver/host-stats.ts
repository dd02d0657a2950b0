// Host summary counters from /proc: CPU jiffies, memory, load average.
import type { HostStats } from './driver.js';
import { KvmtuiError } from './errors.js';
import { parseHostCpu, parseLoadavg, parseMeminfo, readTextIfPresent } from './proc-stat.js';

export async function sampleHostStats(opts: { procRoot?: string } = {}): Promise<HostStats> {
  const proc = opts.procRoot ?? '/proc';
  const [stat, meminfo, loadavg] = await Promise.all([
    readTextIfPresent(`${proc}/stat`),
    readTextIfPresent(`${proc}/meminfo`),
    readTextIfPresent(`${proc}/loadavg`),
  ]);
  const cpu = stat === undefined ? undefined : parseHostCpu(stat);
  const mem = meminfo === undefined ? undefined : parseMeminfo(meminfo);
  const load = loadavg === undefined ? undefined : parseLoadavg(loadavg);
  if (!cpu || !mem || !load) throw new KvmtuiError('IO_ERROR', `cannot read host statistics from ${proc}`);
  return {
    time: Date.now(),
    cpuBusy: cpu.busy,
    cpuTotal: cpu.total,
    cpus: cpu.cpus,
    memTotalKiB: mem.totalKiB,
    memAvailableKiB: mem.availableKiB,
    load,
  };
}

/** The name the local driver uses. */
export const readHostStats = sampleHostStats;
