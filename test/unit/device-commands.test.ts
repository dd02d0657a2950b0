// The device verbs of the scripting CLI on a real local driver (shut-off domain, temp
// KVMTUI_HOME): flag parsing, scope rules, the size and rule syntax, and refusals that leave the
// XML byte-identical.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceCommands } from '../../src/cli/device-commands.js';
import type { CliContext } from '../../src/cli/command.js';
import { parseArgs } from '../../src/cli/args.js';
import { createLocalDriver, type LocalDriver } from '../../src/driver/qemu/local-driver.js';
import { imageInfo } from '../../src/driver/qemu/images.js';

const MAC = '52:54:00:12:34:56';
let dir: string;
let home: string;
let driver: LocalDriver;
let out: string;
let base: string;

function xml(): string {
  return `<domain type="qemu">
  <name>vm1</name>
  <uuid>6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b</uuid>
  <memory unit="MiB">64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch="x86_64" machine="pc">hvm</type>
  </os>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source file="${base}"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <disk type="file" device="cdrom">
      <driver name="qemu" type="raw"/>
      <target dev="hdc" bus="ide"/>
      <readonly/>
    </disk>
    <interface type="user">
      <mac address="${MAC}"/>
      <model type="virtio"/>
    </interface>
  </devices>
</domain>
`;
}

async function cli(...argv: string[]): Promise<string> {
  const cmd = deviceCommands.find((c) => c.verb === argv[0]);
  if (!cmd) throw new Error(`no verb ${argv[0]}`);
  const ctx: CliContext = { home, driver: () => driver, out: (t) => (out += t) };
  out = '';
  await cmd.run(ctx, parseArgs(argv.slice(1), cmd.flags ?? {}));
  return out;
}

const xmlPath = () => join(home, 'domains', 'vm1.xml');
const xmlNow = () => readFileSync(xmlPath(), 'utf8');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kt-cli-'));
  home = join(dir, 'home');
  base = join(dir, 'base.qcow2');
  writeFileSync(base, '');
  driver = createLocalDriver({ home });
  await driver.defineXml(xml());
});

afterEach(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('refusals leave the XML byte-identical', () => {
  const cases: Array<[string[], RegExp]> = [
    [['attach-disk', 'vm1', '-', 'vdb', '--size', '10X'], /invalid size '10X': unknown unit 'X'/],
    [['attach-disk', 'vm1', '-', 'vdb', '--size', '-5G'], /cannot be negative/],
    [['attach-disk', 'vm1', '-', 'vdb', '--size', '0'], /greater than 0/],
    [['attach-disk', 'vm1', '-', 'vdb', '--size', '900T'], /is more than the .* free on the filesystem/],
    [['attach-disk', 'vm1', '-', 'vdb'], /needs --size/],
    [['attach-disk', 'vm1', 'BASE', 'vda'], /target 'vda' is already used/],
    [['attach-disk', 'vm1', 'DIR', 'vdb'], /is a directory, not a disk image/],
    [['attach-disk', 'vm1', 'DIR/missing.img', 'vdb'], /missing\.img: no such file/],
    [['attach-disk', 'vm1', 'BASE', 'vdb', '--type', 'floppy'], /--type floppy: use disk or cdrom/],
    [['attach-disk', 'vm1', 'BASE', 'vdb', '--live'], /not running: only the config/],
    [['attach-interface', 'vm1', 'user', '--mac', 'zz:zz:zz:zz:zz:zz'], /'zz:zz:zz:zz:zz:zz' is not of the form/],
    [['attach-interface', 'vm1', 'user', '--mac', '03:00:00:00:00:01'], /multicast/],
    [['attach-interface', 'vm1', 'user', '--hostfwd', 'tcp:70000:22'], /port 70000 is out of range/],
    [['attach-interface', 'vm1', 'bridge', 'nosuchbr0'], /bridge 'nosuchbr0' does not exist on this host/],
    [['attach-interface', 'vm1', 'bridge'], /needs SOURCE, the bridge name/],
    [['detach-disk', 'vm1', 'vdz'], /no disk with target 'vdz'/],
    [['blockresize', 'vm1', 'vda', '10X'], /invalid size '10X'/],
    [['change-media', 'vm1', 'vda', 'BASE'], /vda is a disk, not a CD-ROM/],
    [['domif-setlink', 'vm1', MAC, 'sideways'], /link state must be up or down/],
    [['detach-interface', 'vm1', 'bridge'], /has no interface of type bridge/],
    [['hostfwd-add', 'vm1', MAC, 'sctp:1:2'], /protocol must be tcp or udp/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const before = xmlNow();
      const args = argv.map((a) => a.replace('BASE', base).replace('DIR', dir));
      await expect(cli(...args)).rejects.toThrow(message);
      expect(xmlNow()).toBe(before);
      expect(existsSync(join(home, 'images'))).toBe(false);
    });
  }
});

