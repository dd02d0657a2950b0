// Bounded history of numbers per series, for charts.
//
// A Series is immutable from the outside: push() returns a new Series and leaves the old one
// valid and unchanged, so a zustand store holds series in its state and replaces them
// (`set({ history: appendRates(history, rates) })`); React sees a new reference exactly when
// data was added. Under the hood the values sit in an append-only array of twice the
// capacity shared between successive versions: push is O(1) amortized (one copy of the
// window every `capacity` pushes), and a push onto an older version (a branch) copies
// instead of overwriting what another version still shows.
import type { DomainRates } from './rates.js';

export const DEFAULT_HISTORY_CAPACITY = 300;

interface Backing {
  data: number[];
  /** how many slots of `data` are written; only the version ending there may append in place */
  filled: number;
}

export class Series {
  readonly capacity: number;
  private readonly backing: Backing;
  private readonly start: number;
  private readonly end: number;

  private constructor(capacity: number, backing: Backing, start: number, end: number) {
    this.capacity = capacity;
    this.backing = backing;
    this.start = start;
    this.end = end;
  }

  static empty(capacity: number = DEFAULT_HISTORY_CAPACITY): Series {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, not ${capacity}`);
    return new Series(capacity, { data: new Array<number>(capacity * 2), filled: 0 }, 0, 0);
  }

  static of(values: readonly number[], capacity: number = DEFAULT_HISTORY_CAPACITY): Series {
    let s = Series.empty(capacity);
    for (const v of values) s = s.push(v);
    return s;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The newest value; undefined when empty. */
  get last(): number | undefined {
    return this.length > 0 ? this.backing.data[this.end - 1] : undefined;
  }

  /** A new Series with `value` appended and, past capacity, the oldest value dropped. */
  push(value: number): Series {
    const b = this.backing;
    if (this.end === b.filled && this.end < b.data.length) {
      b.data[this.end] = value;
      b.filled++;
      return new Series(this.capacity, b, Math.max(this.start, this.end + 1 - this.capacity), this.end + 1);
    }
    // full backing, or another version already appended here: start a fresh backing
    const keep = this.toArray().slice(-(this.capacity - 1));
    const data = new Array<number>(this.capacity * 2);
    keep.forEach((v, i) => (data[i] = v));
    data[keep.length] = value;
    return new Series(this.capacity, { data, filled: keep.length + 1 }, 0, keep.length + 1);
  }

  /** Oldest first. A fresh array: callers may keep or change it. */
  toArray(): number[] {
    return this.backing.data.slice(this.start, this.end);
  }

  /** Largest finite value; undefined when there is none. */
  max(): number | undefined {
    let m: number | undefined;
    for (let i = this.start; i < this.end; i++) {
      const v = this.backing.data[i]!;
      if (Number.isFinite(v) && (m === undefined || v > m)) m = v;
    }
    return m;
  }

  /** True when at least one value is finite (a gap is stored as NaN). */
  hasData(): boolean {
    return this.max() !== undefined;
  }
}

export interface DiskHistory {
  rd: Series;
  wr: Series;
  rdOps: Series;
  wrOps: Series;
}

export interface NicHistory {
  rx: Series;
  tx: Series;
}

/**
 * Everything the graphs view charts for one domain. Every push appends to every series,
 * a missing figure as NaN (a gap), so series of one domain stay aligned in time.
 */
export interface DomainHistory {
  readonly capacity: number;
  /** pushes so far: a cheap version number for memoising */
  readonly version: number;
  /** sample times, ms since epoch */
  readonly time: Series;
  /** vCPU threads, % of the domain's vCPUs (0..100); the whole process when threads are unknown */
  readonly cpu: Series;
  /** whole emulator process, % of one host CPU */
  readonly cpuProcess: Series;
  /** guest used memory (total - available), bytes */
  readonly memGuestUsed: Series;
  /** emulator RSS on the host, bytes */
  readonly memRss: Series;
  /** per disk target, bytes/s and ops/s */
  readonly disks: Readonly<Record<string, DiskHistory>>;
  /** per NIC MAC, bytes/s as the guest sees them */
  readonly nics: Readonly<Record<string, NicHistory>>;
}

export function emptyHistory(capacity: number = DEFAULT_HISTORY_CAPACITY): DomainHistory {
  const e = Series.empty(capacity);
  return { capacity, version: 0, time: e, cpu: e, cpuProcess: e, memGuestUsed: e, memRss: e, disks: {}, nics: {} };
}

const orNaN = (n: number | undefined) => (n === undefined ? NaN : n);
const kib = (n: number | undefined) => (n === undefined ? NaN : n * 1024);

/** A new history with one more point per series taken from `r`. */
export function appendRates(h: DomainHistory, r: DomainRates): DomainHistory {
  const empty = Series.empty(h.capacity);
  // a device seen before but absent now gets a gap; once its window holds only gaps it goes
  const disks: Record<string, DiskHistory> = {};
  const seenDisks = new Map(r.disks.map((d) => [d.target, d]));
  for (const target of new Set([...Object.keys(h.disks), ...seenDisks.keys()])) {
    const old = h.disks[target] ?? { rd: empty, wr: empty, rdOps: empty, wrOps: empty };
    const d = seenDisks.get(target);
    const next: DiskHistory = {
      rd: old.rd.push(orNaN(d?.rdBytesPerSec)),
      wr: old.wr.push(orNaN(d?.wrBytesPerSec)),
      rdOps: old.rdOps.push(orNaN(d?.rdOpsPerSec)),
      wrOps: old.wrOps.push(orNaN(d?.wrOpsPerSec)),
    };
    if (d || next.rd.hasData() || next.wr.hasData()) disks[target] = next;
  }
  const nics: Record<string, NicHistory> = {};
  const seenNics = new Map(r.nics.map((n) => [n.mac, n]));
  for (const mac of new Set([...Object.keys(h.nics), ...seenNics.keys()])) {
    const old = h.nics[mac] ?? { rx: empty, tx: empty };
    const n = seenNics.get(mac);
    const next: NicHistory = { rx: old.rx.push(orNaN(n?.rxBytesPerSec)), tx: old.tx.push(orNaN(n?.txBytesPerSec)) };
    if (n || next.rx.hasData() || next.tx.hasData()) nics[mac] = next;
  }
  return {
    capacity: h.capacity,
    version: h.version + 1,
    time: h.time.push(r.time),
    cpu: h.cpu.push(orNaN(r.cpu?.vcpuPctOfVcpus ?? r.cpu?.processPctOfVcpus)),
    cpuProcess: h.cpuProcess.push(orNaN(r.cpu?.processPct)),
    memGuestUsed: h.memGuestUsed.push(kib(r.memory?.guestUsedKiB)),
    memRss: h.memRss.push(kib(r.memory?.rssKiB)),
    disks,
    nics,
  };
}
