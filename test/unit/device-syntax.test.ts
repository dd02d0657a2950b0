// The shared text forms: port-forward rules, sizes, virsh scope flags, equivalent CLI lines.
import { describe, expect, it } from 'vitest';
import {
  cliText,
  formatPortForward,
  parseBlockresizeSize,
  parseDiskSize,
  parsePortForward,
  scopeFromFlags,
  shellArg,
  sizeArg,
} from '../../src/driver/qemu/device-syntax.js';

describe('parsePortForward', () => {
  it.each([
    ['tcp:2222:22', { protocol: 'tcp', hostPort: 2222, guestPort: 22 }],
    ['2222:22', { protocol: 'tcp', hostPort: 2222, guestPort: 22 }],
    ['udp:127.0.0.1:5353:53', { protocol: 'udp', hostAddress: '127.0.0.1', hostPort: 5353, guestPort: 53 }],
    ['tcp::8080-:80', { protocol: 'tcp', hostPort: 8080, guestPort: 80 }],
    ['tcp:127.0.0.1:8080-10.0.2.15:80', { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestAddress: '10.0.2.15', guestPort: 80 }],
  ])('%s', (rule, want) => {
    expect(parsePortForward(rule)).toEqual(want);
  });
  it.each([
    ['', /empty port forward/],
    ['tcp:22', /expected \[tcp\|udp:\]/],
    ['icmp:1:2', /protocol must be tcp or udp/],
    ['tcp:0:22', /port 0 is out of range/],
    ['tcp:x:22', /'x' is not a port number/],
    ['tcp:host.example:22:22', /not an IP address/],
  ])('refuses %j', (rule, msg) => {
    expect(() => parsePortForward(rule)).toThrow(msg);
  });
  it('round-trips through formatPortForward', () => {
    for (const r of ['tcp:2222:22', 'udp:127.0.0.1:5353:53', 'tcp:127.0.0.1:8080-10.0.2.15:80']) {
      expect(formatPortForward(parsePortForward(r))).toBe(r);
    }
  });
});

describe('sizes', () => {
  it('reads operator sizes and virsh blockresize sizes', () => {
    expect(parseDiskSize('64M')).toBe(64 * 1024 ** 2);
    expect(parseDiskSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(() => parseDiskSize('10X')).toThrow("invalid size '10X': unknown unit 'X'");
    expect(() => parseDiskSize('-1G')).toThrow('cannot be negative');
    expect(() => parseDiskSize('0')).toThrow('greater than 0');
    expect(parseBlockresizeSize('1024')).toBe(1024 * 1024);
    expect(parseBlockresizeSize('2G')).toBe(2 * 1024 ** 3);
    expect(() => parseBlockresizeSize('0')).toThrow('greater than 0');
  });
  it('writes the shortest exact unit', () => {
    expect(sizeArg(64 * 1024 ** 2)).toBe('64M');
    expect(sizeArg(3 * 1024 ** 4)).toBe('3T');
    expect(sizeArg(1536)).toBe('1536');
  });
});

describe('scopeFromFlags (virsh rules)', () => {
  it.each([
    [{}, true, { live: true, config: false }],
    [{}, false, { live: false, config: true }],
    [{ current: true }, true, { live: true, config: false }],
    [{ persistent: true }, true, { live: true, config: true }],
    [{ persistent: true }, false, { live: false, config: true }],
    [{ live: true }, false, { live: true, config: false }],
    [{ live: true, config: true }, true, { live: true, config: true }],
    [{ config: true }, true, { live: false, config: true }],
  ])('%j running=%s', (flags, running, want) => {
    expect(scopeFromFlags(flags, running)).toEqual(want);
  });
});

describe('cliText', () => {
  it('renders the equivalent commands', () => {
    const both = { live: true, config: true };
    expect(cliText.attachDisk('vm1', { source: '', target: 'vdb', format: 'qcow2', createSizeBytes: 64 * 1024 ** 2 }, both)).toBe(
      'kvmtui attach-disk vm1 - vdb --subdriver qcow2 --size 64M --live --config',
    );
    expect(cliText.detachDisk('vm1', 'vdb', { live: false, config: true }, true)).toBe('kvmtui detach-disk vm1 vdb --config --delete-image');
    expect(cliText.blockResize('vm1', 'vdb', 2 * 1024 ** 3, true)).toBe('kvmtui blockresize vm1 vdb 2G --allow-shrink');
    expect(cliText.changeMedia('vm1', 'hdc', null, both)).toBe('kvmtui change-media vm1 hdc --eject --live --config');
    expect(cliText.changeMedia('vm1', 'hdc', '/iso/my disc.iso', both)).toBe("kvmtui change-media vm1 hdc '/iso/my disc.iso' --insert --live --config");
    expect(cliText.attachInterface('vm1', { type: 'user', model: 'virtio', portForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }] }, both)).toBe(
      'kvmtui attach-interface vm1 user --model virtio --hostfwd tcp:2222:22 --live --config',
    );
    expect(cliText.setLink('vm1', '52:54:00:12:34:56', 'down', { live: true, config: false })).toBe('kvmtui domif-setlink vm1 52:54:00:12:34:56 down --live');
    expect(cliText.addPortForward('vm1', '52:54:00:12:34:56', { protocol: 'udp', hostPort: 5353, guestPort: 53 }, both)).toBe(
      'kvmtui hostfwd-add vm1 52:54:00:12:34:56 udp:5353:53 --live --config',
    );
  });
  it('quotes only what a shell would split', () => {
    expect(shellArg('/a/b.qcow2')).toBe('/a/b.qcow2');
    expect(shellArg("it's")).toBe(`'it'\\''s'`);
  });
});
