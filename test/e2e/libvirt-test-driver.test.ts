// The libvirt driver against libvirt's built-in test driver (test:///default: no daemon, a fresh
// fake host per virsh process with one running domain, 'test'), through the real virsh: the
// batched list, the XML, stats, errors and the console command as virsh really prints them.
import { describe, expect, it } from 'vitest';
import { createDriver } from '../../src/driver/connect.js';
import { createLibvirtDriver } from '../../src/driver/libvirt/libvirt-driver.js';
import { isKvmtuiError } from '../../src/driver/errors.js';

const URI = 'test:///default';

describe('libvirt driver on test:///default', () => {
  it('lists the test domain with its facts from one batched virsh call and its XML', async () => {
    const d = createDriver(URI, { home: '/nonexistent' });
    const list = await d.listDomains();
    expect(list).toEqual([
      {
        connection: URI,
        name: 'test',
        uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
        state: 'running',
        type: 'test',
        vcpus: 2,
        memoryKiB: 8388608,
        currentMemoryKiB: 2097152,
        persistent: true,
        autostart: false,
      },
    ]);
    const g = await d.getDomain('test');
    expect(g.config).toMatchObject({ name: 'test', type: 'test', vcpus: 2 });
    expect(g.xml).toContain("<domain type='test'>");
    expect(await d.dumpXml('test')).toBe(g.xml);
    await d.close();
  });

  it('samples stats and the host, and names the console command', async () => {
    const d = createLibvirtDriver({ uri: URI });
    const s = await d.stats('test');
    expect(s).toMatchObject({ name: 'test', state: 'running' });
    expect(s.nics.map((n) => n.mac)).toEqual(['aa:bb:cc:dd:ee:ff']);
    const h = await d.hostStats(); // a local URI: this machine's /proc
    expect(h.cpus).toBeGreaterThan(0);
    expect(Number.isFinite(h.load[0])).toBe(true);
    expect(await d.consoleEndpoint('test')).toEqual({ kind: 'command', file: 'virsh', args: ['-c', URI, 'console', '--force', '--domain', 'test'] });
  });

  it('turns virsh failures into typed one-line errors', async () => {
    const d = createLibvirtDriver({ uri: URI });
    const missing = await d.getDomain('nosuch').catch((e: unknown) => e);
    expect(isKvmtuiError(missing, 'NO_DOMAIN')).toBe(true);
    expect((missing as Error).message).toBe("failed to get domain 'nosuch'");
    // each virsh process sees a fresh fake host where 'test' runs
    await expect(d.start('test')).rejects.toMatchObject({ code: 'INVALID_STATE', message: "domain 'test' is already running" });
    await expect(d.resume('test')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const down = createLibvirtDriver({ uri: 'qemu:///system?socket=/nonexistent/kt/libvirt-sock' });
    await expect(down.listDomains()).rejects.toMatchObject({ code: 'EXEC_FAILED', message: expect.stringMatching(/^cannot reach qemu:\/\/\/system.*failed to connect/) });
  });
});
