// virsh outputs recorded from libvirt 9.0 (a private libvirtd running the test guest, and
// test:///default), parsed into kvmtui's shapes.
import { describe, expect, it } from 'vitest';
import { numField, parseDomstats, parseKeyValueLines, parseNameList, parseUuidNameList } from '../../src/driver/libvirt/domstats.js';
import { mapLibvirtState } from '../../src/driver/libvirt/states.js';
import { toStatsSample } from '../../src/driver/libvirt/stats-map.js';
import { parseNodeCpuStats, parseNodeInfoCpus, parseNodeMemStats, toHostStats } from '../../src/driver/libvirt/node-stats.js';

// `virsh domstats --raw 'rec 1'`: 2 vCPUs, a qcow2 vda, a user NIC (no host device) and a tap
const RUNNING = `Domain: 'rec 1'
  state.state=1
  state.reason=1
  cpu.time=3675549000
  cpu.user=3209239000
  cpu.system=466310000
  cpu.cache.monitor.count=0
  cpu.haltpoll.success.time=0
  cpu.haltpoll.fail.time=0
  balloon.current=131072
  balloon.maximum=131072
  balloon.swap_in=0
  balloon.swap_out=0
  balloon.major_fault=0
  balloon.minor_fault=1006
  balloon.unused=67268
  balloon.available=94536
  balloon.usable=73028
  balloon.last-update=1795418864
  balloon.disk_caches=2692
  balloon.hugetlb_pgalloc=0
  balloon.hugetlb_pgfail=0
  balloon.rss=238808
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.state=1
  vcpu.0.time=2280000000
  vcpu.0.wait=0
  vcpu.0.delay=269593259
  vcpu.1.state=1
  vcpu.1.time=1050000000
  vcpu.1.wait=0
  vcpu.1.delay=262406992
  net.count=2
  net.1.name=kttap0
  net.1.rx.bytes=180
  net.1.rx.pkts=2
  net.1.rx.errs=0
  net.1.rx.drop=0
  net.1.tx.bytes=0
  net.1.tx.pkts=0
  net.1.tx.errs=0
  net.1.tx.drop=0
  block.count=1
  block.0.name=vda
  block.0.path=/tmp/kt-smoke/vda.qcow2
  block.0.backingIndex=1
  block.0.rd.reqs=2
  block.0.rd.bytes=4608
  block.0.rd.times=176222
  block.0.wr.reqs=0
  block.0.wr.bytes=0
  block.0.wr.times=0
  block.0.fl.reqs=0
  block.0.fl.times=0
  block.0.allocation=0
  block.0.capacity=33554432
  block.0.physical=200704
  dirtyrate.calc_status=0
  dirtyrate.calc_start_time=0
  dirtyrate.calc_period=0
  dirtyrate.calc_mode=page-sampling

`;

// `virsh domstats --raw --nowait --state --vcpu --balloon` for all domains: one running, one
// defined and never started
const LIST = `Domain: 'lvt1'
  state.state=1
  state.reason=1
  balloon.current=131072
  balloon.maximum=131072
  balloon.unused=66644
  balloon.available=94800
  balloon.usable=72280
  balloon.last-update=1795418441
  balloon.rss=236892
  vcpu.current=1
  vcpu.maximum=1
  vcpu.0.state=1
  vcpu.0.time=4470000000
  vcpu.0.wait=0
  vcpu.0.delay=587851228

Domain: 'lvt 2'
  state.state=5
  state.reason=0
  balloon.current=131072
  balloon.maximum=131072
  vcpu.current=1
  vcpu.maximum=1

`;

// a KVM domain under libvirt: hypervisor counters under vm.*
const KVM_PART = `Domain: 'k'
  state.state=3
  state.reason=1
  cpu.time=11634240000
  vcpu.current=1
  vcpu.maximum=1
  vcpu.0.time=11300000000
  vm.mmu_pte_write.sum=2912414
  vm.remote_tlb_flush_requests.sum=5
  vm.pages_4k.cur=0
`;

