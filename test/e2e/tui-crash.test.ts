// A crash inside the TUI (here: an unhandled rejection from a driver) gives the terminal back:
// the alternate screen is left, one line says what happened (no stack), the exit status is 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openTui } from '../../scripts/tui-pty.mjs';

const RUN_TUI = pathToFileURL(resolve(import.meta.dirname, '../../dist/ui/run-tui.js')).href;

describe('the TUI after a crash', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('restores the terminal and prints one line', async () => {
    const script = join(dir, 'crash.mjs');
    await writeFile(
      script,
      `import { runTui } from ${JSON.stringify(RUN_TUI)};
const driver = {
  uri: 'fake:///crash',
  listDomains: async () => [],
  hostStats: async () => ({ time: Date.now(), cpuBusy: 0, cpuTotal: 0, cpus: 1, memTotalKiB: 1, memAvailableKiB: 1, load: [0, 0, 0] }),
  subscribe: () => { setTimeout(() => { Promise.reject(new Error('boom in a driver')); }, 500); return () => {}; },
  close: async () => {},
};
await runTui({ drivers: [driver], interval: 1000 });
`,
    );
    const tui = openTui({ cli: script, cols: 80, rows: 24 });
    await tui.waitFor('no domains defined', 10_000);
    expect(tui.term.buffer.active.type).toBe('alternate');
    const exit = await tui.exited;
    await tui.drain();
    expect(exit.exitCode).toBe(1);
    expect(tui.term.buffer.active.type).toBe('normal');
    const text = tui.lines().filter(Boolean);
    expect(text).toEqual(['kvmtui: crashed: boom in a driver']);
  }, 30_000);
});
