#!/usr/bin/env node
// Console pane under a flood: how many bytes per second a console session ingests while the
// pane keeps rendering (Ink, the real ConsolePane), how long the event loop stalls (a stall is
// how long a key waits), and the RSS at the end. Build first: it imports ../dist/.
//
//   node scripts/bench-console.mjs [--seconds N] [--no-guest]
//
// Phases:
//   fake-yes, fake-random  a stand-in for QEMU's serial chardev (unix socket + logfile) in a
//                          worker thread, writing "y" lines / random bytes at up to 20 MB/s
//   guest-yes, guest-urandom  the real test guest under QEMU (TCG) running `yes` and
//                          `cat /dev/urandom` on its serial console (skipped if not built)
import { Worker } from 'node:worker_threads';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

// React's development build is several times slower; measure what an operator runs
process.env.NODE_ENV ??= 'production';
const { default: React } = await import('react');
const { render } = await import('ink-testing-library');
const { createConsoleSession } = await import('../dist/console/index.js');
const { ConsolePane } = await import('../dist/ui/components/console-pane.js');

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 4;
const useGuest = !args.includes('--no-guest');
const COLS = 120;
const ROWS = 40;

const mb = (n) => (n / 1024 / 1024).toFixed(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Max and p99 delay of a 10 ms timer: how long a key press could wait for the UI. */
function lagMeter() {
  const lags = [];
  let last = performance.now();
  const t = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - last - 10));
    last = now;
  }, 10);
  return () => {
    clearInterval(t);
    lags.sort((a, b) => a - b);
    return { max: lags.at(-1) ?? 0, p99: lags[Math.floor(lags.length * 0.99)] ?? 0 };
  };
}

/** Open a session on the endpoint and render it in the real pane while `flood` runs. */
async function measure(name, endpoint, flood) {
  const session = createConsoleSession({ name, getEndpoint: async () => endpoint, cols: COLS, rows: ROWS, reconnectMs: 0 });
  await session.open();
  const ui = render(React.createElement(ConsolePane, { session, width: COLS + 2, height: ROWS + 3 }));
  const before = (await session.settle()).bytesIn;
  const stopLag = lagMeter();
  const t0 = performance.now();
  await flood(session);
  const elapsed = (performance.now() - t0) / 1000;
  const lag = stopLag();
  const snap = session.snapshot();
  const frames = ui.frames.length;
  ui.unmount();
  await session.close();
  const ingested = snap.bytesIn - before;
  return {
    phase: name,
    'ingested MB/s': mb(ingested / elapsed),
    'skipped MB': mb(snap.bytesSkipped),
    'frames/s': (frames / elapsed).toFixed(1),
    'max stall ms': lag.max.toFixed(1),
    'p99 stall ms': lag.p99.toFixed(1),
    'RSS MB': mb(process.memoryUsage().rss),
  };
}

// ---- fake chardev in a worker: writes to the socket (if a client is attached) and the log -----
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { socketPath, logPath, kind, rateBytes } = workerData;
let client = null;
const server = net.createServer((s) => { client = s; s.on('error', () => {}); s.on('data', () => {}); });
server.listen(socketPath, () => parentPort.postMessage('listening'));
const fd = fs.openSync(logPath, 'a');
const chunk = kind === 'yes' ? Buffer.from('y\\r\\n'.repeat(21845)) : crypto.randomBytes(65536);
let running = false;
parentPort.on('message', (m) => {
  if (m === 'start') { running = true; tick(); }
  if (m === 'stop') { running = false; client?.destroy(); server.close(); fs.closeSync(fd); parentPort.postMessage('stopped'); }
});
// paced at rateBytes per second, in 10 ms slices
function tick() {
  if (!running) return;
  const t = Date.now();
  let budget = rateBytes / 100;
  while (budget > 0) {
    const part = kind === 'yes' ? chunk : crypto.randomBytes(65536);
    if (client && client.writableLength < 4 * 1024 * 1024) client.write(part);
    fs.writeSync(fd, part);
    budget -= part.length;
  }
  setTimeout(tick, Math.max(0, 10 - (Date.now() - t)));
}
`;

async function fakePhase(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-'));
  const socketPath = join(dir, 's.sock');
  const logPath = join(dir, 'console.log');
  const worker = new Worker(WORKER, { eval: true, workerData: { socketPath, logPath, kind, rateBytes: 20 * 1024 * 1024 } });
  const message = (m) => new Promise((resolve) => worker.on('message', (x) => x === m && resolve()));
  await message('listening');
  try {
    return await measure(`fake-${kind}`, { kind: 'unix', socketPath, logPath }, async () => {
      worker.postMessage('start');
      await sleep(seconds * 1000);
      worker.postMessage('stop');
      await message('stopped');
    });
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the real test guest -------------------------------------------------------------------------
function guestFiles() {
  const dir = process.env.KVMTUI_GUEST_DIR || join(homedir(), '.cache', 'kvmtui', 'guest');
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.gz');
  return existsSync(kernel) && existsSync(initrd) ? { kernel, initrd } : null;
}

async function waitForText(path, text, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(path) && readFileSync(path, 'latin1').includes(text)) return;
    await sleep(200);
  }
  throw new Error(`"${text}" did not appear in ${path}`);
}

async function guestPhases() {
  const guest = guestFiles();
  if (!guest) {
    console.log('test guest not built (npm run guest): guest phases skipped');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kt-'));
  const socketPath = join(dir, 's.sock');
  const logPath = join(dir, 'console.log');
  const qemu = spawn(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg', '-m', '128', '-display', 'none', '-nodefaults', '-no-user-config',
      '-chardev', `socket,id=s0,path=${socketPath},server=on,wait=off,logfile=${logPath},logappend=on`,
      '-serial', 'chardev:s0', '-kernel', guest.kernel, '-initrd', guest.initrd, '-append', 'console=ttyS0',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => qemu.once('exit', r));
  const results = [];
  try {
    await waitForText(logPath, 'kvmtui-test-guest ready', 120_000);
    await waitForText(logPath, '# ', 30_000);
    const endpoint = { kind: 'unix', socketPath, logPath };
    for (const [name, command] of [['guest-yes', 'yes'], ['guest-urandom', 'cat /dev/urandom']]) {
      results.push(
        await measure(name, endpoint, async (session) => {
          session.write(`${command}\r`);
          await sleep(seconds * 1000);
          session.write('\x03'); // Ctrl-C: the key reaches the guest through the flood
          await sleep(500);
          session.write('\x03\rstty sane; echo done\r');
          await sleep(1000);
        }),
      );
    }
  } finally {
    qemu.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const rows = [];
rows.push(await fakePhase('yes'));
rows.push(await fakePhase('random'));
if (useGuest) rows.push(...(await guestPhases()));
console.table(rows);
console.log(
  `pane ${COLS}x${ROWS}, scrollback 10000, ${seconds} s per phase. "stall" = longest event-loop delay of a 10 ms timer ` +
    '(how long a key could wait); fake phases write at most 20 MB/s, more than the emulator takes, so the session skips ahead.',
);