describe('domstats --raw', () => {
  it('reads every domain and field, names with spaces and quotes included', () => {
    const recs = parseDomstats(LIST);
    expect(recs.map((r) => r.name)).toEqual(['lvt1', 'lvt 2']);
    expect(recs[0]!.fields.get('balloon.maximum')).toBe('131072');
    expect(numField(recs[1]!.fields, 'state.state')).toBe(5);
    expect(numField(recs[1]!.fields, 'cpu.time')).toBeUndefined();
    const quoted = parseDomstats(`Domain: 'it's odd'\n  state.state=3\n  state.reason=1\n`);
    expect(quoted[0]!.name).toBe("it's odd");
    expect(numField(quoted[0]!.fields, 'state.reason')).toBe(1);
  });

  it('skips text outside a domain block and lines without a key', () => {
    const recs = parseDomstats(`noise\n  state.state=1\nDomain: 'a'\n  garbage\n  state.state=5\n`);
    expect(recs).toHaveLength(1);
    expect([...recs[0]!.fields.keys()]).toEqual(['state.state']);
  });

  it('turns a running domain into a StatsSample: cpu per vCPU, memory, disks, NIC counters by tap', () => {
    const rec = parseDomstats(RUNNING)[0]!;
    const nics = [
      { mac: '52:54:00:00:aa:01', type: 'user' },
      { mac: '52:54:00:00:aa:02', type: 'ethernet', targetDev: 'kttap0' },
    ];
    const s = toStatsSample('rec 1', rec.fields, { nics, balloon: true }, 1000);
    expect(s.state).toBe('running');
    expect(s.time).toBe(1000);
    expect(s.cpu).toEqual({ processNs: 3675549000, vcpuNs: 3330000000, perVcpuNs: [2280000000, 1050000000], vcpus: 2 });
    expect(s.memory).toEqual({
      maxKiB: 131072,
      balloonKiB: 131072,
      rssKiB: 238808,
      guestTotalKiB: 94536,
      guestFreeKiB: 67268,
      guestAvailableKiB: 73028,
    });
    expect(s.disks).toEqual([{ target: 'vda', rdBytes: 4608, wrBytes: 0, rdOps: 2, wrOps: 0 }]);
    expect(s.nics).toEqual([
      { mac: '52:54:00:00:aa:01', note: 'user networking: the host has no counters' },
      { mac: '52:54:00:00:aa:02', hostDev: 'kttap0', rxBytes: 180, txBytes: 0, rxPackets: 2, txPackets: 0 },
    ]);
    expect(s.kvm).toBeUndefined();
  });

  it('says why memory figures are missing: no balloon, or the guest has not reported', () => {
    const rec = parseDomstats(RUNNING)[0]!;
    const noBalloon = toStatsSample('rec 1', rec.fields, { nics: [], balloon: false });
    expect(noBalloon.memory?.balloonKiB).toBeUndefined();
    expect(noBalloon.memory?.note).toBe('no balloon');
    const fresh = new Map(rec.fields);
    for (const k of ['balloon.unused', 'balloon.available', 'balloon.usable']) fresh.delete(k);
    fresh.set('balloon.last-update', '0');
    const early = toStatsSample('rec 1', fresh, { nics: [], balloon: true });
    expect(early.memory?.guestTotalKiB).toBeUndefined();
    expect(early.memory?.note).toBe('guest has not reported yet');
  });

  it('gives a shut-off domain no cpu or NIC figures', () => {
    const rec = parseDomstats(LIST)[1]!;
    const s = toStatsSample('lvt 2', rec.fields, { nics: [{ mac: '52:54:00:12:34:57', type: 'user' }], balloon: true });
    expect(s.state).toBe('shutoff');
    expect(s.cpu).toBeUndefined();
    expect(s.nics).toEqual([]);
    expect(s.memory?.note).toBeUndefined();
  });

  it('passes KVM counters (vm.*) on as kvm', () => {
    const s = toStatsSample('k', parseDomstats(KVM_PART)[0]!.fields, { nics: [], balloon: false });
    expect(s.state).toBe('paused');
    expect(s.kvm).toEqual({ 'mmu_pte_write.sum': 2912414, 'remote_tlb_flush_requests.sum': 5, 'pages_4k.cur': 0 });
  });
});

