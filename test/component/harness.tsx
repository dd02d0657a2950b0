// Renders the whole app at a pinned size over a FakeDriver, with helpers to press keys and
// read the frame. Real timers: the poller interval is long, tests refresh explicitly.
import { render } from 'ink-testing-library';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { App } from '../../src/ui/app.js';
import type { EditXml } from '../../src/store/xml-edit.js';
import type { ConsoleDeps } from '../../src/ui/console-context.js';
import type { Theme } from '../../src/ui/theme.js';
import { FakeDriver, type FakeDomainInit } from '../helpers/fake-driver.js';

export const NOW = Date.parse('2025-03-01T12:00:00Z');

export interface Harness {
  driver: FakeDriver;
  store: AppStore;
  frame(): string;
  lines(): string[];
  press(...keys: string[]): Promise<void>;
  settle(ms?: number): Promise<void>;
  /** ask the drivers again and wait for the answer */
  refresh(): Promise<void>;
  /** render again at another size, as a terminal resize does */
  resize(width: number, height: number): Promise<void>;
  unmount(): void;
  /** Ink's stdin stand-in (tests check that Ink lets go of it) */
  stdin: NodeJS.EventEmitter;
}

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  tab: '\t',
  backspace: '\x7f',
  space: ' ',
} as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function renderApp(
  domains: FakeDomainInit[],
  opts: { width?: number; height?: number; theme?: Theme; driver?: FakeDriver; drivers?: FakeDriver[]; consoles?: ConsoleDeps; editXml?: EditXml } = {},
): Promise<Harness> {
  // several connections: `drivers` (the harness's `driver` is the first)
  const driver = opts.drivers?.[0] ?? opts.driver ?? new FakeDriver(domains);
  const store = createAppStore({ drivers: opts.drivers ?? [driver], interval: 60_000, editXml: opts.editXml });
  store.getState().actions.start();
  for (let i = 0; i < 50 && store.getState().domains.size === 0 && driver.callCount('listDomains') > 0; i++) await sleep(5);
  await sleep(30); // first stats answers
  const now = () => NOW;
  const r = render(<App store={store} consoles={opts.consoles} width={opts.width ?? 80} height={opts.height ?? 24} theme={opts.theme} now={now} />);
  const frame = () => r.lastFrame() ?? '';
  const h: Harness = {
    driver,
    store,
    stdin: r.stdin,
    frame,
    lines: () => frame().split('\n'),
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(k);
        await sleep(15);
      }
      await sleep(10);
    },
    settle: (ms = 40) => sleep(ms),
    async refresh() {
      store.getState().actions.refresh();
      await sleep(80);
    },
    async resize(w, hgt) {
      r.rerender(<App store={store} consoles={opts.consoles} width={w} height={hgt} theme={opts.theme} now={now} />);
      await sleep(20);
    },
    unmount() {
      store.getState().actions.stop();
      r.unmount();
    },
  };
  return h;
}

/** Visible width of a frame line (no colour codes in tests; every glyph used is one column). */
export function width(line: string): number {
  // eslint-disable-next-line no-control-regex
  return [...line.replace(/\x1b\[[0-9;]*m/g, '')].length;
}
