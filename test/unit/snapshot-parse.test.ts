// Snapshot names, qemu-img's snapshot table, HMP error text and which disks a snapshot covers.
import { describe, expect, it } from 'vitest';
import { validateSnapshotName, SNAPSHOT_NAME_MAX } from '../../src/driver/qemu/snapshot-names.js';
import { parseImageSnapshots } from '../../src/driver/qemu/snapshot-image.js';
import { hmpActionError, snapshotDisks } from '../../src/driver/qemu/snapshots.js';
import { isKvmtuiError } from '../../src/driver/errors.js';
import type { DiskConfig, DomainConfig } from '../../src/domain/model.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return isKvmtuiError(e) ? e.code : 'other';
  }
}

describe('validateSnapshotName', () => {
  it('accepts ordinary names', () => {
    for (const n of ['s1', 'before-upgrade', 'v1.2_rc', 'a'.repeat(SNAPSHOT_NAME_MAX), 'état']) {
      expect(validateSnapshotName(n)).toBe(n);
    }
  });
  it.each([
    ['', /empty/],
    ['a'.repeat(SNAPSHOT_NAME_MAX + 1), /longer than 64/],
    ['a\nb', /control/],
    ['a\x00', /control/],
    ['a\x7f', /control/],
    ['a/b', /'\/'/],
    ['../x', /'\/'/],
    ['two words', /blank/],
    ['-c', /starts with '-'/],
    ['123', /digits/],
  ])('refuses %j', (name, why) => {
    expect(code(() => validateSnapshotName(name))).toBe('INVALID_NAME');
    expect(() => validateSnapshotName(name)).toThrow(why);
  });
});

describe('parseImageSnapshots', () => {
  it('reads the table qemu-img info --output=json prints', () => {
    const json = JSON.stringify({
      'virtual-size': 1048576,
      format: 'qcow2',
      snapshots: [
        { icount: 0, 'vm-clock-nsec': 0, name: 's1', 'date-sec': 1795422125, 'date-nsec': 388777000, 'vm-clock-sec': 0, id: '1', 'vm-state-size': 0 },
        { name: 'live', 'date-sec': 1795422200, 'date-nsec': 5000000, id: '2', 'vm-state-size': 23456789 },
      ],
    });
    expect(parseImageSnapshots('/x.qcow2', json)).toEqual([
      { id: '1', name: 's1', vmStateSize: 0, date: 1795422125388 },
      { id: '2', name: 'live', vmStateSize: 23456789, date: 1795422200005 },
    ]);
  });
  it('an image without snapshots has no "snapshots" key', () => {
    expect(parseImageSnapshots('/x.qcow2', '{"virtual-size": 1, "format": "qcow2"}')).toEqual([]);
  });
  it('refuses output it cannot read, naming the image', () => {
    expect(() => parseImageSnapshots('/x.qcow2', 'qemu-img: oops')).toThrow(/\/x\.qcow2.*not JSON/);
    expect(() => parseImageSnapshots('/x.qcow2', '{"snapshots": 3}')).toThrow(/not a list/);
    expect(() => parseImageSnapshots('/x.qcow2', '{"snapshots": [{"id": "1"}]}')).toThrow(/without a name/);
  });
});

describe('hmpActionError', () => {
  it('empty output is success', () => {
    expect(hmpActionError('savevm s1', '')).toBeUndefined();
    expect(hmpActionError('savevm s1', '\r\n')).toBeUndefined();
  });
  it('any text is the error, without HMP\'s "Error: " prefix', () => {
    const e = hmpActionError('loadvm nope', "Error: Snapshot 'nope' does not exist in one or more devices\r\n");
    expect(e?.code).toBe('QMP_ERROR');
    expect(e?.message).toBe("loadvm nope: Snapshot 'nope' does not exist in one or more devices");
  });
});

function disk(p: Partial<DiskConfig>): DiskConfig {
  return { type: 'file', device: 'disk', format: 'qcow2', source: '/img/a.qcow2', target: 'vda', readonly: false, shareable: false, ...p };
}
const cfg = (disks: DiskConfig[]) => ({ disks }) as unknown as DomainConfig;

describe('snapshotDisks', () => {
  it('takes every writable qcow2 disk and skips read-only disks and CD-ROMs', () => {
    const out = snapshotDisks('d', cfg([
      disk({}),
      disk({ target: 'vdb', format: 'raw', readonly: true, source: '/img/ro.raw' }),
      disk({ target: 'hdc', device: 'cdrom', format: 'raw', source: '/img/x.iso' }),
      disk({ target: 'vdc', source: '/img/c.qcow2' }),
    ]));
    expect(out).toEqual([
      { target: 'vda', path: '/img/a.qcow2' },
      { target: 'vdc', path: '/img/c.qcow2' },
    ]);
  });
  it('a writable raw disk is INVALID_CONFIG naming the disk', () => {
    const f = () => snapshotDisks('d', cfg([disk({}), disk({ target: 'vdb', format: 'raw', source: '/img/b.raw' })]));
    expect(code(f)).toBe('INVALID_CONFIG');
    expect(f).toThrow(/disk vdb .*\/img\/b\.raw.* raw, not qcow2/);
  });
  it('no writable disk at all is INVALID_CONFIG', () => {
    expect(() => snapshotDisks('d', cfg([]))).toThrow(/no writable qcow2 disk/);
  });
});