describe('changes on a shut-off domain go to the config', () => {
  it('attach-disk --size creates the image under KVMTUI_HOME/images', async () => {
    expect(await cli('attach-disk', 'vm1', '-', 'vdb', '--size', '64M')).toBe('Disk attached successfully (config only)\n');
    const img = join(home, 'images', 'vm1-vdb.qcow2');
    expect((await imageInfo(img)).virtualSizeBytes).toBe(64 * 1024 * 1024);
    expect(xmlNow()).toContain(`<source file="${img}"/>`);
    expect(await cli('domblklist', 'vm1')).toMatch(new RegExp(`vdb\\s+${img}`));
    // offline resize through qemu-img: virsh's bare number is KiB
    await cli('blockresize', 'vm1', 'vdb', String(128 * 1024));
    expect((await imageInfo(img)).virtualSizeBytes).toBe(128 * 1024 * 1024);
    await expect(cli('blockresize', 'vm1', img, '32M')).rejects.toThrow(/shrinking vdb from 128 MiB to 32 MiB/);
    await cli('blockresize', 'vm1', img, '32M', '--allow-shrink');
    expect((await imageInfo(img)).virtualSizeBytes).toBe(32 * 1024 * 1024);
    expect(await cli('detach-disk', 'vm1', 'vdb', '--delete-image')).toBe('Disk detached successfully (config only)\n');
    expect(existsSync(img)).toBe(false);
    expect(xmlNow()).not.toContain('vdb');
  });

  it('change-media inserts and ejects', async () => {
    const iso = join(dir, 'x.iso');
    writeFileSync(iso, '');
    expect(await cli('change-media', 'vm1', 'hdc', iso, '--insert')).toBe('Successfully inserted media (config only)\n');
    expect(xmlNow()).toContain(`<source file="${iso}"/>`);
    expect(await cli('change-media', 'vm1', 'hdc', '--eject', '--config')).toBe('Successfully ejected media (config only)\n');
    expect(xmlNow()).not.toContain('x.iso');
  });

  it('attach-interface user with forwards, domif-setlink, hostfwd-remove, detach-interface', async () => {
    const text = await cli('attach-interface', 'vm1', 'user', '--model', 'e1000e', '--hostfwd', 'tcp:2222:22,udp:127.0.0.1:5353:53', '--persistent');
    const mac = /MAC (\S+)/.exec(text)![1];
    expect(mac).toMatch(/^52:54:00:/);
    const list = await cli('domiflist', 'vm1');
    expect(list).toContain('tcp:2222:22,udp:127.0.0.1:5353:53');
    expect(list).toMatch(new RegExp(`e1000e\\s+${mac}\\s+up`));
    await cli('domif-setlink', 'vm1', mac, 'down');
    expect(await cli('domiflist', 'vm1')).toMatch(new RegExp(`${mac}\\s+down`));
    await cli('hostfwd-remove', 'vm1', mac, 'tcp:2222');
    expect(await cli('domiflist', 'vm1')).not.toContain('tcp:2222:22');
    await expect(cli('detach-interface', 'vm1', 'user')).rejects.toThrow('has 2 interfaces of type user: choose one with --mac');
    await cli('detach-interface', 'vm1', 'user', '--mac', mac);
    expect(xmlNow()).not.toContain(mac);
  });

  it('--current cannot be mixed with other scope flags', async () => {
    await expect(cli('domif-setlink', 'vm1', MAC, 'down', '--current', '--live')).rejects.toThrow('--current cannot be combined');
  });
});
