import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KvmtuiError, QmpError } from '../../src/driver/errors.js';
import type { QmpClient } from '../../src/driver/qemu/qmp-types.js';
import {
  GUEST_NOT_REPORTED_NOTE,
  NO_BALLOON_NOTE,
  USER_NET_NOTE,
  matchBlockStats,
  sampleDomainStats,
  type StatsContext,
} from '../../src/driver/qemu/stats.js';

type Handler = (args?: Record<string, unknown>) => unknown;

/** An in-process stand-in for a QMP connection: answers from a table, records every call. */
function fakeQmp(handlers: Record<string, Handler>) {
  const calls: { command: string; args?: Record<string, unknown> }[] = [];
  const client: QmpClient = {
    closed: false,
    async execute<T>(command: string, args?: Record<string, unknown>): Promise<T> {
      calls.push({ command, args });
      const h = handlers[command];
      if (!h) throw new QmpError('CommandNotFound', `The command ${command} has not been found`, command);
      return (await h(args)) as T;
    },
    onEvent: () => () => {},
    onClose: () => () => {},
    close: async () => {},
  };
  return { client, calls, count: (cmd: string) => calls.filter((c) => c.command === cmd).length };
}

const UNREPORTED = 18446744073709552000; // 2^64-1 as JSON.parse sees it

async function ownThreads(): Promise<number[]> {
  return (await readdir('/proc/self/task')).map(Number).sort((a, b) => a - b);
}

function blockEntry(over: Record<string, unknown>, rd: number, wr: number) {
  return { device: '', ...over, stats: { rd_bytes: rd, wr_bytes: wr, rd_operations: rd / 512, wr_operations: wr / 512 } };
}

function baseHandlers(tids: number[], extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'query-cpus-fast': () => tids.map((t, i) => ({ 'cpu-index': i, 'thread-id': t, 'qom-path': `/machine/unattached/device[${i}]` })),
    'query-balloon': () => ({ actual: 256 * 1024 * 1024 }),
    'qom-list': (a) =>
      a?.path === '/machine/peripheral'
        ? [{ name: 'type', type: 'string' }, { name: 'balloon0', type: 'child<virtio-balloon-pci>' }]
        : [],
    'qom-set': () => ({}),
    'qom-get': () => ({ stats: { 'stat-total-memory': UNREPORTED, 'stat-free-memory': UNREPORTED }, 'last-update': 0 }),
    'query-blockstats': () => [
      blockEntry({ qdev: '/machine/peripheral/disk-vda/virtio-backend', 'node-name': 'drive-vda' }, 4096, 8192),
    ],
    'query-stats': () => [],
    ...extra,
  };
}

function ctx(over: Partial<StatsContext> = {}): StatsContext {
  return {
    name: 'web1',
    pid: process.pid,
    vcpus: 1,
    memoryKiB: 262144,
    disks: [{ target: 'vda' }],
    nics: [{ mac: '52:54:00:00:00:01', type: 'user' }],
    state: 'running',
    ...over,
  };
}

