import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

const rowOf = (h: Harness, name: string) => h.lines().find((l) => l.slice(2).startsWith(name + ' '));

describe('confirmation', () => {
  it('F asks first, shows the equivalent kvmtui command, and n cancels', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }]);
    await h.press('F');
    const f = h.frame();
    expect(f).toContain('Force off web1?');
    expect(f).toContain('web1: cut the power at once: unsaved guest data is lost');
    expect(f).toContain('kvmtui destroy web1');
    expect(f).toMatch(/y \/ Enter: do it\s+n \/ Esc: cancel/);
    expect(h.lines()).toHaveLength(24);
    await h.press('n');
    expect(h.frame()).not.toContain('Force off web1?');
    expect(h.frame()).toContain('force off: cancelled');
    expect(h.driver.callCount('destroy')).toBe(0);
    expect(rowOf(h, 'web1')).toMatch(/▶ running/);
  });

  it('y runs it', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }]);
    await h.press('R');
    expect(h.frame()).toContain('kvmtui reset web1');
    await h.press(KEY.esc);
    expect(h.driver.callCount('reset')).toBe(0);
    await h.press('F', 'y');
    await h.settle(30);
    expect(h.driver.callCount('destroy', 'web1')).toBe(1);
    expect(rowOf(h, 'web1')).toMatch(/■ shutoff/);
    expect(h.frame()).toContain('forced off web1');
  });

  it('a non-destructive key on one domain acts without asking', async () => {
    h = await renderApp([{ name: 'web1' }]);
    await h.press('s');
    await h.settle(30);
    expect(h.frame()).not.toContain('Equivalent command');
    expect(h.driver.callCount('start', 'web1')).toBe(1);
  });
});
