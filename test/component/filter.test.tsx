import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

const names = (h: Harness) =>
  h
    .lines()
    .slice(3, -2)
    .map((l) => l.slice(2).split(/\s+/)[0])
    .filter((n) => n && n !== 'no');

describe('filter', () => {
  it('filters while typing, keeps the filter on Enter and clears it on Esc', async () => {
    h = await renderApp([{ name: 'web1' }, { name: 'web2', state: 'running' }, { name: 'db1' }]);
    await h.press('/', 'w', 'e');
    expect(names(h)).toEqual(['web1', 'web2']);
    expect(h.lines()[22]).toMatch(/^\/we/);
    await h.press('b', '2');
    expect(names(h)).toEqual(['web2']);
    await h.press(KEY.enter);
    expect(names(h)).toEqual(['web2']);
    expect(h.lines()[0]).toContain('filter:web2');
    // with the filter kept, keys act on the list again
    await h.press('/');
    await h.press(KEY.esc);
    expect(names(h)).toEqual(['db1', 'web1', 'web2']);
  });

  it('matches states too, and says when nothing matches', async () => {
    h = await renderApp([{ name: 'web1' }, { name: 'web2', state: 'running' }]);
    await h.press('/', ...'running');
    expect(names(h)).toEqual(['web2']);
    await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'zzz');
    expect(h.frame()).toContain('no domain matches "zzz"');
  });
});
