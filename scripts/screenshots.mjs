#!/usr/bin/env node
// npm run screenshots: drives the real TUI (node dist/cli.js, a real pty, @xterm/headless as the
// terminal) against the demo domain at 120x35 and writes the list, detail, help, confirmation,
// graphs and console screens to screenshots/ as text (.txt) and as images (.svg).
//
// Uses its own KVMTUI_HOME with the demo guest (scripts/demo-domain.mjs): "demo" running,
// "demo-spare" shut off; everything it starts is destroyed at the end.
// Needs `npm run build` (npm run screenshots does) and the test guest (`npm run guest`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, openTui } from './tui-pty.mjs';
import { screenToSvg } from './screen-svg.mjs';

const COLS = 120;
const ROWS = 35;
const OUT = join(ROOT, 'screenshots');

if (!existsSync(CLI)) {
  console.error('screenshots: dist/ is missing; run `npm run build` first (npm run screenshots does)');
  process.exit(1);
}
const guest = process.env.KVMTUI_GUEST_DIR ?? join(homedir(), '.cache/kvmtui/guest');
if (!existsSync(join(guest, 'vmlinuz'))) {
  console.error(`screenshots: the test guest is missing in ${guest}; run \`npm run guest\` first`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'kt-shots-'));
const env = { ...process.env, KVMTUI_HOME: home };
const kvmtui = (...args) => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const names = ['demo', 'demo-spare'];
let tui;

function cleanup() {
  tui?.kill();
  for (const n of names) {
    try {
      kvmtui('destroy', n);
    } catch {
      // not running
    }
  }
  // a QEMU left running would outlive its KVMTUI_HOME: say so loudly rather than lose track of it
  try {
    const still = kvmtui('list').split('\n').filter((l) => names.some((n) => new RegExp(`\\b${n}\\b`).test(l)));
    if (still.length) {
      console.error(`screenshots: still running after destroy (KVMTUI_HOME ${home} kept):\n${still.join('\n')}`);
      process.exitCode = 1;
      return;
    }
  } catch (e) {
    console.error(`screenshots: could not check that the demo domains stopped: ${e instanceof Error ? e.message : String(e)}`);
  }
  rmSync(home, { recursive: true, force: true });
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    cleanup();
    process.exit(code);
  });
}

async function waitForBanner(name) {
  // the guest prints its banner when ready; the console log is where the driver keeps it
  const until = Date.now() + 90_000;
  const { createLocalDriver } = await import(join(ROOT, 'dist/driver/qemu/local-driver.js'));
  const driver = createLocalDriver({ home });
  try {
    const ep = await driver.consoleEndpoint(name);
    while (Date.now() < until) {
      if (ep.kind === 'unix' && ep.logPath && existsSync(ep.logPath) && readFileSync(ep.logPath, 'utf8').includes('kvmtui-test-guest ready')) return;
      await sleep(300);
    }
    throw new Error(`${name} did not print its banner`);
  } finally {
    await driver.close();
  }
}

async function shot(name, title) {
  await sleep(300);
  await tui.drain();
  const text = tui.lines().join('\n').replace(/\s+$/, '') + '\n';
  writeFileSync(join(OUT, `${name}.txt`), text);
  writeFileSync(join(OUT, `${name}.svg`), screenToSvg(tui.term, { title }));
  console.log(`screenshots/${name}.txt, screenshots/${name}.svg`);
}

try {
  mkdirSync(OUT, { recursive: true });
  const macs = { demo: '52:54:00:de:00:01', 'demo-spare': '52:54:00:de:00:02' };
  for (const n of names) {
    const img = join(home, `${n}.qcow2`);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', img, '64M']);
    const xml = execFileSync(process.execPath, [join(ROOT, 'scripts/demo-domain.mjs'), n, join(guest, 'vmlinuz'), join(guest, 'initrd.gz'), img, macs[n]], {
      encoding: 'utf8',
    });
    writeFileSync(join(home, `${n}.xml`), xml);
    kvmtui('define', join(home, `${n}.xml`));
  }
  kvmtui('start', 'demo');
  await waitForBanner('demo');

  tui = openTui({ args: ['--interval', '1'], env: { KVMTUI_HOME: home }, cols: COLS, rows: ROWS });
  await tui.waitFor((t) => /demo\s+▶ running/.test(t), 30_000);
  // let the CPU trend column fill
  await sleep(14_000);
  await shot('list', 'kvmtui — domain list');

  tui.write('\r');
  await tui.waitFor('Recent events', 10_000);
  await shot('detail', 'kvmtui — detail view (Enter)');
  tui.write('\x1b');
  await tui.waitFor(/NAME\s+STATE/);

  tui.write('?');
  // the key list fills the first page; the commands follow further down
  await tui.waitFor('Keys  (Esc or ? closes', 10_000);
  await shot('help', 'kvmtui — help (?)');
  tui.write('\x1b');
  await tui.waitFor(/NAME\s+STATE/);

  tui.write('F');
  await tui.waitFor('Equivalent command', 10_000);
  await shot('confirm', 'kvmtui — confirmation (F: force off)');
  tui.write('n');
  await tui.waitFor('cancelled');

  tui.write('g');
  await tui.waitFor('CPU of', 10_000);
  await shot('graphs', 'kvmtui — graphs (g)');
  tui.write('\x1b');
  await tui.waitFor(/NAME\s+STATE/);

  tui.write('c');
  await tui.waitFor('serial console', 10_000);
  await tui.waitFor('kvmtui-test-guest ready', 10_000);
  tui.write('uname -sr\r');
  await tui.waitFor(/Linux \d/, 10_000);
  await shot('console', 'kvmtui — serial console pane (c)');
  tui.write('\x1d');

  tui.write('q');
  await Promise.race([tui.exited, sleep(10_000)]);
} catch (e) {
  console.error(`screenshots: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
