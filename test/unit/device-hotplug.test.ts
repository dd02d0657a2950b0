// Hotplug details that need a scripted monitor: where a PCI device goes on q35, and how
// device_del waits for the guest.
import { describe, expect, it } from 'vitest';
import { deviceDelAndWait, hotplugPciBus } from '../../src/driver/qemu/hotplug-common.js';
import type { QmpClient, QmpEvent } from '../../src/driver/qemu/qmp-types.js';
import { QmpError } from '../../src/driver/errors.js';

function monitor(answer: (command: string, args?: Record<string, unknown>) => unknown): QmpClient & { emit(ev: QmpEvent): void; closeNow(): void } {
  const events = new Set<(ev: QmpEvent) => void>();
  const closes = new Set<(err?: Error) => void>();
  return {
    closed: false,
    async execute<T>(command: string, args?: Record<string, unknown>): Promise<T> {
      const a = answer(command, args);
      if (a instanceof Error) throw a;
      return a as T;
    },
    onEvent(l) {
      events.add(l);
      return () => events.delete(l);
    },
    onClose(l) {
      closes.add(l);
      return () => closes.delete(l);
    },
    async close() {},
    emit(ev) {
      for (const l of events) l(ev);
    },
    closeNow() {
      for (const l of closes) l();
    },
  };
}

const bridge = (id: string, devices?: unknown[]) => ({ qdev_id: id, class_info: { class: 1540 }, pci_bridge: { bus: {}, ...(devices ? { devices } : {}) } });

describe('hotplugPciBus', () => {
  it('lets QEMU choose on a pc machine', async () => {
    const c = monitor((cmd) => (cmd === 'qom-get' ? 'pc-i440fx-7.2-machine' : []));
    expect(await hotplugPciBus(c)).toBeUndefined();
  });

  it('takes the first empty pcie-root-port on q35', async () => {
    const c = monitor((cmd, args) => {
      if (cmd === 'query-pci') return [{ bus: 0, devices: [bridge('pci.1', [{ qdev_id: 'net-1' }]), bridge('bridge9'), bridge('pci.2')] }];
      if (args?.path === '/machine') return 'pc-q35-7.2-machine';
      return args?.path === '/machine/peripheral/pci.2' ? 'pcie-root-port' : 'pci-bridge';
    });
    expect(await hotplugPciBus(c)).toBe('pci.2');
  });

  it('says what to add when q35 has no free root port', async () => {
    const c = monitor((cmd, args) => {
      if (cmd === 'query-pci') return [{ bus: 0, devices: [bridge('pci.1', [{ qdev_id: 'net-1' }])] }];
      return args?.path === '/machine' ? 'pc-q35-7.2-machine' : 'pcie-root-port';
    });
    await expect(hotplugPciBus(c)).rejects.toThrow("no free PCIe root port to plug into: add <controller type='pci' model='pcie-root-port'/>");
  });
});

describe('deviceDelAndWait', () => {
  it('resolves on the DEVICE_DELETED of that device only', async () => {
    const c = monitor(() => ({}));
    let done = false;
    const p = deviceDelAndWait(c, 'disk-vdb', 'disk vdb', 2000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    c.emit({ event: 'DEVICE_DELETED', data: { path: '/machine/peripheral/disk-vdb/virtio-backend' }, time: 0 });
    c.emit({ event: 'DEVICE_DELETED', data: { device: 'disk-vdc' }, time: 0 });
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    c.emit({ event: 'DEVICE_DELETED', data: { device: 'disk-vdb' }, time: 0 });
    await p;
    expect(done).toBe(true);
  });

  it('names a device QEMU does not know', async () => {
    const c = monitor(() => new QmpError('DeviceNotFound', "Device 'disk-vdz' not found", 'device_del'));
    await expect(deviceDelAndWait(c, 'disk-vdz', 'disk vdz', 100)).rejects.toThrow('disk vdz is not in the running domain (no device disk-vdz)');
  });

  it('fails when the monitor closes while waiting', async () => {
    const c = monitor(() => ({}));
    const p = deviceDelAndWait(c, 'net-1', 'NIC 1', 2000);
    await new Promise((r) => setTimeout(r, 10));
    c.closeNow();
    await expect(p).rejects.toMatchObject({ code: 'QMP_CLOSED' });
  });
});
