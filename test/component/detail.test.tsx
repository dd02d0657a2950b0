import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

describe('detail view', () => {
  it('Enter shows memory, vCPUs, disks, NICs, serial and recent events; Esc goes back', async () => {
    h = await renderApp(
      [
        {
          name: 'web1',
          state: 'running',
          vcpus: 4,
          memoryKiB: 1024 * 1024,
          disks: [
            { type: 'file', device: 'disk', format: 'qcow2', source: '/var/lib/kvmtui/web1.qcow2', target: 'vda', bus: 'virtio', readonly: false, shareable: false },
            { type: 'file', device: 'cdrom', target: 'sda', bus: 'sata', readonly: true, shareable: false },
          ],
          interfaces: [{ type: 'user', mac: '52:54:00:aa:bb:cc', model: 'virtio', linkState: 'down', portForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }] }],
        },
      ],
      { width: 100, height: 40 },
    );
    h.driver.emit({ kind: 'qmp', name: 'web1', event: 'BLOCK_IO_ERROR', data: { device: 'vda', operation: 'write', action: 'report' }, time: Date.now() });
    await h.press(KEY.enter);
    await h.settle(50);
    const f = h.frame();
    expect(f).toMatch(/web1\s+▶ running/);
    expect(f).toMatch(/vCPUs\s+4/);
    expect(f).toMatch(/Memory\s+1 GiB max/);
    expect(f).toMatch(/Disks \(2\)/);
    expect(f).toMatch(/vda\s+virtio\s+disk\s+qcow2\s+\/var\/lib\/kvmtui\/web1\.qcow2/);
    expect(f).toMatch(/sda\s+sata\s+cdrom\s+-\s+\(empty\) \[ro\]/);
    expect(f).toMatch(/user\s+virtio\s+52:54:00:aa:bb:cc\s+link down\s+tcp 2222->22/);
    expect(f).toMatch(/Serial/);
    expect(f).toMatch(/serial0\s+pty\s+isa-serial/);
    expect(f).toMatch(/Recent events/);
    expect(f).toMatch(/BLOCK_IO_ERROR device=vda operation=write action=report/);
    // lifecycle keys work here too, on this domain
    await h.press('p');
    await h.settle(30);
    expect(h.frame()).toMatch(/web1\s+‖ paused/);
    expect(h.frame()).toMatch(/STOP/);
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('shows the driver error when details cannot be read', async () => {
    h = await renderApp([{ name: 'web1' }]);
    h.driver.fail('getDomain');
    await h.press(KEY.enter);
    await h.settle(30);
    expect(h.frame()).toContain('details: getDomain failed');
  });
});
