import { afterEach, describe, expect, it } from 'vitest';
import { BINDINGS, keyLabel } from '../../src/ui/keys.js';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

describe('help overlay', () => {
  it('lists every binding of the key table, and why a key cannot act now', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }], { width: 160, height: 50 });
    await h.press('?');
    const f = h.frame();
    for (const b of BINDINGS) {
      const line = f.split('\n').find((l) => l.includes(b.description));
      expect(line, b.id).toBeDefined();
      expect(line).toContain(b.keys.map(keyLabel).join(' '));
      if (b.destructive) expect(line).toContain('(asks first)');
    }
    expect(f).toContain('now: start: web1 already running');
    expect(f).toContain(':sort'.slice(1)); // the commands section
    expect(f).toMatch(/sort FIELD +sort the list by name, state, cpu/);
    await h.press(KEY.esc);
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('scrolls at 80x24 and closes with ?', async () => {
    h = await renderApp([{ name: 'web1' }]);
    await h.press('?');
    expect(h.lines()).toHaveLength(24);
    expect(h.frame()).toContain('Keys');
    await h.press(...Array(40).fill('j'));
    expect(h.frame()).toContain('States');
    expect(h.frame()).not.toMatch(/^Keys/m);
    await h.press('?');
    expect(h.frame()).toMatch(/NAME\s+STATE/);
  });

  it('a key that cannot act says why in the status line', async () => {
    h = await renderApp([{ name: 'web1', state: 'running' }]);
    await h.press('s');
    expect(h.lines()[22]).toBe('✖ start: web1 already running');
    await h.press('p', 'p');
    expect(h.driver.callCount('suspend')).toBe(1);
    expect(h.driver.callCount('resume')).toBe(1);
    await h.press(KEY.esc);
    await h.press('k');
    expect(h.driver.callCount('start')).toBe(0);
  });
});
