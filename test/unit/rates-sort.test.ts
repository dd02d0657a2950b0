// :sort by what domains use now: disk I/O, network I/O and memory put the top consumer first;
// domains without figures (stopped, user networking) go last.
import { describe, expect, it } from 'vitest';
import type { DomainRates } from '../../src/store/rates.js';
import { diskBytesPerSec, netBytesPerSec, selectVisible } from '../../src/store/selectors.js';
import type { DomainEntry, SortKey } from '../../src/store/types.js';
import { SORT_KEYS } from '../../src/store/types.js';

function entry(name: string, rates?: Partial<DomainRates>, memoryKiB = 131072): DomainEntry {
  const state = rates ? 'running' : 'shutoff';
  return {
    key: `local\n${name}`,
    connection: 'local',
    name,
    summary: { connection: 'local', name, uuid: '', state, type: 'qemu', vcpus: 1, memoryKiB, currentMemoryKiB: memoryKiB, persistent: true, autostart: false },
    rates: rates ? { name, time: 0, intervalMs: 1000, state, disks: [], nics: [], ...rates } : undefined,
    events: [],
  } as DomainEntry;
}

const order = (sort: SortKey, entries: DomainEntry[]) =>
  selectVisible({ domains: new Map(entries.map((e) => [e.key, e])), filter: '', sort }).map((e) => e.name);

const domains = [
  entry('off'),
  entry('reader', { disks: [{ target: 'vda', rdBytesPerSec: 5e6, wrBytesPerSec: 0 }], nics: [{ mac: 'm1', note: 'user networking: the host has no counters' }] }),
  entry('writer', { disks: [{ target: 'vda', rdBytesPerSec: 0, wrBytesPerSec: 3e6 }, { target: 'vdb', wrBytesPerSec: 4e6 }], nics: [{ mac: 'm2', rxBytesPerSec: 10, txBytesPerSec: 20 }] }),
  entry('talker', { disks: [], nics: [{ mac: 'm3', rxBytesPerSec: 1e6, txBytesPerSec: 2e6 }], memory: { maxKiB: 131072, rssKiB: 900000 } }),
];

describe(':sort by use', () => {
  it('offers disk and net', () => {
    expect(SORT_KEYS).toEqual(expect.arrayContaining(['cpu', 'mem', 'disk', 'net']));
  });

  it('disk: read plus write over all disks, biggest first, no figures last', () => {
    expect(diskBytesPerSec(domains[2]!)).toBe(7e6);
    expect(diskBytesPerSec(domains[0]!)).toBeUndefined();
    expect(order('disk', domains)).toEqual(['writer', 'reader', 'off', 'talker']);
  });

  it('net: rx plus tx where the host counts them; user networking has no figure', () => {
    expect(netBytesPerSec(domains[1]!)).toBeUndefined();
    expect(netBytesPerSec(domains[3]!)).toBe(3e6);
    expect(order('net', domains)).toEqual(['talker', 'writer', 'off', 'reader']);
  });

  it('mem: the host memory a running domain takes (RSS) before configured sizes', () => {
    expect(order('mem', domains)[0]).toBe('talker');
  });
});
