import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../src/domain/document.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/virt-install-domains');
const FIXTURES = join(import.meta.dirname, '../fixtures/domains');
const fixture = (name: string) => parseDomainXml(readFileSync(join(FIXTURES, name), 'utf8')).config;

describe('typed view of tiny.xml (direct kernel boot)', () => {
  const c = fixture('tiny.xml');

  it('reads identity, memory and cpus', () => {
    expect(c.type).toBe('qemu');
    expect(c.name).toBe('tiny');
    expect(c.uuid).toBe('6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b');
    expect(c.description).toBe('Smallest direct-kernel-boot test guest');
    expect(c.title).toBeUndefined();
    expect(c.memoryKiB).toBe(65536);
    expect(c.currentMemoryKiB).toBe(65536);
    expect(c.vcpus).toBe(1);
  });

  it('reads os, features and devices', () => {
    expect(c.os).toMatchObject({
      type: 'hvm',
      arch: 'x86_64',
      machine: 'pc',
      kernel: '/var/cache/kvmtui/guest/vmlinuz',
      initrd: '/var/cache/kvmtui/guest/initrd.gz',
      cmdline: 'console=ttyS0',
      bootDevs: [],
    });
    expect(c.features).toEqual(['acpi']);
    expect(c.cpu).toBeUndefined();
    expect(c.emulator).toBe('/usr/bin/qemu-system-x86_64');
    expect(c.memballoonModel).toBe('virtio');
    expect(c.disks).toEqual([
      {
        type: 'file', device: 'disk', driverName: 'qemu', format: 'qcow2',
        source: '/var/lib/kvmtui/images/tiny.qcow2', target: 'vda', bus: 'virtio',
        readonly: false, shareable: false, bootOrder: undefined, serial: undefined, cache: undefined,
      },
    ]);
    expect(c.interfaces).toEqual([
      {
        type: 'user', mac: '52:54:00:12:34:56', model: 'virtio', source: undefined, targetDev: undefined,
        linkState: undefined, bootOrder: undefined, portForwards: [],
      },
    ]);
    expect(c.serials).toEqual([{ type: 'pty', targetType: undefined, targetPort: 0, path: undefined }]);
    expect(c.consoles).toEqual([{ type: 'pty', targetType: undefined, targetPort: undefined, path: undefined }]);
  });

  it('exposes the whole document as a generic tree', () => {
    expect(c.root.name).toBe('domain');
    expect(c.root.attrs).toEqual({ type: 'qemu' });
    expect(c.root.children.map((e) => e.name)).toEqual([
      'name', 'uuid', 'description', 'memory', 'currentMemory', 'vcpu', 'os', 'features', 'on_poweroff', 'devices',
    ]);
    expect(c.root.children.find((e) => e.name === 'on_poweroff')?.text).toBe('destroy');
  });
});

describe('typed view of foreign.xml (many details)', () => {
  const c = fixture('foreign.xml');

  it('decodes entities and converts units', () => {
    expect(c.title).toBe('Foreign & friends');
    expect(c.memoryKiB).toBe(2 * 1024 * 1024);
    // 1024 MB = 1024 * 10^6 bytes = 1,000,000 KiB
    expect(c.currentMemoryKiB).toBe(1_000_000);
    expect(c.vcpus).toBe(4);
  });

  it('reads firmware, loader, nvram, boot order and cpu', () => {
    expect(c.os.firmware).toBe('efi');
    expect(c.os.loader).toEqual({ path: '/usr/share/OVMF/OVMF_CODE.fd', readonly: true, type: 'pflash' });
    expect(c.os.nvram).toBe('/var/lib/kvmtui/nvram/foreign_VARS.fd');
    expect(c.os.bootDevs).toEqual(['cdrom', 'hd']);
    expect(c.features).toEqual(['acpi', 'apic', 'vmport']);
    expect(c.cpu).toEqual({ mode: 'custom', model: 'Skylake-Client' });
  });

  it('reads disks including an empty cdrom', () => {
    expect(c.disks[0]).toMatchObject({ format: 'raw', cache: 'none', target: 'sda', bus: 'sata', bootOrder: 2, serial: 'DISK-0001', shareable: true, readonly: false });
    expect(c.disks[1]).toMatchObject({ device: 'cdrom', source: undefined, target: 'sdb', readonly: true });
  });

  it('reads interfaces with link state and port forwards', () => {
    const [user, bridge] = c.interfaces;
    expect(user).toMatchObject({ type: 'user', mac: '52:54:00:aa:bb:cc', model: 'e1000e', linkState: 'down' });
    expect(user!.portForwards).toEqual([
      { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 },
      { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 8080 },
      { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 9000, hostPortEnd: 9010, guestPort: 9000 },
      { protocol: 'udp', hostAddress: undefined, hostPort: 5353, guestPort: 53 },
    ]);
    expect(bridge).toMatchObject({ type: 'bridge', source: 'br0', targetDev: 'vnet7', bootOrder: 1, linkState: undefined });
  });

  it('reads a unix serial and a console with a target', () => {
    expect(c.serials).toEqual([{ type: 'unix', targetType: 'isa-serial', targetPort: 0, path: '/run/kvmtui/foreign/serial.sock' }]);
    expect(c.consoles).toEqual([{ type: 'pty', targetType: 'serial', targetPort: 0, path: undefined }]);
  });
});

