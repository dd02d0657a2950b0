import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

const names = (h: Harness) =>
  h
    .lines()
    .slice(3, -2)
    .map((l) => l.slice(2).split(/\s+/)[0])
    .filter(Boolean);

describe('command line', () => {
  it(':sort mem puts the biggest first; :sort name goes back', async () => {
    h = await renderApp([{ name: 'a', memoryKiB: 1024 }, { name: 'b', memoryKiB: 4096 }, { name: 'c', memoryKiB: 2048 }]);
    await h.press(':', ...'sort mem', KEY.enter);
    expect(names(h)).toEqual(['b', 'c', 'a']);
    expect(h.lines()[0]).toContain('sort:mem');
    await h.press(':', ...'sort name', KEY.enter);
    expect(names(h)).toEqual(['a', 'b', 'c']);
  });

  it(':start NAME acts on that domain; Tab completes', async () => {
    h = await renderApp([{ name: 'alpha' }, { name: 'webserver' }]);
    await h.press(':', ...'sta', KEY.tab);
    expect(h.lines()[22]).toMatch(/^:start /);
    await h.press(...'web', KEY.tab);
    expect(h.lines()[22]).toMatch(/^:start webserver /);
    await h.press(KEY.enter);
    await h.settle(30);
    expect(h.driver.callCount('start', 'webserver')).toBe(1);
    expect(h.driver.callCount('start', 'alpha')).toBe(0);
  });

  it('reports an unknown command and bad arguments', async () => {
    h = await renderApp([{ name: 'a' }]);
    await h.press(':', ...'frobnicate', KEY.enter);
    expect(h.lines()[22]).toBe('✖ :frobnicate: unknown command (? lists them)');
    await h.press(':', ...'sort size', KEY.enter);
    expect(h.lines()[22]).toBe('✖ sort: expected one of name, state, cpu, mem, disk, net, vcpus, uptime');
  });

  it(':q quits', async () => {
    h = await renderApp([{ name: 'a', state: 'running' }]);
    await h.press(':', 'q', KEY.enter);
    expect(h.store.getState().quitRequested).toBe(true);
    expect(h.driver.callCount('shutdown')).toBe(0);
  });
});
