// The host-side checks of device-validate.ts: sizes, paths, bridges, tap privilege.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkBridge,
  checkBridgeHelper,
  checkFreeSpace,
  checkNewImagePath,
  checkSizeBytes,
  checkSourcePath,
  checkTapPrivilege,
  realHostProbe,
  type HostProbe,
} from '../../src/driver/qemu/device-validate.js';

let dir: string;
let probe: HostProbe & { admin: boolean };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-val-'));
  probe = { admin: false, freeBytes: async () => 1024 ** 3, sysNetDir: join(dir, 'net'), canAdminNet: async () => probe.admin, uid: () => 1000 };
  mkdirSync(join(dir, 'net', 'br0', 'bridge'), { recursive: true });
  mkdirSync(join(dir, 'net', 'tap1'), { recursive: true });
  writeFileSync(join(dir, 'net', 'tap1', 'owner'), '1000\n');
  mkdirSync(join(dir, 'net', 'tap2'), { recursive: true });
  writeFileSync(join(dir, 'net', 'tap2', 'owner'), '0\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sizes', () => {
  it.each([
    [-5, /cannot be negative/],
    [0, /greater than 0/],
    [Number.NaN, /not a number/],
    [2.5, /not a whole number/],
  ])('%s bytes is refused', (n, msg) => {
    expect(() => checkSizeBytes(n)).toThrow(msg);
  });
  it('accepts a positive whole size', () => {
    expect(() => checkSizeBytes(64 * 1024 * 1024)).not.toThrow();
  });
  it('compares against the free space of the right directory', async () => {
    const seen: string[] = [];
    const p: HostProbe = { ...probe, freeBytes: async (d) => (seen.push(d), 1000) };
    await expect(checkFreeSpace(p, join(dir, 'x.qcow2'), 2000)).rejects.toThrow(`2 KiB is more than the 1000 B free on the filesystem holding ${dir}`);
    expect(seen).toEqual([dir]);
    await expect(checkFreeSpace(p, join(dir, 'x.qcow2'), 999)).resolves.toBeUndefined();
  });
  it('the real probe reads statfs', async () => {
    expect(await realHostProbe.freeBytes(dir)).toBeGreaterThan(0);
  });
});

describe('paths', () => {
  it('tells files, block devices, directories and missing paths apart', async () => {
    writeFileSync(join(dir, 'img'), 'x');
    await expect(checkSourcePath(join(dir, 'img'))).resolves.toBe('file');
    await expect(checkSourcePath(dir)).rejects.toThrow(`${dir} is a directory, not a disk image`);
    await expect(checkSourcePath(join(dir, 'gone'))).rejects.toMatchObject({ code: 'FILE_MISSING' });
    await expect(checkSourcePath('')).rejects.toThrow('no image path given');
  });
  it('a new image needs an existing directory and a free name', async () => {
    writeFileSync(join(dir, 'img'), 'x');
    await expect(checkNewImagePath(join(dir, 'new.qcow2'))).resolves.toBeUndefined();
    await expect(checkNewImagePath(join(dir, 'img'))).rejects.toThrow('already exists');
    await expect(checkNewImagePath(join(dir, 'nodir', 'a.qcow2'))).rejects.toThrow('no such directory');
  });
});

describe('host networking', () => {
  it('a bridge must exist as a bridge', async () => {
    await expect(checkBridge(probe, 'br0')).resolves.toBeUndefined();
    await expect(checkBridge(probe, 'br9')).rejects.toThrow("bridge 'br9' does not exist on this host (no /sys/class/net/br9/bridge)");
    await expect(checkBridge(probe, 'tap1')).rejects.toThrow("host interface 'tap1' is not a bridge");
    await expect(checkBridge(probe, '../etc')).rejects.toThrow('invalid bridge name');
  });
  it('a tap needs CAP_NET_ADMIN unless it exists and is ours', async () => {
    await expect(checkTapPrivilege(probe, 'tap1')).resolves.toBeUndefined();
    await expect(checkTapPrivilege(probe, 'tap2')).rejects.toThrow("tap device 'tap2' belongs to uid 0");
    await expect(checkTapPrivilege(probe, 'tap3')).rejects.toThrow(/creating tap device 'tap3' needs CAP_NET_ADMIN.*ip tuntap add dev tap3 mode tap user 1000/);
    probe.admin = true;
    await expect(checkTapPrivilege(probe, 'tap3')).resolves.toBeUndefined();
  });
  it('the bridge helper must be setuid without privilege', async () => {
    const helper = join(dir, 'helper');
    writeFileSync(helper, '');
    chmodSync(helper, 0o755);
    await expect(checkBridgeHelper(probe, helper)).rejects.toThrow('setuid root');
    await expect(checkBridgeHelper(probe, join(dir, 'none'))).rejects.toThrow('not installed');
    probe.admin = true;
    await expect(checkBridgeHelper(probe, join(dir, 'none'))).resolves.toBeUndefined();
  });
});
