// One stats sample of a running QEMU domain: QMP for what only QEMU knows (vCPU threads,
// balloon, block counters, KVM counters), /proc and /sys for what the host kernel counts
// (thread CPU time, RSS, tap traffic). Every request of a cycle is issued at once, so one
// cycle costs about one QMP round trip plus a few small file reads.
import type { DiskStats, DomainState, NicStats, StatsSample } from '../driver.js';
import { QmpError } from '../errors.js';
import {
  clockTicksPerSecond,
  parseStatCpuTicks,
  parseVmRssKiB,
  readNumberIfPresent,
  readTextIfPresent,
} from '../proc-stat.js';
import type { QmpClient } from './qmp-types.js';

export interface StatsDiskRef {
  /** guest target name, e.g. vda */
  target: string;
  /** block node name of the disk's top node, when the command line names it */
  nodeName?: string;
  /** the -device id of the disk, when the command line names it */
  qdevId?: string;
}

export interface StatsNicRef {
  mac: string;
  /** host-side tap name, when there is one */
  hostDev?: string;
  /** libvirt interface type: user, bridge, network, ethernet... */
  type: string;
}

export interface StatsContext {
  name: string;
  /** emulator pid; without it there are no CPU or RSS figures */
  pid?: number;
  vcpus: number;
  /** the domain's <memory>, KiB */
  memoryKiB: number;
  disks: StatsDiskRef[];
  nics: StatsNicRef[];
  state: DomainState;
}

export interface SamplerOptions {
  /** default /proc; tests point it elsewhere */
  procRoot?: string;
  /** default /sys */
  sysRoot?: string;
  /** guest-stats-polling-interval set on the balloon, seconds; default 2 */
  balloonPollSeconds?: number;
  /** per QMP request; default 2000 ms, so one hung domain cannot hold a cycle for long */
  timeoutMs?: number;
}

export const USER_NET_NOTE = 'user networking: the host has no counters';
export const NO_BALLOON_NOTE = 'no balloon';
export const GUEST_NOT_REPORTED_NOTE = 'guest has not reported yet';

/** What is learnt once per domain (per monitor connection) and reused every cycle. */
interface DomainProbe {
  /** QOM path of the balloon device; null when none was found */
  balloonPath?: Promise<string | null>;
  /** false once QEMU showed it has no KVM counters (TCG, or no query-stats) */
  kvmStats: boolean;
}

const probes = new WeakMap<QmpClient, DomainProbe>();

function probeOf(qmp: QmpClient): DomainProbe {
  let p = probes.get(qmp);
  if (!p) {
    p = { kvmStats: true };
    probes.set(qmp, p);
  }
  return p;
}

/**
 * A command QEMU refused (unknown command, no such device) yields undefined; a closed or
 * timed-out monitor still rejects, so the caller sees that the domain is unreachable.
 */
async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof QmpError) return undefined;
    throw e;
  }
}

export async function sampleDomainStats(
  qmp: QmpClient,
  ctx: StatsContext,
  opts: SamplerOptions = {},
): Promise<StatsSample> {
  const time = Date.now();
  const base: StatsSample = { name: ctx.name, time, state: ctx.state, disks: [], nics: [] };
  if (ctx.state !== 'running' && ctx.state !== 'paused') return base;

  const proc = opts.procRoot ?? '/proc';
  const sys = opts.sysRoot ?? '/sys';
  const exec = <T>(cmd: string, args?: Record<string, unknown>) =>
    qmp.execute<T>(cmd, args, { timeoutMs: opts.timeoutMs ?? 2000 });
  const probe = probeOf(qmp);

  const [cpu, memory, disks, nics, kvm] = await Promise.all([
    sampleCpu(exec, ctx, proc),
    sampleMemory(exec, ctx, proc, probe, opts.balloonPollSeconds ?? 2),
    sampleDisks(exec, ctx),
    sampleNics(ctx, sys),
    probe.kvmStats ? sampleKvm(exec, probe) : Promise.resolve(undefined),
  ]);
  return { ...base, cpu, memory, disks, nics, ...(kvm ? { kvm } : {}) };
}

type Exec = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;

interface CpuInfoFast {
  'cpu-index': number;
  'thread-id': number;
}

