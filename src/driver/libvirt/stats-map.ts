// One domain's `virsh domstats --raw` fields -> a StatsSample (the same raw cumulative counters
// the local driver reports; the store turns two samples into rates).
import type { DiskStats, NicStats, StatsSample } from '../driver.js';
import { GUEST_NOT_REPORTED_NOTE, NO_BALLOON_NOTE, USER_NET_NOTE } from '../qemu/stats.js';
import { numField } from './domstats.js';
import { mapLibvirtState } from './states.js';

/** A NIC of the running domain, from its live XML: the MAC names it, the tap carries counters. */
export interface LiveNic {
  mac: string;
  type: string;
  /** host-side device (tap, macvtap) when there is one */
  targetDev?: string;
}

const GUEST_STATS_UNSET = 2 ** 64 - 1;

function guestValue(fields: Map<string, string>, key: string): number | undefined {
  const v = numField(fields, key);
  return v === undefined || v >= GUEST_STATS_UNSET ? undefined : v;
}

function indexed(fields: Map<string, string>, prefix: string): number {
  return numField(fields, `${prefix}.count`) ?? 0;
}

/** What the live XML says about the running domain, for the parts domstats cannot name. */
export interface LiveDevices {
  nics: LiveNic[];
  /** a memballoon other than model='none' */
  balloon: boolean;
}

export function toStatsSample(name: string, fields: Map<string, string>, live: LiveDevices, time = Date.now()): StatsSample {
  const st = mapLibvirtState(numField(fields, 'state.state') ?? 0, numField(fields, 'state.reason') ?? 0);
  const sample: StatsSample = { name, time, state: st.state, disks: [], nics: [] };
  const active = st.state !== 'shutoff';

  // cpu: cpu.time is the whole emulator; vcpu.N.time each vCPU thread
  const cpuTime = numField(fields, 'cpu.time');
  const vcpus = numField(fields, 'vcpu.current') ?? numField(fields, 'vcpu.maximum') ?? 0;
  if (active && cpuTime !== undefined) {
    const perVcpuNs: number[] = [];
    const max = numField(fields, 'vcpu.maximum') ?? vcpus;
    for (let i = 0; i < max; i++) {
      const t = numField(fields, `vcpu.${i}.time`);
      if (t !== undefined) perVcpuNs[i] = t;
    }
    for (let i = 0; i < perVcpuNs.length; i++) perVcpuNs[i] ??= 0;
    sample.cpu = { processNs: cpuTime, vcpuNs: perVcpuNs.reduce((a, b) => a + b, 0), perVcpuNs, vcpus };
  }

  const maxKiB = numField(fields, 'balloon.maximum');
  if (maxKiB !== undefined) {
    const m: NonNullable<StatsSample['memory']> = { maxKiB };
    const actual = numField(fields, 'balloon.current');
    // libvirt reports balloon.current (= currentMemory) even without a balloon device
    if (actual !== undefined && live.balloon) m.balloonKiB = actual;
    const rss = numField(fields, 'balloon.rss');
    if (rss !== undefined) m.rssKiB = rss;
    // libvirt's names: available = what the guest sees as total, unused = free, usable = available
    m.guestTotalKiB = guestValue(fields, 'balloon.available');
    m.guestFreeKiB = guestValue(fields, 'balloon.unused');
    m.guestAvailableKiB = guestValue(fields, 'balloon.usable');
    for (const k of ['guestTotalKiB', 'guestFreeKiB', 'guestAvailableKiB'] as const) if (m[k] === undefined) delete m[k];
    if (active && !live.balloon) m.note = NO_BALLOON_NOTE;
    else if (active && m.guestTotalKiB === undefined) {
      m.note = (numField(fields, 'balloon.last-update') ?? 0) > 0 ? 'the guest reports no memory figures' : GUEST_NOT_REPORTED_NOTE;
    }
    sample.memory = m;
  }

  for (let i = 0; i < indexed(fields, 'block'); i++) {
    const target = fields.get(`block.${i}.name`);
    if (!target) continue;
    // with --backing, backing images repeat the target with a backingIndex: count the top only
    if (sample.disks.some((d) => d.target === target)) continue;
    const disk: DiskStats = {
      target,
      rdBytes: numField(fields, `block.${i}.rd.bytes`) ?? 0,
      wrBytes: numField(fields, `block.${i}.wr.bytes`) ?? 0,
      rdOps: numField(fields, `block.${i}.rd.reqs`) ?? 0,
      wrOps: numField(fields, `block.${i}.wr.reqs`) ?? 0,
    };
    sample.disks.push(disk);
  }

  // net.N.name is the host device; NICs without one (user networking) have no counters at all
  const byDev = new Map<string, number>();
  for (let i = 0; i < indexed(fields, 'net'); i++) {
    const dev = fields.get(`net.${i}.name`);
    if (dev) byDev.set(dev, i);
  }
  if (active) {
    for (const nic of live.nics) {
      const s: NicStats = { mac: nic.mac };
      if (nic.targetDev) s.hostDev = nic.targetDev;
      const i = nic.targetDev !== undefined ? byDev.get(nic.targetDev) : undefined;
      if (i !== undefined) {
        s.rxBytes = numField(fields, `net.${i}.rx.bytes`);
        s.txBytes = numField(fields, `net.${i}.tx.bytes`);
        s.rxPackets = numField(fields, `net.${i}.rx.pkts`);
        s.txPackets = numField(fields, `net.${i}.tx.pkts`);
      } else {
        s.note = nic.type === 'user' ? USER_NET_NOTE : 'libvirt reports no counters for this interface';
      }
      sample.nics.push(s);
    }
  }

  // hypervisor counters (`--vm`: KVM's query-stats under libvirt), only when present
  const kvm: Record<string, number> = {};
  for (const [k, v] of fields) {
    if (!k.startsWith('vm.')) continue;
    const n = Number(v);
    if (Number.isFinite(n)) kvm[k.slice(3)] = n;
  }
  if (Object.keys(kvm).length) sample.kvm = kvm;
  return sample;
}