describe('libvirt states', () => {
  it.each([
    [1, 1, 'running', 'booted'],
    [1, 5, 'running', 'unpaused'],
    [2, 0, 'running', 'blocked'],
    [3, 1, 'paused', 'user'],
    [3, 5, 'paused', 'io-error'],
    [3, 8, 'shutting down', 'shutdown'],
    [3, 11, 'paused', 'starting up'],
    [4, 1, 'shutting down', 'user'],
    [5, 1, 'shutoff', 'shutdown'],
    [5, 2, 'shutoff', 'destroyed'],
    [5, 3, 'shutoff', 'crashed'],
    [5, 0, 'shutoff', undefined],
    [6, 1, 'crashed', 'panicked'],
    [7, 0, 'pmsuspended', 'guest'],
  ])('state %i reason %i -> %s (%s)', (state, reason, name, why) => {
    const m = mapLibvirtState(state, reason);
    expect(m.state).toBe(name);
    expect(m.reason).toBe(why);
  });

  it('explains abnormal states in a sentence', () => {
    expect(mapLibvirtState(5, 3).message).toMatch(/ended unexpectedly/);
    expect(mapLibvirtState(3, 5).message).toMatch(/I\/O error/);
    expect(mapLibvirtState(6, 1).message).toMatch(/panicked/);
    expect(mapLibvirtState(9, 0)).toMatchObject({ state: 'paused', message: expect.stringMatching(/unknown state \(9\)/) });
    expect(mapLibvirtState(1, 42).reason).toBe('reason 42');
  });
});

describe('virsh list and info outputs', () => {
  it('reads `list --all --uuid --name`, names with spaces included', () => {
    const text = 'c9725c7e-0f98-4683-a414-f75ba6c467d3 lvt 2\nCA58E2F1-C172-44AD-9DE0-F6AB91E8FCCB lvt1\n\n';
    expect(parseUuidNameList(text)).toEqual([
      { uuid: 'c9725c7e-0f98-4683-a414-f75ba6c467d3', name: 'lvt 2' },
      { uuid: 'ca58e2f1-c172-44ad-9de0-f6ab91e8fccb', name: 'lvt1' },
    ]);
    expect(parseUuidNameList('not-a-uuid x\n')).toEqual([]);
  });

  it('reads `list --name` without the padding lines', () => {
    expect(parseNameList('lvt 2\nlvt1\n\n')).toEqual(['lvt 2', 'lvt1']);
    expect(parseNameList('\n')).toEqual([]);
  });

  it('reads `dominfo` key/value lines', () => {
    const kv = parseKeyValueLines(`Id:             -\nName:           -weird\nUUID:           0fe9a0f6-5f33-4de5-ba4b-7714e688bec1\nPersistent:     yes\nAutostart:      disable\nMax memory:     131072 KiB\n`);
    expect(kv.get('Name')).toBe('-weird');
    expect(kv.get('Persistent')).toBe('yes');
    expect(kv.get('Max memory')).toBe('131072 KiB');
  });
});

describe('node statistics of a remote host', () => {
  it('reads nodecpustats, nodememstats and nodeinfo into HostStats', () => {
    const cpu = parseNodeCpuStats(`user:                  2035870000000\nsystem:                 343470000000\nidle:                  1357980000000\niowait:                   3040000000\n`);
    expect(cpu).toEqual({ busy: 2379340000000, total: 3740360000000 });
    const mem = parseNodeMemStats(`total  :             24684084 KiB\nfree   :             22643420 KiB\nbuffers:                 8580 KiB\ncached :               466992 KiB\n`);
    expect(mem).toEqual({ totalKiB: 24684084, availableKiB: 22643420 + 8580 + 466992 });
    const cpus = parseNodeInfoCpus(`CPU model:           x86_64\nCPU(s):              2\nCPU frequency:       2596 MHz\nMemory size:         6252748 KiB\n`);
    expect(cpus).toBe(2);
    const h = toHostStats(cpu, mem, cpus!, 5);
    expect(h).toMatchObject({ time: 5, cpuBusy: cpu.busy, cpuTotal: cpu.total, cpus: 2, memTotalKiB: 24684084 });
    // libvirt has no load average: NaN, never a made-up 0
    expect(h.load.every((x) => Number.isNaN(x))).toBe(true);
  });

  it('refuses output without the counters it needs', () => {
    expect(() => parseNodeCpuStats('error: something\n')).toThrow(/nodecpustats/);
    expect(() => parseNodeMemStats('total : 1 KiB\n')).toThrow(/nodememstats/);
  });
});