async function sampleCpu(exec: Exec, ctx: StatsContext, proc: string): Promise<StatsSample['cpu']> {
  if (ctx.pid === undefined) return undefined;
  const pid = ctx.pid;
  const [cpus, processStat, hz] = await Promise.all([
    optional(exec<CpuInfoFast[]>('query-cpus-fast')),
    readTextIfPresent(`${proc}/${pid}/stat`),
    clockTicksPerSecond(),
  ]);
  const processTicks = processStat === undefined ? undefined : parseStatCpuTicks(processStat);
  if (processTicks === undefined) return undefined; // the emulator is gone
  const nsPerTick = 1e9 / hz;
  const sorted = [...(cpus ?? [])].sort((a, b) => a['cpu-index'] - b['cpu-index']);
  const threadTicks = await Promise.all(
    sorted.map(async (c) => {
      const text = await readTextIfPresent(`${proc}/${pid}/task/${c['thread-id']}/stat`);
      return text === undefined ? undefined : parseStatCpuTicks(text);
    }),
  );
  // a vCPU thread that vanished mid-read means the process is going away: no partial sums
  const perVcpuNs = threadTicks.every((t) => t !== undefined) ? threadTicks.map((t) => t! * nsPerTick) : [];
  return {
    processNs: processTicks * nsPerTick,
    vcpuNs: perVcpuNs.reduce((a, b) => a + b, 0),
    perVcpuNs,
    vcpus: sorted.length || ctx.vcpus,
  };
}

interface GuestStats {
  stats?: Record<string, number>;
  'last-update'?: number;
}

/** virtio-balloon reports 2^64-1 for a value the guest has not sent (JSON turns it into ~1.8e19). */
function guestValueKiB(stats: Record<string, number> | undefined, key: string): number | undefined {
  const v = stats?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 2 ** 63) return undefined;
  return Math.round(v / 1024);
}

async function sampleMemory(
  exec: Exec,
  ctx: StatsContext,
  proc: string,
  probe: DomainProbe,
  pollSeconds: number,
): Promise<StatsSample['memory']> {
  const guestStats = async (): Promise<GuestStats | undefined> => {
    // a failed probe (monitor timeout) is forgotten so the next cycle tries again
    probe.balloonPath ??= findBalloon(exec, pollSeconds).catch((e: unknown) => {
      probe.balloonPath = undefined;
      throw e;
    });
    const path = await probe.balloonPath;
    if (!path) return undefined;
    return optional(exec<GuestStats>('qom-get', { path, property: 'guest-stats' }));
  };
  const [balloon, guest, status] = await Promise.all([
    optional(exec<{ actual: number }>('query-balloon')),
    guestStats(),
    ctx.pid === undefined ? Promise.resolve(undefined) : readTextIfPresent(`${proc}/${ctx.pid}/status`),
  ]);
  const memory: NonNullable<StatsSample['memory']> = { maxKiB: ctx.memoryKiB };
  const rss = status === undefined ? undefined : parseVmRssKiB(status);
  if (rss !== undefined) memory.rssKiB = rss;
  if (!balloon) {
    memory.note = NO_BALLOON_NOTE;
    return memory;
  }
  memory.balloonKiB = Math.round(balloon.actual / 1024);
  const total = guestValueKiB(guest?.stats, 'stat-total-memory');
  const free = guestValueKiB(guest?.stats, 'stat-free-memory');
  const available = guestValueKiB(guest?.stats, 'stat-available-memory');
  if (total !== undefined) memory.guestTotalKiB = total;
  if (free !== undefined) memory.guestFreeKiB = free;
  if (available !== undefined) memory.guestAvailableKiB = available;
  if (total === undefined && free === undefined && available === undefined) memory.note = GUEST_NOT_REPORTED_NOTE;
  return memory;
}

/**
 * Find the balloon device in the QOM tree (named devices first, then anonymous ones) and
 * switch on its guest statistics. Runs once per domain; the PCI/CCW proxies alias both
 * properties of the inner virtio device, so the proxy's path is enough.
 */
async function findBalloon(exec: Exec, pollSeconds: number): Promise<string | null> {
  for (const parent of ['/machine/peripheral', '/machine/peripheral-anon']) {
    const children = await optional(exec<{ name: string; type: string }[]>('qom-list', { path: parent }));
    const hit = children?.find((c) => /^child<virtio-balloon/.test(c.type));
    if (!hit) continue;
    const path = `${parent}/${hit.name}`;
    await optional(exec('qom-set', { path, property: 'guest-stats-polling-interval', value: pollSeconds }));
    return path;
  }
  return null;
}

export interface BlockStatsEntry {
  device?: string;
  qdev?: string;
  'node-name'?: string;
  stats: { rd_bytes: number; wr_bytes: number; rd_operations: number; wr_operations: number };
}

/**
 * Pair each disk with its query-blockstats entry. A -blockdev disk has an empty `device`,
 * so it is found by its qdev (a device id or a QOM path containing it) or its node name;
 * a legacy -drive disk by its drive id. The names tried besides the given ones follow
 * common conventions (disk-vda / drive-vda / vda) so a differently named command line still matches.
 */
