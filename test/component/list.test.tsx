import { afterEach, describe, expect, it } from 'vitest';
import { KEY, NOW, renderApp, width, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

const rowOf = (h: Harness, name: string) => h.lines().find((l) => l.slice(2).startsWith(name + ' '));

describe('domain list', () => {
  it('shows name, state with symbol, vCPUs, memory, CPU% and uptime at 80x24', async () => {
    h = await renderApp([
      { name: 'web1', state: 'running', vcpus: 2, memoryKiB: 2 * 1024 * 1024, load: 0.4, startedAt: NOW - (3 * 60 + 7) * 60_000 },
      { name: 'db1', state: 'shutoff', memoryKiB: 512 * 1024 },
      { name: 'cache', state: 'paused', startedAt: NOW - 42 * 60_000 },
      { name: 'broken', state: 'crashed' },
    ]);
    await h.refresh(); // a second stats sample gives CPU%
    const lines = h.lines();
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/kvmtui\s+4 domains, 1 running/);
    expect(lines.join('\n')).toMatch(/NAME\s+STATE\s+VCPU\s+MEMORY\s+CPU%/);
    expect(rowOf(h, 'web1')).toMatch(/web1\s+▶ running\s+2\s+2 GiB\s+\d+\.\d%.*3h07m$/);
    expect(rowOf(h, 'db1')).toMatch(/db1\s+■ shutoff\s+1\s+512 MiB\s+-\s+-$/);
    expect(rowOf(h, 'cache')).toMatch(/cache\s+‖ paused .*42m$/);
    expect(rowOf(h, 'broken')).toMatch(/broken\s+✖ crashed/);
    // the footer names the keys
    expect(lines[23]).toMatch(/s start\s+S shutdown\s+F force off/);
    expect(lines[23]).toMatch(/\? help\s+q quit$/);
  });

  it('moves the selection with j/k and the arrows', async () => {
    h = await renderApp([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect(rowOf(h, 'a')?.startsWith('>')).toBe(true);
    await h.press('j', 'j');
    expect(rowOf(h, 'c')?.startsWith('>')).toBe(true);
    expect(rowOf(h, 'a')?.startsWith('>')).toBe(false);
    await h.press(KEY.up);
    expect(rowOf(h, 'b')?.startsWith('>')).toBe(true);
    await h.press('\x1b[F');
    expect(rowOf(h, 'c')?.startsWith('>')).toBe(true);
  });

  it('scrolls a long list to keep the selection visible', async () => {
    h = await renderApp(Array.from({ length: 40 }, (_, i) => ({ name: `vm${String(i).padStart(2, '0')}` })));
    expect(h.frame()).toContain('vm00');
    await h.press('\x1b[F');
    expect(h.frame()).toContain('> vm39');
    expect(h.frame()).not.toContain('vm00');
    expect(h.lines()).toHaveLength(24);
  });

  it('shows a transient state at once and the final one after', async () => {
    h = await renderApp([{ name: 'web1' }]);
    h.driver.setLatency('start', 300);
    await h.press('s');
    expect(rowOf(h, 'web1')).toMatch(/↑ starting/);
    await h.settle(400);
    expect(rowOf(h, 'web1')).toMatch(/▶ running/);
  });

  it('lays out at 120 columns with the CPU trend column', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }], { width: 120, height: 35 });
    const lines = h.lines();
    expect(lines).toHaveLength(35);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(120);
    expect(lines.join('\n')).toMatch(/CPU%\s+CPU\s+UPTIME/);
  });

  it('redraws to a new size', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }], { width: 120, height: 35 });
    await h.resize(80, 24);
    let lines = h.lines();
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(80);
    await h.resize(60, 15);
    lines = h.lines();
    expect(lines).toHaveLength(15);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(60);
    expect(lines.join('\n')).toContain('web1');
    expect(lines[14]).toMatch(/\? help\s+q quit$/);
  });
});

describe('typed-ahead keys', () => {
  it('acts on every key of a chunk the terminal sent at once', async () => {
    h = await renderApp([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    await h.press('jj');
    expect(rowOf(h, 'c')?.startsWith('>')).toBe(true);
    await h.press('/b\r');
    expect(h.frame()).toContain('filter:b');
    expect(h.frame()).not.toMatch(/^..a /m);
  });
});

describe('small terminals', () => {
  it('keeps to the size even at 50x12 with a dialog open', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }, { name: 'db1' }], { width: 50, height: 12 });
    await h.press('j', 'F');
    const lines = h.lines();
    expect(lines).toHaveLength(12);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(50);
    expect(h.frame()).toContain('Force off web1?');
    expect(h.frame()).toContain('kvmtui destroy web1');
    expect(h.frame()).toContain('y / Enter: do it');
    expect(lines[11]).toMatch(/q quit$/);
    // narrow: the table drops columns instead of cutting them
    expect(h.frame()).toMatch(/NAME\s+STATE\s+VCPU\s+MEMORY\s+CPU%$/m);
  });
});