describe('typed view of corpus documents', () => {
  const corpus = (name: string) => parseDomainXml(readFileSync(join(CORPUS, name), 'utf8')).config;
  if (!existsSync(CORPUS)) {
    it(`reports that the corpus is absent (${CORPUS})`, () => {
      console.warn(`domain corpus typed-view test: SKIPPED, ${CORPUS} is absent`);
      expect(existsSync(CORPUS)).toBe(false);
    });
    return;
  }

  it('virt-install-singleton-config-1.xml', () => {
    const c = corpus('virt-install-singleton-config-1.xml');
    expect(c.type).toBe('kvm');
    expect(c.name).toBe('fedora');
    expect(c.uuid).toBe('12345678-12F4-1234-1234-123456789AFA');
    expect(c.description).toBe('foobar & baz');
    expect(c.memoryKiB).toBe(1048576);
    expect(c.currentMemoryKiB).toBe(524288);
    expect(c.vcpus).toBe(4);
    expect(c.os).toMatchObject({ firmware: 'efi', arch: 'x86_64', machine: 'q35', bootDevs: ['cdrom', 'fd', 'hd', 'network'] });
    expect(c.features).toEqual(['vmport']);
    expect(c.root.children.some((e) => e.name === 'metadata')).toBe(true);
  });

  it('virt-clone-clone-nvram.xml', () => {
    const c = corpus('virt-clone-clone-nvram.xml');
    expect(c.os.loader).toEqual({ path: '/usr/share/ovmf/ovmf-efi.fd', readonly: true, type: 'pflash' });
    expect(c.os.nvram).toBe('/nvram/clone-orig-clone_VARS.fakeext');
    expect(c.os.arch).toBe('i686');
    expect(c.disks).toEqual([]);
  });

  it('virt-install-memory-hotplug-part1.xml takes memory from the NUMA cells', () => {
    const c = corpus('virt-install-memory-hotplug-part1.xml');
    expect(c.memoryKiB).toBeGreaterThan(0);
  });

  it('virt-install-linux2020-part2.xml: virtio disk, bridge NIC, bare pty console', () => {
    const c = corpus('virt-install-linux2020-part2.xml');
    expect(c.disks).toEqual([expect.objectContaining({ source: '/var/lib/libvirt/images/linux2020.qcow2', target: 'vda', bus: 'virtio', device: 'disk' })]);
    expect(c.interfaces).toEqual([expect.objectContaining({ type: 'bridge', source: 'testsuitebr0' })]);
    expect(c.consoles).toEqual([{ type: 'pty', targetType: undefined, targetPort: undefined, path: undefined }]);
  });
});

describe('memory units in the document', () => {
  const withMemory = (mem: string, cur = '') =>
    parseDomainXml(`<domain type="qemu"><name>m</name>${mem}${cur}</domain>`).config;

  it.each([
    ['<memory>1024</memory>', 1024],
    ['<memory unit="b">1048576</memory>', 1024],
    ['<memory unit="bytes">1025</memory>', 2],
    ['<memory unit="KB">1024</memory>', 1000],
    ['<memory unit="k">7</memory>', 7],
    ['<memory unit="KiB">7</memory>', 7],
    ['<memory unit="MB">1</memory>', 977],
    ['<memory unit="M">3</memory>', 3072],
    ['<memory unit="MiB">3</memory>', 3072],
    ['<memory unit="GB">1</memory>', 976563],
    ['<memory unit="G">1</memory>', 1048576],
    ['<memory unit="GiB">1</memory>', 1048576],
    ['<memory unit="TB">1</memory>', 976562500],
    ['<memory unit="T">1</memory>', 1073741824],
    ['<memory unit="TiB">1</memory>', 1073741824],
  ])('%s is %d KiB', (mem, kib) => {
    expect(withMemory(mem).memoryKiB).toBe(kib);
  });

  it('currentMemory defaults to memory', () => {
    expect(withMemory('<memory unit="MiB">64</memory>').currentMemoryKiB).toBe(65536);
    expect(withMemory('<memory unit="MiB">64</memory>', '<currentMemory unit="MiB">32</currentMemory>').currentMemoryKiB).toBe(32768);
  });

  it('refuses an unknown unit with INVALID_CONFIG', () => {
    expect(() => withMemory('<memory unit="XB">1</memory>')).toThrow(/unknown memory unit 'XB'/);
    expect(() => withMemory('<memory>lots</memory>')).toThrow(/invalid memory amount 'lots'/);
  });
});
