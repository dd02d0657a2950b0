import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

describe('domain tools in the app', () => {
  it('g opens the graphs of the selected domain, lifecycle keys still act, Esc goes back', async () => {
    h = await renderApp([{ name: 'web1', state: 'running', load: 0.5 }], { width: 100, height: 30 });
    await h.refresh();
    await h.press('g');
    expect(h.frame()).toMatch(/CPU of/);
    expect(h.frame()).toMatch(/memory/);
    expect(h.lines()).toHaveLength(30);
    await h.press('p');
    await h.settle(30);
    expect(h.driver.callCount('suspend', 'web1')).toBe(1);
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('graphs show the time axis from the first sample, from the poll interval', async () => {
    // the harness polls every 60 s; after the first sample no interval has been measured yet
    h = await renderApp([{ name: 'web1', state: 'running', load: 0.5 }], { width: 100, height: 30 });
    const entry = [...h.store.getState().domains.values()][0]!;
    expect(entry.history?.version).toBeGreaterThan(0);
    expect(entry.rates?.intervalMs ?? 0).toBe(0);
    await h.press('g');
    // one sample per dot column at 60 s a sample: the axis reaches back hours
    expect(h.frame()).toMatch(/time axis: ~\d+h \d+m ago → now/);
  });

  it('g on a domain that never ran says so', async () => {
    h = await renderApp([{ name: 'db1' }]);
    await h.press('g');
    expect(h.frame()).toContain('db1: no figures yet');
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('d opens the disks editor, which takes the keys until Esc; back to where it was opened', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }], { width: 100, height: 30 });
    await h.press(KEY.enter); // detail first
    await h.press('d');
    await h.settle(50);
    expect(h.frame()).toMatch(/TARGET\s+BUS\s+DEVICE/);
    expect(h.frame()).toContain('/var/lib/kvmtui/web1.qcow2');
    // keys belong to the editor: q does not quit from here
    await h.press('q');
    expect(h.store.getState().quitRequested).toBe(false);
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/Recent events|General/);
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('n opens the NICs editor; Esc returns to the list', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }], { width: 100, height: 30 });
    await h.press('n');
    await h.settle(50);
    expect(h.frame()).toMatch(/TYPE\s+MODEL\s+MAC/);
    expect(h.frame()).toContain('52:54:00:12:34:56');
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });
});
