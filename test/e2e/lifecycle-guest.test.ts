// Issue 2, point 6: the real test guest under real QEMU (TCG), driven through the real CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { requireGuest, GUEST_BANNER } from '../helpers/guest.js';
import { guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';
import { SerialClient, waitFor, waitForLog } from '../helpers/serial.js';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';

interface Listed {
  name: string;
  state: string;
  reason?: string;
  message?: string;
  pid?: number;
}

async function listAll(home: string): Promise<Listed[]> {
  const r = await kvmtui(home, ['list', '--all', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

async function stateOf(home: string, name: string): Promise<Listed | undefined> {
  return (await listAll(home)).find((d) => d.name === name);
}

async function defineGuest(home: string, name: string, mac: string): Promise<void> {
  const g = requireGuest();
  const file = join(home, `${name}.xml`);
  await writeFile(file, guestXml(name, g.kernel, g.initrd, undefined, mac));
  const r = await kvmtui(home, ['define', file]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`Domain '${name}' defined`);
}

describe('local driver with the real test guest', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('boots, answers on the serial console, suspends, resumes and shuts down through ACPI', async () => {
    await defineGuest(home, 'g1', '52:54:00:00:00:11');
    const start = await kvmtui(home, ['start', 'g1']);
    expect(start.code, start.stderr).toBe(0);
    expect((await stateOf(home, 'g1'))?.state).toBe('running');

    const driver = createLocalDriver({ home });
    try {
      const ep = await driver.consoleEndpoint('g1');
      if (ep.kind !== 'unix') throw new Error('expected a unix console');
      await waitForLog(ep.logPath!, GUEST_BANNER);
      // the runtime directory and everything in it are private to the user
      const dir = dirname(ep.socketPath);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      for (const f of await readdir(dir)) expect((await stat(join(dir, f))).mode & 0o777, f).toBe(0o600);
      expect((await stat(join(home, 'domains', 'g1.xml'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(home, 'domains'))).mode & 0o777).toBe(0o700);
      const serial = await SerialClient.open(ep.socketPath);
      try {
        const out = await serial.run('echo answer-$((6*7))', 'answer-42');
        expect(out).toContain('answer-42');
      } finally {
        serial.close();
      }
    } finally {
      await driver.close();
    }

    const stats = await kvmtui(home, ['domstats', 'g1', '--json', '--interval', '0.5']);
    expect(stats.code, stats.stderr).toBe(0);
    const js = JSON.parse(stats.stdout);
    expect(js.state).toBe('running');
    expect(js.cpu.processNs).toBeGreaterThan(0);
    expect(js.memory.balloonKiB).toBe(128 * 1024);
    expect(js.rates.intervalMs).toBeGreaterThan(0);
    expect(js.rates.cpu.processPct).toBeGreaterThanOrEqual(0);
    const text = await kvmtui(home, ['domstats', 'g1', '--interval', '0']);
    expect(text.stdout).toMatch(/^Domain: 'g1'\n  state.state=running\n  cpu.time=\d+/);

    expect((await kvmtui(home, ['suspend', 'g1'])).code).toBe(0);
    expect((await stateOf(home, 'g1'))?.state).toBe('paused');
    expect((await kvmtui(home, ['resume', 'g1'])).code).toBe(0);
    expect((await stateOf(home, 'g1'))?.state).toBe('running');

    const sd = await kvmtui(home, ['shutdown', 'g1']);
    expect(sd.code, sd.stderr).toBe(0);
    const off = await waitFor('g1 shutoff', async () => {
      const d = await stateOf(home, 'g1');
      return d?.state === 'shutoff' ? d : undefined;
    }, 30_000);
    expect(off.reason).toBe('shutdown');
  }, 180_000);

  it('destroys a running domain, and shows a killed QEMU as crashed, not running', async () => {
    await defineGuest(home, 'g2', '52:54:00:00:00:12');
    expect((await kvmtui(home, ['start', 'g2'])).code).toBe(0);
    const d = await kvmtui(home, ['destroy', 'g2']);
    expect(d.code, d.stderr).toBe(0);
    expect((await stateOf(home, 'g2'))?.state).toBe('shutoff');

    expect((await kvmtui(home, ['start', 'g2'])).code).toBe(0);
    const running = await stateOf(home, 'g2');
    expect(running?.state).toBe('running');
    process.kill(running!.pid!, 'SIGKILL');
    const crashed = await waitFor('g2 crashed', async () => {
      const s = await stateOf(home, 'g2');
      return s?.state === 'crashed' ? s : undefined;
    }, 10_000);
    expect(crashed.message).toMatch(/died unexpectedly/);
    // still crashed for a later process, until the operator acts
    expect((await stateOf(home, 'g2'))?.state).toBe('crashed');
    expect((await kvmtui(home, ['destroy', 'g2'])).code).toBe(0);
    expect((await stateOf(home, 'g2'))?.state).toBe('shutoff');
  }, 120_000);

  it('a new kvmtui process re-attaches to a domain left running and shuts it down', async () => {
    await defineGuest(home, 'g3', '52:54:00:00:00:13');
    // one driver instance (as a TUI would) starts it and goes away without stopping it
    const first = createLocalDriver({ home, persistentMonitors: true });
    await first.start('g3');
    await first.close();
    const ep = await createLocalDriver({ home }).consoleEndpoint('g3');
    if (ep.kind === 'unix') await waitForLog(ep.logPath!, GUEST_BANNER);
    // a separate process finds it and shuts it down through ACPI
    expect((await stateOf(home, 'g3'))?.state).toBe('running');
    expect((await kvmtui(home, ['shutdown', 'g3'])).code).toBe(0);
    await waitFor('g3 shutoff', async () => (await stateOf(home, 'g3'))?.state === 'shutoff', 30_000);
  }, 120_000);

  it('TUIs holding monitors never block the CLI or one another', async () => {
    await defineGuest(home, 'g4', '52:54:00:00:00:14');
    expect((await kvmtui(home, ['start', 'g4'])).code).toBe(0);
    // four long-lived clients: three take the monitor sockets, the fourth falls back to short-lived ones
    const tuis = Array.from({ length: 4 }, () => createLocalDriver({ home, persistentMonitors: true }));
    try {
      for (const t of tuis) {
        const d = (await t.listDomains()).find((x) => x.name === 'g4');
        expect(d?.state).toBe('running');
        await new Promise((r) => setTimeout(r, 300)); // let its monitor attach
      }
      const events: string[] = [];
      tuis[0].subscribe((e) => {
        if (e.kind === 'qmp' && e.name === 'g4') events.push(e.event);
      });
      const t0 = Date.now();
      const r = await kvmtui(home, ['suspend', 'g4']);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000); // the shared socket was free: no greeting wait
      for (const t of tuis) expect((await t.listDomains()).find((x) => x.name === 'g4')?.state).toBe('paused');
      await waitFor('STOP event on a held monitor', async () => events.includes('STOP'), 5000);
      expect((await kvmtui(home, ['destroy', 'g4'])).code).toBe(0);
    } finally {
      await Promise.all(tuis.map((t) => t.close()));
    }
  }, 60_000);

  it('a hung QEMU does not hold up the list of the others', async () => {
    await defineGuest(home, 'h1', '52:54:00:00:00:21');
    await defineGuest(home, 'h2', '52:54:00:00:00:22');
    expect((await kvmtui(home, ['start', 'h1'])).code).toBe(0);
    expect((await kvmtui(home, ['start', 'h2'])).code).toBe(0);
    const pid = (await stateOf(home, 'h1'))!.pid!;
    process.kill(pid, 'SIGSTOP');
    const driver = createLocalDriver({ home, statusTimeoutMs: 1000 });
    try {
      const t0 = Date.now();
      const list = await driver.listDomains();
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(list.find((d) => d.name === 'h2')?.state).toBe('running');
      expect(list.find((d) => d.name === 'h1')?.message).toMatch(/not answering/);
    } finally {
      process.kill(pid, 'SIGCONT');
      await driver.close();
    }
    expect((await kvmtui(home, ['destroy', 'h1'])).code).toBe(0);
    expect((await kvmtui(home, ['destroy', 'h2'])).code).toBe(0);
  }, 60_000);
});