describe('sampleDomainStats', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads vCPU thread CPU time from /proc for the thread ids QMP names', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const a = await sampleDomainStats(q.client, ctx());
    // burn a known amount of CPU on this (main) thread, then sample again
    const start = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(start).user < 150_000) for (let i = 0; i < 100_000; i++) x += Math.sqrt(x + i);
    expect(x).toBeGreaterThan(0);
    const b = await sampleDomainStats(q.client, ctx());
    expect(a.cpu!.perVcpuNs).toHaveLength(1);
    expect(a.cpu!.vcpus).toBe(1);
    expect(b.cpu!.vcpuNs - a.cpu!.vcpuNs).toBeGreaterThanOrEqual(100e6); // >= 100 ms of the 150 ms burnt
    expect(b.cpu!.processNs).toBeGreaterThanOrEqual(b.cpu!.vcpuNs); // the process includes every thread
    expect(b.memory!.rssKiB).toBeGreaterThan(1000);
    expect(b.time).toBeGreaterThanOrEqual(a.time);
  });

  it('orders vCPUs by cpu-index and counts them from QMP', async () => {
    const tids = await ownThreads();
    const pair = [tids[0]!, tids[tids.length - 1]!];
    const q = fakeQmp(
      baseHandlers([], {
        'query-cpus-fast': () => [
          { 'cpu-index': 1, 'thread-id': pair[1] },
          { 'cpu-index': 0, 'thread-id': pair[0] },
        ],
      }),
    );
    const s = await sampleDomainStats(q.client, ctx({ vcpus: 2 }));
    expect(s.cpu!.vcpus).toBe(2);
    expect(s.cpu!.perVcpuNs).toHaveLength(2);
    expect(s.cpu!.vcpuNs).toBeCloseTo(s.cpu!.perVcpuNs[0]! + s.cpu!.perVcpuNs[1]!, 3);
  });

  it('has no CPU figures when the emulator process is gone', async () => {
    const q = fakeQmp(baseHandlers([1]));
    const s = await sampleDomainStats(q.client, ctx({ pid: 2 ** 22 + 12345 })); // above pid_max
    expect(s.cpu).toBeUndefined();
    expect(s.disks).toHaveLength(1);
  });

  it('issues the cycle concurrently: every command is in flight before any answer', async () => {
    const [main] = await ownThreads();
    let inFlight = 0;
    let peak = 0;
    const slow = (h: Handler): Handler => async (a) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return h(a);
    };
    const base = baseHandlers([main!]);
    const q = fakeQmp(Object.fromEntries(Object.entries(base).map(([k, h]) => [k, slow(h)])));
    await sampleDomainStats(q.client, ctx()); // first cycle: balloon probing is sequential
    peak = 0;
    await sampleDomainStats(q.client, ctx());
    // cpus-fast, balloon, guest-stats, blockstats (query-stats was dropped after an empty answer)
    expect(peak).toBe(4);
  });

  it('reports balloon size, sets guest stats polling once, and says when the guest has not reported', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const a = await sampleDomainStats(q.client, ctx());
    await sampleDomainStats(q.client, ctx());
    expect(a.memory).toMatchObject({ maxKiB: 262144, balloonKiB: 262144, note: GUEST_NOT_REPORTED_NOTE });
    expect(a.memory!.guestTotalKiB).toBeUndefined();
    expect(q.count('qom-set')).toBe(1);
    expect(q.calls.find((c) => c.command === 'qom-set')!.args).toMatchObject({
      path: '/machine/peripheral/balloon0',
      property: 'guest-stats-polling-interval',
    });
    expect(q.count('qom-get')).toBe(2);
  });

  it('reads guest memory figures once the guest reports them, in KiB', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(
      baseHandlers([main!], {
        'qom-get': () => ({
          stats: {
            'stat-total-memory': 200 * 1024 * 1024,
            'stat-free-memory': 150 * 1024 * 1024,
            'stat-available-memory': 170 * 1024 * 1024,
            'stat-swap-in': UNREPORTED,
          },
          'last-update': 1700000000,
        }),
      }),
    );
    const s = await sampleDomainStats(q.client, ctx());
    expect(s.memory).toMatchObject({ guestTotalKiB: 204800, guestFreeKiB: 153600, guestAvailableKiB: 174080 });
    expect(s.memory!.note).toBeUndefined();
  });

  it('finds an anonymous balloon device', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(
      baseHandlers([main!], {
        'qom-list': (a) => (a?.path === '/machine/peripheral-anon' ? [{ name: 'device[3]', type: 'child<virtio-balloon-pci-non-transitional>' }] : []),
      }),
    );
    await sampleDomainStats(q.client, ctx());
    expect(q.calls.find((c) => c.command === 'qom-get')!.args).toMatchObject({ path: '/machine/peripheral-anon/device[3]' });
  });

  it('says "no balloon" when QEMU has none', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(
      baseHandlers([main!], {
        'query-balloon': () => {
          throw new QmpError('DeviceNotActive', 'No balloon device has been activated', 'query-balloon');
        },
        'qom-list': () => [{ name: 'type', type: 'string' }],
      }),
    );
    const s = await sampleDomainStats(q.client, ctx());
    expect(s.memory!.note).toBe(NO_BALLOON_NOTE);
    expect(s.memory!.balloonKiB).toBeUndefined();
    expect(q.count('qom-get')).toBe(0);
  });

  it('says plainly that user networking has no host counters', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const s = await sampleDomainStats(q.client, ctx());
    expect(s.nics).toEqual([{ mac: '52:54:00:00:00:01', note: USER_NET_NOTE }]);
  });

  it("reads a tap's counters from sysfs, from the guest's side (host tx = guest rx)", async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-sys-'));
    const st = join(dir, 'class/net/tap7/statistics');
    await mkdir(st, { recursive: true });
    await writeFile(join(st, 'rx_bytes'), '1000\n');
    await writeFile(join(st, 'tx_bytes'), '5000\n');
    await writeFile(join(st, 'rx_packets'), '10\n');
    await writeFile(join(st, 'tx_packets'), '50\n');
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const s = await sampleDomainStats(
      q.client,
      ctx({
        nics: [
          { mac: 'aa', type: 'ethernet', hostDev: 'tap7' },
          { mac: 'bb', type: 'ethernet', hostDev: 'tap-gone' },
        ],
      }),
      { sysRoot: dir },
    );
    expect(s.nics[0]).toEqual({ mac: 'aa', hostDev: 'tap7', rxBytes: 5000, txBytes: 1000, rxPackets: 50, txPackets: 10 });
    expect(s.nics[1]!.rxBytes).toBeUndefined();
    expect(s.nics[1]!.note).toMatch(/tap-gone/);
  });

  it('reads the real loopback counters when a NIC names it', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const s = await sampleDomainStats(q.client, ctx({ nics: [{ mac: 'cc', type: 'ethernet', hostDev: 'lo' }] }));
    expect(typeof s.nics[0]!.rxBytes).toBe('number');
    expect(s.nics[0]!.note).toBeUndefined();
  });

  it('leaves kvm out under TCG and stops asking after the first empty answer', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(baseHandlers([main!]));
    const a = await sampleDomainStats(q.client, ctx());
    await sampleDomainStats(q.client, ctx());
    expect('kvm' in a).toBe(false);
    expect(q.count('query-stats')).toBe(2); // vm + vcpu, once
  });

  it('sums per-vCPU KVM counters and keeps only numbers', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(
      baseHandlers([main!], {
        'query-stats': (a) =>
          a?.target === 'vm'
            ? [{ provider: 'kvm', stats: [{ name: 'remote_tlb_flush', value: 7 }, { name: 'max_mmu_page_hash_collisions', value: true }] }]
            : [
                { provider: 'kvm', 'qom-path': '/machine/unattached/device[0]', stats: [{ name: 'exits', value: 100 }, { name: 'halt_poll_fail_hist', value: [1, 2] }] },
                { provider: 'kvm', 'qom-path': '/machine/unattached/device[1]', stats: [{ name: 'exits', value: 50 }] },
              ],
      }),
    );
    const s = await sampleDomainStats(q.client, ctx());
    expect(s.kvm).toEqual({ remote_tlb_flush: 7, exits: 150 });
  });

  it('asks QEMU nothing for a domain that is not running', async () => {
    const q = fakeQmp(baseHandlers([1]));
    const s = await sampleDomainStats(q.client, ctx({ state: 'shutoff' }));
    expect(q.calls).toHaveLength(0);
    expect(s).toMatchObject({ name: 'web1', state: 'shutoff', disks: [], nics: [] });
    expect(s.cpu).toBeUndefined();
  });

  it('rejects when the monitor is closed, so the caller sees an unreachable domain', async () => {
    const [main] = await ownThreads();
    const q = fakeQmp(
      baseHandlers([main!], {
        'query-blockstats': () => {
          throw new KvmtuiError('QMP_CLOSED', 'monitor closed');
        },
      }),
    );
    await expect(sampleDomainStats(q.client, ctx())).rejects.toMatchObject({ code: 'QMP_CLOSED' });
  });
});

