// Host counters of a remote libvirt host: `virsh nodecpustats`, `nodememstats`, `nodeinfo`.
// CPU counters are nanoseconds, not jiffies: only their ratio matters (busy / total). libvirt has
// no load average; it is reported as NaN so nothing mistakes it for an idle host.
import type { HostStats } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { parseKeyValueLines } from './domstats.js';

function num(m: Map<string, string>, key: string): number | undefined {
  const v = m.get(key);
  if (v === undefined) return undefined;
  const n = Number(v.replace(/\s*KiB$/i, '').trim());
  return Number.isFinite(n) ? n : undefined;
}

export function parseNodeCpuStats(text: string): { busy: number; total: number } {
  const m = parseKeyValueLines(text);
  const user = num(m, 'user');
  const system = num(m, 'system');
  const idle = num(m, 'idle');
  const iowait = num(m, 'iowait') ?? 0;
  if (user === undefined || system === undefined || idle === undefined) {
    throw new KvmtuiError('EXEC_FAILED', 'virsh nodecpustats: no user/system/idle counters in its output');
  }
  return { busy: user + system, total: user + system + idle + iowait };
}

export function parseNodeMemStats(text: string): { totalKiB: number; availableKiB: number } {
  const m = parseKeyValueLines(text);
  const total = num(m, 'total');
  const free = num(m, 'free');
  if (total === undefined || free === undefined) throw new KvmtuiError('EXEC_FAILED', 'virsh nodememstats: no total/free in its output');
  // the kernel's MemAvailable is not offered; free + buffers + cache is the usual stand-in
  return { totalKiB: total, availableKiB: Math.min(total, free + (num(m, 'buffers') ?? 0) + (num(m, 'cached') ?? 0)) };
}

export function parseNodeInfoCpus(text: string): number | undefined {
  return num(parseKeyValueLines(text), 'CPU(s)');
}

export function toHostStats(cpu: { busy: number; total: number }, mem: { totalKiB: number; availableKiB: number }, cpus: number, time = Date.now()): HostStats {
  return {
    time,
    cpuBusy: cpu.busy,
    cpuTotal: cpu.total,
    cpus,
    memTotalKiB: mem.totalKiB,
    memAvailableKiB: mem.availableKiB,
    load: [NaN, NaN, NaN],
  };
}
