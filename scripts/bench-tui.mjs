#!/usr/bin/env node
// TUI output cost: runs the built TUI (`node dist/cli.js --interval 1`) in a real pty at 120x35
// against a demo KVMTUI_HOME (the test guest defined twice, one running) and prints the bytes
// written to the terminal per second at steady state, for comparison with one full frame.
// Then the same with no domain running. Only rows whose content changed are rewritten, so the
// figure tracks what changed on screen (CPU%, the CPU trend, the host line), not the frame size.
//
// Environment: BENCH_TUI_SECONDS=10 (measured)  BENCH_TUI_WARMUP=4 (seconds before measuring)
// Needs `npm run build` (npm run bench does) and the test guest (`npm run guest`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, openTui } from './tui-pty.mjs';

const SECONDS = Number(process.env.BENCH_TUI_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_TUI_WARMUP ?? 4);
const COLS = 120;
const ROWS = 35;

if (!existsSync(CLI)) {
  console.error('bench-tui: dist/ is missing; run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const guest = process.env.KVMTUI_GUEST_DIR ?? join(homedir(), '.cache/kvmtui/guest');
if (!existsSync(join(guest, 'vmlinuz')) || !existsSync(join(guest, 'initrd.gz'))) {
  console.error(`bench-tui: the test guest is missing in ${guest}; run \`npm run guest\` first`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'kt-bt-'));
const env = { ...process.env, KVMTUI_HOME: home };
const kvmtui = (...args) => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let tui;

function cleanup() {
  tui?.kill();
  for (const name of ['demo', 'demo-spare']) {
    try {
      kvmtui('destroy', name);
    } catch {
      // not running
    }
  }
  rmSync(home, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** Bytes the TUI wrote during `seconds`, after `warmup` seconds of settling. */
async function measure(warmup, seconds) {
  await sleep(warmup * 1000);
  await tui.drain();
  const b0 = tui.bytes;
  const c0 = tui.chunks.length;
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const dt = (Date.now() - t0) / 1000;
  return { bytesPerSec: (tui.bytes - b0) / dt, writesPerSec: (tui.chunks.length - c0) / dt };
}

try {
  for (const [name, mac] of [
    ['demo', '52:54:00:be:00:01'],
    ['demo-spare', '52:54:00:be:00:02'],
  ]) {
    const xml = execFileSync(process.execPath, [join(ROOT, 'scripts/demo-domain.mjs'), name, join(guest, 'vmlinuz'), join(guest, 'initrd.gz'), '', mac], { encoding: 'utf8' });
    const file = join(home, `${name}.xml`);
    writeFileSync(file, xml);
    kvmtui('define', file);
  }
  kvmtui('start', 'demo');

  tui = openTui({ args: ['--interval', '1'], env: { KVMTUI_HOME: home }, cols: COLS, rows: ROWS });
  await tui.waitFor((t) => /demo\s+▶ running/.test(t) && /demo-spare\s+■ shutoff/.test(t), 30_000);
  await tui.drain();
  const firstFrame = tui.bytes;

  const running = await measure(WARMUP, SECONDS);
  console.log(`TUI ${COLS}x${ROWS}, 1 s interval, full first frame ${firstFrame} bytes`);
  console.log(
    `  1 domain running, 1 shut off: ${running.bytesPerSec.toFixed(0)} bytes/s at steady state, ${running.writesPerSec.toFixed(1)} writes/s (${SECONDS} s measured)`,
  );

  kvmtui('destroy', 'demo');
  await tui.waitFor((t) => /demo\s+■ shutoff/.test(t), 15_000);
  const idle = await measure(WARMUP, SECONDS);
  console.log(
    `  no domain running:             ${idle.bytesPerSec.toFixed(0)} bytes/s at steady state, ${idle.writesPerSec.toFixed(1)} writes/s (${SECONDS} s measured)`,
  );

  tui.write('q');
  const exit = await Promise.race([tui.exited, sleep(10_000).then(() => null)]);
  if (!exit || exit.exitCode !== 0) throw new Error(`the TUI did not quit cleanly: ${JSON.stringify(exit)}`);
} catch (e) {
  console.error(`bench-tui: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