export function matchBlockStats(entries: BlockStatsEntry[], disks: StatsDiskRef[]): DiskStats[] {
  const out: DiskStats[] = [];
  const used = new Set<BlockStatsEntry>();
  for (const disk of disks) {
    const devIds = uniq([disk.qdevId, `disk-${disk.target}`, `virtio-disk-${disk.target}`, disk.target]);
    const nodes = uniq([disk.nodeName, `drive-${disk.target}`, disk.target]);
    const qdevMatches = (qdev: string | undefined) =>
      !!qdev && devIds.some((id) => qdev === id || qdev.endsWith(`/${id}`) || qdev.includes(`/${id}/`));
    const candidates = entries.filter((e) => !used.has(e));
    // strongest evidence first: the device, then the node name, then the legacy drive id
    const entry =
      candidates.find((e) => qdevMatches(e.qdev)) ??
      candidates.find((e) => !!e['node-name'] && nodes.includes(e['node-name'])) ??
      candidates.find((e) => !!e.device && (nodes.includes(e.device) || devIds.includes(e.device)));
    if (!entry) continue;
    used.add(entry);
    out.push(diskStatsOf(disk.target, entry));
  }
  // disks plugged into the running domain only (not in the config) carry the names kvmtui's
  // hotplug gives them (disk-vdc device, drive-vdc node): report them too, so their I/O shows
  // and the editor can list them as live-only
  const known = new Set(disks.map((d) => d.target));
  for (const entry of entries) {
    if (used.has(entry)) continue;
    const target = conventionalTarget(entry);
    if (!target || known.has(target)) continue;
    known.add(target);
    out.push(diskStatsOf(target, entry));
  }
  return out;
}

function diskStatsOf(target: string, entry: BlockStatsEntry): DiskStats {
  return {
    target,
    rdBytes: entry.stats.rd_bytes,
    wrBytes: entry.stats.wr_bytes,
    rdOps: entry.stats.rd_operations,
    wrOps: entry.stats.wr_operations,
  };
}

/** The target a block entry is named after by kvmtui's conventions, if any. */
function conventionalTarget(entry: BlockStatsEntry): string | undefined {
  const byDevice = entry.qdev && /(?:^|\/)disk-([a-z]{3,})(?:\/|$)/.exec(entry.qdev);
  if (byDevice) return byDevice[1];
  const byNode = entry['node-name'] && /^drive-([a-z]{3,})$/.exec(entry['node-name']);
  return byNode ? byNode[1] : undefined;
}

function uniq(xs: (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => !!x))];
}

async function sampleDisks(exec: Exec, ctx: StatsContext): Promise<DiskStats[]> {
  const entries = await optional(exec<BlockStatsEntry[]>('query-blockstats'));
  return entries ? matchBlockStats(entries, ctx.disks) : [];
}

/**
 * Tap counters, from the guest's point of view as `virsh domifstat` reports them: what the
 * host's tap transmits is what the guest receives, so rx and tx swap.
 */
async function sampleNics(ctx: StatsContext, sys: string): Promise<NicStats[]> {
  return Promise.all(
    ctx.nics.map(async (nic): Promise<NicStats> => {
      const out: NicStats = { mac: nic.mac };
      if (nic.hostDev) out.hostDev = nic.hostDev;
      if (nic.type === 'user') return { ...out, note: USER_NET_NOTE };
      if (!nic.hostDev) return { ...out, note: 'no host device known' };
      const dir = `${sys}/class/net/${nic.hostDev}/statistics`;
      const [hostRx, hostTx, hostRxP, hostTxP] = await Promise.all(
        ['rx_bytes', 'tx_bytes', 'rx_packets', 'tx_packets'].map((f) => readNumberIfPresent(`${dir}/${f}`)),
      );
      if (hostRx === undefined || hostTx === undefined) return { ...out, note: `${nic.hostDev}: no counters on the host` };
      out.rxBytes = hostTx;
      out.txBytes = hostRx;
      if (hostTxP !== undefined) out.rxPackets = hostTxP;
      if (hostRxP !== undefined) out.txPackets = hostRxP;
      return out;
    }),
  );
}

interface StatsResult {
  provider: string;
  'qom-path'?: string;
  stats: { name: string; value: unknown }[];
}

/**
 * KVM counters (exits, halt polls...) from query-stats: VM-wide ones as they are, per-vCPU
 * ones summed over the vCPUs. Histograms and flags are left out. Under TCG both lists are
 * empty, and an older QEMU lacks the command: either way it is not asked again.
 */
async function sampleKvm(exec: Exec, probe: DomainProbe): Promise<Record<string, number> | undefined> {
  const [vm, vcpu] = await Promise.all([
    optional(exec<StatsResult[]>('query-stats', { target: 'vm' })),
    optional(exec<StatsResult[]>('query-stats', { target: 'vcpu' })),
  ]);
  const results = [...(vm ?? []), ...(vcpu ?? [])];
  if (results.length === 0) {
    probe.kvmStats = false;
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const r of results) {
    for (const s of r.stats ?? []) {
      if (typeof s.value === 'number' && Number.isFinite(s.value)) out[s.name] = (out[s.name] ?? 0) + s.value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
