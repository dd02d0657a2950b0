import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ConsolePane, consolePaneContentSize } from '../../src/ui/components/console-pane.js';
import type { ConsoleSnapshot, ConsoleView, ConsoleLine } from '../../src/console/index.js';

function snap(lines: string[], extra: Partial<ConsoleSnapshot> = {}): ConsoleSnapshot {
  const rows = extra.rows ?? 5;
  const out: ConsoleLine[] = Array.from({ length: rows }, (_, i) => (lines[i] ? [{ text: lines[i] }] : []));
  return {
    name: 'web1',
    version: 1,
    cols: 38,
    rows,
    lines: out,
    status: 'connected',
    scrollOffset: 0,
    scrollbackLines: 0,
    bytesIn: 0,
    bytesSkipped: 0,
    alternateScreen: false,
    ...extra,
  };
}

class FakeView implements ConsoleView {
  readonly name = 'db1';
  current: ConsoleSnapshot;
  sizes: Array<[number, number]> = [];
  private listeners = new Set<() => void>();
  constructor(s: ConsoleSnapshot) {
    this.current = s;
  }
  snapshot = () => this.current;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  resize(cols: number, rows: number) {
    this.sizes.push([cols, rows]);
  }
  push(s: ConsoleSnapshot) {
    this.current = s;
    for (const l of this.listeners) l();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('ConsolePane', () => {
  it('shows the title with the domain and how to leave, and the screen lines', () => {
    const ui = render(<ConsolePane snapshot={snap(['kvmtui-test-guest ready', '~ # '])} width={40} height={8} />);
    const frame = ui.lastFrame()!;
    const rows = frame.split('\n');
    expect(rows).toHaveLength(8);
    expect(rows[1]).toContain('web1 — serial console — Ctrl-] back');
    expect(rows[2]).toContain('kvmtui-test-guest ready');
    expect(rows[3]).toContain('~ #');
    ui.unmount();
  });

  it('takes a custom title and shows scroll, logging, search and disconnect status', () => {
    const s = snap(['x'], {
      status: 'disconnected',
      message: 'stopped',
      scrollOffset: 12,
      scrollbackLines: 300,
      loggingTo: '/tmp/web1.log',
      search: { query: 'panic', found: false },
    });
    const ui = render(<ConsolePane snapshot={s} width={100} height={6} title="web1 — F11 full size" />);
    const title = ui.lastFrame()!.split('\n')[1];
    expect(title).toContain('web1 — F11 full size');
    expect(title).toContain('/panic: not found');
    expect(title).toContain('↑12/300');
    expect(title).toContain('● logging');
    expect(title).toContain('stopped');
    ui.unmount();
  });

  it('after the last match one way, the title says so instead of "not found"', () => {
    const title = (search: { query: string; found: boolean; end?: 'prev' | 'next' }) => {
      const ui = render(<ConsolePane snapshot={snap(['x'], { search })} width={100} height={6} />);
      const t = ui.lastFrame()!.split('\n')[1];
      ui.unmount();
      return t;
    };
    expect(title({ query: 'panic', found: true, end: 'prev' })).toContain('/panic: no older match');
    expect(title({ query: 'panic', found: true, end: 'next' })).toContain('/panic: no newer match');
    expect(title({ query: 'panic', found: true, end: 'prev' })).not.toContain('not found');
    const plain = title({ query: 'panic', found: true });
    expect(plain).toContain('/panic');
    expect(plain).not.toContain('match');
  });

  it('re-renders on session updates and sizes the session to the pane', async () => {
    const view = new FakeView(snap(['first'], { name: 'db1' }));
    const ui = render(<ConsolePane session={view} width={40} height={9} />);
    expect(ui.lastFrame()).toContain('db1 — serial console');
    expect(ui.lastFrame()).toContain('first');
    await tick();
    expect(view.sizes.at(-1)).toEqual([38, 6]);
    expect(consolePaneContentSize(40, 9)).toEqual({ cols: 38, rows: 6 });
    view.push(snap(['second'], { name: 'db1', version: 2 }));
    await tick();
    expect(ui.lastFrame()).toContain('second');
    expect(ui.lastFrame()).not.toContain('first');
    ui.rerender(<ConsolePane session={view} width={50} height={12} />);
    await tick();
    expect(view.sizes.at(-1)).toEqual([48, 9]);
    ui.unmount();
  });

  it('draws exactly the given height even when the snapshot has fewer lines', () => {
    const ui = render(<ConsolePane snapshot={snap([], { rows: 2 })} width={30} height={10} />);
    expect(ui.lastFrame()!.split('\n')).toHaveLength(10);
    ui.unmount();
  });

  it('shows the scrollback mode line over the last row', () => {
    const ui = render(<ConsolePane snapshot={snap(['a', 'b', 'c', 'd', 'e'])} width={90} height={8} input={{ mode: 'scrollback', query: '' }} />);
    const rows = ui.lastFrame()!.split('\n');
    expect(rows[6]).toMatch(/SCROLLBACK .* Esc live/);
    expect(ui.lastFrame()).toContain('d');
    expect(rows.join('\n')).not.toContain('│e');
    ui.rerender(<ConsolePane snapshot={snap(['a'])} width={90} height={8} input={{ mode: 'search', query: 'oops' }} />);
    expect(ui.lastFrame()).toContain('search older: oops');
    ui.unmount();
  });

  it('filters control characters even from a hand-made snapshot', () => {
    const s = snap([]);
    s.lines[0] = [{ text: 'a\x1b]0;t\x07b\u009bc' }];
    const ui = render(<ConsolePane snapshot={s} width={30} height={6} />);
    expect(ui.lastFrame()).toContain('a]0;tbc');
    expect(ui.lastFrame()).not.toMatch(/[\x07\x1b\u009b]/);
    ui.unmount();
  });
});
