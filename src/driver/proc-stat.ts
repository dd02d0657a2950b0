// Readers and parsers for the /proc and /sys files the stats sampler needs.
// Parsers are pure (text in, numbers out) so tests can feed them fixed text.
import { readFile } from 'node:fs/promises';
import { run } from './exec.js';

/**
 * utime + stime, in clock ticks, from a /proc/PID/stat or /proc/PID/task/TID/stat line.
 * The command name (field 2) sits in parentheses and may itself contain spaces or ')',
 * so fields are counted from the last ')'.
 */
export function parseStatCpuTicks(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // after ')': state is field 3, so utime (field 14) is index 11 and stime (field 15) index 12
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return utime + stime;
}

/** VmRSS from /proc/PID/status, KiB. */
export function parseVmRssKiB(text: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface HostCpuTicks {
  /** jiffies spent not idle (user, nice, system, irq, softirq, steal) */
  busy: number;
  /** all jiffies (guest time is already inside user/nice, so not added twice) */
  total: number;
  /** number of cpuN lines */
  cpus: number;
}

/** The aggregate "cpu" line and the cpuN count of /proc/stat. */
export function parseHostCpu(text: string): HostCpuTicks | undefined {
  let agg: number[] | undefined;
  let cpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) agg = line.slice(4).trim().split(/\s+/).map(Number);
    else if (/^cpu\d+\s/.test(line)) cpus++;
  }
  if (!agg || agg.length < 4 || agg.some((n) => !Number.isFinite(n))) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice]
  const fields = agg.slice(0, 8);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total, cpus: Math.max(cpus, 1) };
}

/** MemTotal and MemAvailable from /proc/meminfo, KiB. */
export function parseMeminfo(text: string): { totalKiB: number; availableKiB: number } | undefined {
  const total = /^MemTotal:\s+(\d+)/m.exec(text);
  const avail = /^MemAvailable:\s+(\d+)/m.exec(text);
  if (!total) return undefined;
  // kernels before 3.14 have no MemAvailable: fall back to MemFree
  const free = avail ?? /^MemFree:\s+(\d+)/m.exec(text);
  return { totalKiB: Number(total[1]), availableKiB: free ? Number(free[1]) : 0 };
}

/** The three load averages of /proc/loadavg. */
export function parseLoadavg(text: string): [number, number, number] | undefined {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((n) => Number.isFinite(n))) return undefined;
  return [a!, b!, c!];
}

/**
 * Read a small text file; undefined when it is gone (process exited, tap removed).
 * Other errors (permissions) also yield undefined: stats are best effort, never fatal.
 */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A number from a one-value file such as /sys/class/net/TAP/statistics/rx_bytes. */
export async function readNumberIfPresent(path: string): Promise<number | undefined> {
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

let clockTicks: Promise<number> | undefined;

/** Clock ticks per second (USER_HZ), asked of getconf once; 100 when getconf is missing. */
export function clockTicksPerSecond(): Promise<number> {
  clockTicks ??= run('getconf', ['CLK_TCK'], { timeoutMs: 5000 })
    .then((r) => {
      const n = Number(r.stdout.trim());
      return Number.isInteger(n) && n > 0 ? n : 100;
    })
    .catch(() => 100);
  return clockTicks;
}