describe('matchBlockStats', () => {
  const entries = [
    blockEntry({ device: 'drive-hdc', qdev: 'ide0-cd0' }, 512, 0), // legacy -drive
    blockEntry({ qdev: '/machine/peripheral/disk-vdb/virtio-backend', 'node-name': 'n9' }, 1024, 2048),
    blockEntry({ 'node-name': 'drive-vda' }, 4096, 8192),
    blockEntry({ qdev: 'my-disk' }, 512 * 3, 512 * 5),
  ];

  it('matches by qdev path, node name, legacy drive id, or a given device id', () => {
    const out = matchBlockStats(entries, [{ target: 'vda' }, { target: 'vdb' }, { target: 'hdc' }, { target: 'sda', qdevId: 'my-disk' }]);
    expect(out.map((d) => [d.target, d.rdBytes, d.wrBytes])).toEqual([
      ['vda', 4096, 8192],
      ['vdb', 1024, 2048],
      ['hdc', 512, 0],
      ['sda', 1536, 2560],
    ]);
    expect(out[0]).toMatchObject({ rdOps: 8, wrOps: 16 });
  });

  it('does not mistake vda for vdaa and leaves out a disk with no entry', () => {
    const out = matchBlockStats([blockEntry({ qdev: '/machine/peripheral/disk-vdaa/virtio-backend' }, 1, 1)], [{ target: 'vda' }]);
    // vdaa is its own (running-only) disk, never vda's figures
    expect(out.map((d) => d.target)).toEqual(['vdaa']);
  });

  it('reports disks the running domain has beyond the config, by their hotplug names', () => {
    const out = matchBlockStats(
      [
        blockEntry({ 'node-name': 'drive-vda' }, 1, 1),
        blockEntry({ qdev: '/machine/peripheral/disk-vdc/virtio-backend', 'node-name': 'drive-vdc' }, 7, 9),
        blockEntry({ 'node-name': 'drive-sdb' }, 3, 4),
        blockEntry({ qdev: '/machine/peripheral-anon/device[3]', device: 'pflash0' }, 5, 5), // not a disk of ours
      ],
      [{ target: 'vda' }],
    );
    expect(out.map((d) => [d.target, d.rdBytes, d.wrBytes])).toEqual([
      ['vda', 1, 1],
      ['vdc', 7, 9],
      ['sdb', 3, 4],
    ]);
  });

  it('gives each entry to one disk only', () => {
    const out = matchBlockStats([blockEntry({ 'node-name': 'drive-vda' }, 1, 1)], [{ target: 'vda' }, { target: 'vda' }]);
    expect(out).toHaveLength(1);
  });
});
