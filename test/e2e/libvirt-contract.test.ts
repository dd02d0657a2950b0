// The Driver contract (test/helpers/driver-contract.ts) against a real libvirtd (private, started
// for this file) and, as the reference it must agree with, the local QEMU driver.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driverContract } from '../helpers/driver-contract.js';
import { startPrivateLibvirtd } from '../helpers/libvirtd.js';
import { createLibvirtDriver } from '../../src/driver/libvirt/libvirt-driver.js';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';

driverContract({
  label: 'libvirt driver (private libvirtd)',
  async setup() {
    const daemon = await startPrivateLibvirtd();
    return { driver: createLibvirtDriver({ uri: daemon.uri }), teardown: () => daemon.stop() };
  },
});

driverContract({
  label: 'local QEMU driver (reference)',
  async setup() {
    const home = await mkdtemp(join(tmpdir(), 'kvmtui-test-'));
    const driver = createLocalDriver({ home, persistentMonitors: true });
    return {
      driver,
      async teardown() {
        // anything still running (a failed test) goes first
        for (const d of await driver.listDomains().catch(() => [])) {
          if (d.state !== 'shutoff') await driver.destroy(d.name).catch(() => {});
        }
        await rm(home, { recursive: true, force: true });
      },
    };
  },
});
