import { describe, expect, it } from 'vitest';
import { generateMac, isValidMac, macProblem } from '../../src/domain/mac.js';
import { nextFreeTarget, targetSuffix } from '../../src/domain/targets.js';
import { formatBytes, parseSize, toKiB } from '../../src/domain/units.js';
import { generateUuid, isValidUuid } from '../../src/domain/uuid.js';
import { KvmtuiError } from '../../src/driver/errors.js';

function thrown(fn: () => unknown): KvmtuiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    return e as KvmtuiError;
  }
  throw new Error('expected a KvmtuiError');
}

describe('toKiB', () => {
  it.each([
    [1024, undefined, 1024],
    [2048, '', 2048],
    [2048, 'b', 2],
    [1, 'bytes', 1],
    [1000, 'KB', 977],
    [1, 'k', 1],
    [1, 'KiB', 1],
    [1, 'MB', 977],
    [1, 'm', 1024],
    [1, 'MiB', 1024],
    [2, 'GB', 1953125],
    [2, 'G', 2097152],
    [2, 'gib', 2097152],
    [1, 'TB', 976562500],
    [1, 'T', 1073741824],
    [1, 'TiB', 1073741824],
    [1, 'PiB', 1024 ** 4],
    [1, 'PB', 1e15 / 1024],
    ['64', 'MiB', 65536],
  ] as const)('%s %s = %d KiB', (value, unit, kib) => {
    expect(toKiB(value, unit)).toBe(kib);
  });

  it('refuses unknown units and bad amounts', () => {
    expect(thrown(() => toKiB(1, 'XiB')).message).toMatch(/unknown memory unit 'XiB'/);
    expect(thrown(() => toKiB(1, 'kibibytes')).code).toBe('INVALID_CONFIG');
    expect(thrown(() => toKiB('-5', 'MiB')).message).toMatch(/invalid memory amount '-5'/);
    expect(thrown(() => toKiB(Number.NaN)).message).toMatch(/invalid memory amount/);
  });
});

describe('parseSize', () => {
  it.each([
    ['10G', 10 * 1024 ** 3],
    ['10GiB', 10 * 1024 ** 3],
    ['10g', 10 * 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['512 MiB', 512 * 1024 ** 2],
    ['64K', 65536],
    ['64KiB', 65536],
    ['1T', 1024 ** 4],
    ['1TiB', 1024 ** 4],
    ['1.5G', 1.5 * 1024 ** 3],
    ['4096', 4096],
    ['4096b', 4096],
    ['1GB', 1e9],
    [' 2M ', 2 * 1024 ** 2],
  ])('%s = %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([
    ['10X', "invalid size '10X': unknown unit 'X' (use b, K, M, G or T, optionally with iB)"],
    ['-1G', "invalid size '-1G': a size cannot be negative"],
    ['0', "invalid size '0': a size must be greater than 0"],
    ['0G', "invalid size '0G': a size must be greater than 0"],
    ['', 'size is empty: give a number with a unit, e.g. 10G'],
    ['G', "invalid size 'G': give a number with a unit, e.g. 10G or 512M"],
    ['1e3M', "invalid size '1e3M': give a number with a unit, e.g. 10G or 512M"],
    ['10 GiBs', "invalid size '10 GiBs': unknown unit 'GiBs' (use b, K, M, G or T, optionally with iB)"],
  ])('refuses %j with its own message', (text, message) => {
    const e = thrown(() => parseSize(text));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toBe(message);
  });

  it('formats sizes for the UI', () => {
    expect(formatBytes(64 * 1024 ** 2)).toBe('64 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});

describe('MAC addresses', () => {
  it('accepts well-formed unicast addresses in either case', () => {
    expect(isValidMac('52:54:00:12:34:56')).toBe(true);
    expect(isValidMac('52:54:00:AB:cd:EF')).toBe(true);
  });

  it.each([
    ['zz:zz:zz:zz:zz:zz', /not of the form/],
    ['52:54:00:12:34', /not of the form/],
    ['52-54-00-12-34-56', /not of the form/],
    ['01:00:5e:00:00:01', /multicast/],
    ['ff:ff:ff:ff:ff:ff', /multicast/],
    ['00:00:00:00:00:00', /all zeros/],
  ])('refuses %s', (mac, pattern) => {
    expect(macProblem(mac)).toMatch(pattern);
  });

  it('generates 52:54:00 addresses that avoid the used ones', () => {
    const mac = generateMac([]);
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    // a fake random source that first repeats a used address
    const seq = [
      [0x12, 0x34, 0x56],
      [0x12, 0x34, 0x57],
    ];
    let i = 0;
    const random = () => Uint8Array.from(seq[i++]!);
    expect(generateMac(['52:54:00:12:34:56'], random)).toBe('52:54:00:12:34:57');
    expect(i).toBe(2);
  });
});

describe('UUIDs', () => {
  it('generates distinct valid UUIDs', () => {
    const a = generateUuid();
    expect(isValidUuid(a)).toBe(true);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(generateUuid()).not.toBe(a);
  });

  it('accepts libvirt forms and refuses others', () => {
    expect(isValidUuid('12345678-12F4-1234-1234-123456789AFA')).toBe(true);
    expect(isValidUuid('1234567812f412341234123456789afa')).toBe(true);
    expect(isValidUuid('1234')).toBe(false);
    expect(isValidUuid('12345678-12F4-1234-1234-123456789AFG')).toBe(false);
  });
});

describe('disk targets', () => {
  it('numbers targets like libvirt', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(targetSuffix)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba']);
  });

  it('finds the first free target per bus', () => {
    expect(nextFreeTarget('virtio', [])).toBe('vda');
    expect(nextFreeTarget('virtio', ['vda', 'vdb', 'sda'])).toBe('vdc');
    expect(nextFreeTarget('virtio', ['vdb'])).toBe('vda');
    expect(nextFreeTarget('sata', ['vda', 'sda'])).toBe('sdb');
    expect(nextFreeTarget('scsi', [])).toBe('sda');
    expect(nextFreeTarget('ide', ['hda', 'hdb', 'hdc'])).toBe('hdd');
    const az = Array.from({ length: 26 }, (_, i) => 'vd' + targetSuffix(i));
    expect(nextFreeTarget('virtio', az)).toBe('vdaa');
  });

  it('refuses a full bus and an unknown bus', () => {
    expect(thrown(() => nextFreeTarget('ide', ['hda', 'hdb', 'hdc', 'hdd'])).message).toBe('no free ide disk target: hda-hdd are all in use');
    expect(thrown(() => nextFreeTarget('nvme-ish', [])).message).toMatch(/unknown disk bus 'nvme-ish'/);
  });
});
