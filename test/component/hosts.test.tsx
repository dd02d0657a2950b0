// Several connections in one list: the HOST column says which host (a word, not the URI), and
// the host summary shows every host when there is room, else the selected domain's host.
import { afterEach, describe, expect, it } from 'vitest';
import type { HostStats } from '../../src/driver/driver.js';
import { FakeDriver, type FakeDomainInit } from '../helpers/fake-driver.js';
import { renderApp, width, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

/** A fake host with its own memory size, so its summary line can be told apart. */
class SizedHost extends FakeDriver {
  constructor(
    domains: FakeDomainInit[],
    uri: string,
    private readonly memTotalKiB: number,
  ) {
    super(domains, uri);
  }
  override async hostStats(): Promise<HostStats> {
    return { ...(await super.hostStats()), memTotalKiB: this.memTotalKiB };
  }
}

function twoHosts(): FakeDriver[] {
  return [
    new SizedHost([{ name: 'web1', state: 'running' }], 'qemu+local:///tmp/kt-home', 2 * 1024 * 1024),
    new SizedHost([{ name: 'db1', state: 'running' }], 'test:///default', 8 * 1024 * 1024),
  ];
}

const rowOf = (h: Harness, name: string) => h.lines().find((l) => l.slice(2).startsWith(name + ' '));

describe('several connections', () => {
  it('the HOST column names each host by its label', async () => {
    h = await renderApp([], { drivers: twoHosts() });
    await h.refresh();
    expect(h.frame()).toMatch(/NAME\s+HOST\s+STATE/);
    expect(rowOf(h, 'web1')).toMatch(/^..web1\s+local\s+▶ running/);
    expect(rowOf(h, 'db1')).toMatch(/^..db1\s+test\s+▶ running/);
    expect(h.frame()).not.toContain('/default');
  });

  it('at 80x24 shows one host line per connection, each with its label and its own figures', async () => {
    h = await renderApp([], { drivers: twoHosts() });
    await h.refresh();
    const lines = h.lines();
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^ local\s+CPU .* mem .* \/ 2 GiB/);
    expect(lines[2]).toMatch(/^ test\s+CPU .* mem .* \/ 8 GiB/);
    expect(lines[3]).toMatch(/NAME\s+HOST\s+STATE/);
  });

  it('without room for every host line, shows the selected domain\'s host and follows the selection', async () => {
    h = await renderApp([], { drivers: twoHosts(), width: 80, height: 10 });
    await h.refresh();
    const hostLine = () => h!.lines()[1];
    // sorted by name: db1 (on test) is selected first
    expect(rowOf(h, 'db1')).toMatch(/^>/);
    expect(hostLine()).toMatch(/^ test\s+CPU .* \/ 8 GiB/);
    expect(h.lines()[2]).toMatch(/NAME\s+HOST\s+STATE/);
    expect(h.lines()).toHaveLength(10);
    await h.press('j');
    expect(rowOf(h, 'web1')).toMatch(/^>/);
    expect(hostLine()).toMatch(/^ local\s+CPU .* \/ 2 GiB/);
    await h.press('k');
    expect(hostLine()).toMatch(/^ test\s+CPU/);
  });

  it('one connection keeps the plain "host" line and no HOST column', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }]);
    await h.refresh();
    expect(h.lines()[1]).toMatch(/^ host\s+CPU/);
    expect(h.frame()).not.toMatch(/NAME\s+HOST/);
  });
});
