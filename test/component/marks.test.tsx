import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

const rowOf = (h: Harness, name: string) => h.lines().find((l) => l.slice(2).startsWith(name + ' '));

describe('marks and bulk actions', () => {
  it('Space marks, and a lifecycle key acts on all marked domains after one confirmation', async () => {
    h = await renderApp([{ name: 'a', state: 'running' }, { name: 'b', state: 'running' }, { name: 'c', state: 'running' }]);
    await h.press(KEY.space, KEY.space); // marks a, then b (Space moves down)
    expect(rowOf(h, 'a')?.slice(0, 2)).toBe(' *');
    expect(rowOf(h, 'b')?.slice(0, 2)).toBe(' *');
    expect(rowOf(h, 'c')?.slice(0, 2)).toBe('> ');
    expect(h.frame()).toContain('2 marked: lifecycle keys act on all of them');
    await h.press('S');
    const f = h.frame();
    expect(f).toContain('Shutdown 2 domains?');
    expect(f).toContain('Equivalent commands:');
    expect(f).toContain('kvmtui shutdown a');
    expect(f).toContain('kvmtui shutdown b');
    expect(f).not.toContain('kvmtui shutdown c');
    expect(h.driver.callCount('shutdown')).toBe(0);
    await h.press('y');
    await h.settle(50);
    expect(h.driver.callCount('shutdown', 'a')).toBe(1);
    expect(h.driver.callCount('shutdown', 'b')).toBe(1);
    expect(h.driver.callCount('shutdown', 'c')).toBe(0);
    expect(rowOf(h, 'a')).toMatch(/■ shutoff/);
    expect(rowOf(h, 'c')).toMatch(/▶ running/);
    // the marks are used up
    expect(rowOf(h, 'a')?.slice(0, 2)).toBe('  ');
  });

  it('Space again unmarks; Esc clears all marks', async () => {
    h = await renderApp([{ name: 'a' }, { name: 'b' }]);
    await h.press(KEY.space, 'k', KEY.space);
    expect(rowOf(h, 'a')?.[1]).toBe(' ');
    await h.press('*');
    expect(h.frame()).toContain('2 marked');
    await h.press(KEY.esc);
    expect(h.frame()).not.toContain('marked');
  });

  it('p resumes the marked paused domains when the others are shut off (they are skipped)', async () => {
    h = await renderApp([{ name: 'a', state: 'paused' }, { name: 'b', state: 'shutoff' }]);
    await h.press(KEY.space, KEY.space);
    await h.press('p');
    const f = h.frame();
    expect(f).toContain('kvmtui resume a');
    expect(f).toMatch(/b: skipped/);
    await h.press('y');
    await h.settle(50);
    expect(h.driver.callCount('resume', 'a')).toBe(1);
    expect(rowOf(h, 'a')).toMatch(/▶ running/);
  });

  it('p pauses when one marked domain runs and another is paused', async () => {
    h = await renderApp([{ name: 'a', state: 'paused' }, { name: 'b', state: 'running' }]);
    await h.press(KEY.space, KEY.space, 'p');
    expect(h.frame()).toContain('kvmtui suspend b');
  });
});
