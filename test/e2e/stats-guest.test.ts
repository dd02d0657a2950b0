// Issue 4: stats from the real test guest under real QEMU (TCG), through the local driver.
// A dd to the virtio disk must show as a write rate, a busy loop as vCPU time, and the graphs
// view must draw both.
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSample } from '../../src/driver/driver.js';
import { run } from '../../src/driver/exec.js';
import { createLocalDriver, type LocalDriver } from '../../src/driver/qemu/local-driver.js';
import { appendRates, emptyHistory, type DomainHistory } from '../../src/store/history.js';
import { computeRates, type DomainRates } from '../../src/store/rates.js';
import { GraphsScreen } from '../../src/ui/screens/graphs-screen.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { guestXml } from '../helpers/cli.js';
import { SerialClient, waitFor, waitForLog } from '../helpers/serial.js';

const NAME = 'statsg';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stats of the real test guest', () => {
  let home: string;
  let driver: LocalDriver;
  let serial: SerialClient | undefined;
  let history: DomainHistory = emptyHistory();
  let prev: StatsSample | undefined;
  let last: DomainRates | undefined;

  /** one poller step, as the store does it: sample, rates against the previous sample, history */
  async function poll(): Promise<DomainRates> {
    const s = await driver.stats(NAME);
    last = computeRates(prev, s);
    prev = s;
    history = appendRates(history, last);
    return last;
  }

  beforeAll(async () => {
    const g = requireGuest();
    home = await mkdtemp(join(tmpdir(), 'kt-st-'));
    const disk = join(home, 'vda.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
    driver = createLocalDriver({ home });
    await driver.defineXml(guestXml(NAME, g.kernel, g.initrd, disk, '52:54:00:00:04:01'));
    await driver.start(NAME);
    const ep = await driver.consoleEndpoint(NAME);
    if (ep.kind !== 'unix') throw new Error('expected a unix console');
    await waitForLog(ep.logPath!, GUEST_BANNER);
    serial = await SerialClient.open(ep.socketPath);
    await serial.run('echo ready-$((1+1))', 'ready-2');
  }, 120_000);

  afterAll(async () => {
    serial?.close();
    if (driver) {
      await driver.destroy(NAME).catch(() => {});
      await driver.close();
    }
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('samples CPU, memory, the disk and the user NIC of a running guest', async () => {
    const s = await driver.stats(NAME);
    expect(s.state).toBe('running');
    expect(s.cpu!.vcpus).toBe(1);
    expect(s.cpu!.perVcpuNs).toHaveLength(1);
    expect(s.cpu!.processNs).toBeGreaterThan(s.cpu!.vcpuNs);
    const cfg = (await driver.getDomain(NAME)).config;
    expect(s.memory!.maxKiB).toBe(cfg.memoryKiB);
    expect(s.memory!.balloonKiB).toBe(cfg.currentMemoryKiB);
    expect(s.memory!.rssKiB).toBeGreaterThan(0);
    expect(s.disks.map((d) => d.target)).toEqual(['vda']);
    expect(s.nics).toEqual([{ mac: '52:54:00:00:04:01', note: 'user networking: the host has no counters' }]);
    expect(s.kvm).toBeUndefined(); // TCG has no KVM counters
    // the guest's virtio-balloon driver reports once polling is on
    const reported = await waitFor('balloon guest stats', async () => {
      const m = (await driver.stats(NAME)).memory;
      return m?.guestTotalKiB !== undefined ? m : undefined;
    }, 30_000, 500);
    // what the guest kernel manages: most of its RAM, never more than it was given
    expect(reported.guestTotalKiB).toBeGreaterThan(cfg.memoryKiB / 2);
    expect(reported.guestTotalKiB).toBeLessThanOrEqual(cfg.memoryKiB);
    expect(reported.guestFreeKiB).toBeGreaterThan(0);
  }, 60_000);

  it('shows a dd to the virtio disk as a write rate', async () => {
    await poll();
    await serial!.run('dd if=/dev/zero of=/dev/vda bs=1M count=16 conv=fsync 2>/dev/null; echo dd-$((40+2))', 'dd-42', 60_000);
    const r = await poll();
    const vda = r.disks.find((d) => d.target === 'vda')!;
    expect(vda.wrBytesPerSec).toBeGreaterThan(0);
    expect(vda.wrOpsPerSec).toBeGreaterThan(0);
    // 16 MiB went through within the interval (rate x interval is a float: round it back to bytes)
    expect(Math.round(vda.wrBytesPerSec! * (r.intervalMs / 1000))).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  }, 90_000);

  it('shows a busy loop in the guest as vCPU time', async () => {
    await poll();
    await sleep(1500);
    const idle = await poll();
    await serial!.run('(while :; do :; done) & echo loop-$((1+2))', 'loop-3');
    await poll();
    await sleep(2000);
    const busy = await poll();
    await serial!.run('kill $!; echo stopped-$((2+2))', 'stopped-4');
    const idlePct = idle.cpu!.vcpuPctOfVcpus!;
    const busyPct = busy.cpu!.vcpuPctOfVcpus!;
    // on a shared 2-core host the loop may not get a whole core: ask for a clear rise, not 100%
    expect(busyPct).toBeGreaterThan(30);
    expect(busyPct).toBeGreaterThan(idlePct + 15);
    expect(busy.cpu!.processPct).toBeGreaterThanOrEqual(busy.cpu!.vcpuPct! * 0.9);
  }, 60_000);

  it('draws both in the graphs view at 80x24', () => {
    const { lastFrame, unmount } = render(
      createElement(GraphsScreen, { name: NAME, history, rates: last, width: 80, height: 24 }),
    );
    const frame = lastFrame() ?? '';
    unmount();
    const titleOf = (label: string) => frame.split('\n').find((l) => l.includes(label)) ?? '';
    const cpuTitle = titleOf('CPU of 1 vCPU');
    const writeTitle = titleOf('vda write');
    // the peaks recorded above: a CPU peak well above zero, a write peak of MiB/s
    const cpuPeak = Number(/peak (\d+(?:\.\d+)?)%/.exec(cpuTitle)?.[1]);
    expect(cpuPeak).toBeGreaterThan(40);
    expect(writeTitle).toMatch(/peak \d+(\.\d+)? MiB\/s/);
    expect(frame).toMatch(/[\u2801-\u28ff]/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
  });
});
