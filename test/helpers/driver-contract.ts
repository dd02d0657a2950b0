// What every Driver must do the same way, whatever runs underneath: the checks registered by
// driverContract() run against the local QEMU driver (the reference) and the libvirt driver, each
// with the real tiny test guest. States, error codes and shapes must agree; messages may differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, DriverEvent, DomainSummary } from '../../src/driver/driver.js';
import { isKvmtuiError, type ErrorCode } from '../../src/driver/errors.js';
import { GUEST_MEMORY_MB, requireGuest } from './guest.js';
import { guestXml } from './cli.js';
import { waitFor } from './serial.js';

export interface ContractTarget {
  /** shown in the test names */
  label: string;
  /** a fresh driver on an empty connection, and how to tear everything down afterwards */
  setup(): Promise<{ driver: Driver; teardown(): Promise<void> }>;
}

async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const e = await p.then(
    () => new Error('expected a failure, got success'),
    (x: unknown) => x,
  );
  expect(isKvmtuiError(e) ? e.code : e).toBe(code);
  // one line for the status bar, never a stack
  expect((e as Error).message).not.toContain('\n');
}

async function find(d: Driver, name: string): Promise<DomainSummary | undefined> {
  return (await d.listDomains()).find((x) => x.name === name);
}

export function driverContract(t: ContractTarget): void {
  describe(`Driver contract: ${t.label}`, () => {
    let driver: Driver;
    let teardown: () => Promise<void>;
    const events: DriverEvent[] = [];
    let unsubscribe: () => void = () => {};

    beforeAll(async () => {
      ({ driver, teardown } = await t.setup());
      unsubscribe = driver.subscribe((e) => events.push(e));
    });
    afterAll(async () => {
      unsubscribe();
      await driver?.close();
      await teardown?.();
    });

    function xml(name: string, mac: string): string {
      const g = requireGuest();
      return guestXml(name, g.kernel, g.initrd, undefined, mac);
    }

    it('defines a domain, lists it shut off with its facts, and shows its XML', async () => {
      const s = await driver.defineXml(xml('ct-a', '52:54:00:c0:00:01'));
      expect(s).toMatchObject({
        connection: driver.uri,
        name: 'ct-a',
        state: 'shutoff',
        type: 'qemu',
        vcpus: 1,
        memoryKiB: GUEST_MEMORY_MB * 1024,
        currentMemoryKiB: GUEST_MEMORY_MB * 1024,
        persistent: true,
        autostart: false,
        title: 'kvmtui demo guest',
      });
      expect(s.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(await find(driver, 'ct-a')).toEqual(s);
      const d = await driver.getDomain('ct-a');
      expect(d.config.name).toBe('ct-a');
      expect(d.config.uuid).toBe(s.uuid);
      expect(d.xml).toContain('<name>ct-a</name>');
      expect(await driver.dumpXml('ct-a')).toContain(`<uuid>${s.uuid}</uuid>`);
      // define again without a UUID replaces the domain and keeps its UUID
      const again = await driver.defineXml(xml('ct-a', '52:54:00:c0:00:01'));
      expect(again.uuid).toBe(s.uuid);
      expect((await driver.listDomains()).filter((x) => x.name === 'ct-a')).toHaveLength(1);
      expect(events).toContainEqual({ kind: 'defined', name: 'ct-a' });
    });

    it('refuses XML that is not a domain, and names it can not find', async () => {
      await expectCode(driver.defineXml('<domain'), 'INVALID_XML');
      await expectCode(driver.getDomain('ct-none'), 'NO_DOMAIN');
      await expectCode(driver.dumpXml('ct-none'), 'NO_DOMAIN');
      await expectCode(driver.start('ct-none'), 'NO_DOMAIN');
      await expectCode(driver.destroy('ct-none'), 'NO_DOMAIN');
      await expectCode(driver.stats('ct-none'), 'NO_DOMAIN');
    });

    it('refuses actions that need a running domain while it is shut off', async () => {
      await expectCode(driver.destroy('ct-a'), 'INVALID_STATE');
      await expectCode(driver.suspend('ct-a'), 'INVALID_STATE');
      await expectCode(driver.resume('ct-a'), 'INVALID_STATE');
      await expectCode(driver.consoleEndpoint('ct-a'), 'INVALID_STATE');
      expect((await driver.stats('ct-a')).state).toBe('shutoff');
    });

    it('starts, samples, pauses, resumes and destroys, with matching states and events', async () => {
      await driver.start('ct-a');
      expect((await find(driver, 'ct-a'))?.state).toBe('running');
      await expectCode(driver.start('ct-a'), 'INVALID_STATE');

      const sample = await waitFor('cpu time', async () => {
        const s = await driver.stats('ct-a');
        return (s.cpu?.processNs ?? 0) > 0 ? s : undefined;
      }, 20_000);
      expect(sample.name).toBe('ct-a');
      expect(sample.state).toBe('running');
      expect(sample.cpu!.vcpus).toBe(1);
      expect(sample.cpu!.perVcpuNs).toHaveLength(1);
      expect(sample.memory?.maxKiB).toBe(GUEST_MEMORY_MB * 1024);
      expect(sample.nics.map((n) => n.mac)).toEqual(['52:54:00:c0:00:01']);
      const ep = await driver.consoleEndpoint('ct-a');
      expect(['unix', 'command']).toContain(ep.kind);

      await driver.suspend('ct-a');
      expect((await find(driver, 'ct-a'))?.state).toBe('paused');
      await expectCode(driver.suspend('ct-a'), 'INVALID_STATE');
      await driver.resume('ct-a');
      expect((await find(driver, 'ct-a'))?.state).toBe('running');
      await expectCode(driver.resume('ct-a'), 'INVALID_STATE');

      await driver.destroy('ct-a');
      const off = await find(driver, 'ct-a');
      expect(off?.state).toBe('shutoff');
      expect(off?.reason).toBe('destroyed');
      await expectCode(driver.destroy('ct-a'), 'INVALID_STATE');

      const states = () => events.filter((e): e is Extract<DriverEvent, { kind: 'state' }> => e.kind === 'state' && e.name === 'ct-a').map((e) => e.state);
      await waitFor('state events', async () => states().includes('shutoff'), 5000);
      for (const s of ['starting', 'running', 'paused', 'shutoff'] as const) expect(states()).toContain(s);
    });

    it('reports the host', async () => {
      const h = await driver.hostStats();
      expect(h.cpus).toBeGreaterThan(0);
      expect(h.memTotalKiB).toBeGreaterThan(0);
      expect(h.cpuTotal).toBeGreaterThanOrEqual(h.cpuBusy);
    });

    it('undefines a shut-off domain', async () => {
      await driver.undefine('ct-a');
      expect(await find(driver, 'ct-a')).toBeUndefined();
      await expectCode(driver.getDomain('ct-a'), 'NO_DOMAIN');
      await waitFor('undefined event', async () => events.some((e) => e.kind === 'undefined' && e.name === 'ct-a'), 5000);
    });
  });
}
