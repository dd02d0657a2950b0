#!/usr/bin/env node
// Stats sampling cost: starts N paused QEMUs (TCG, 32 MiB, -S: they answer QMP without running
// a guest), each with a balloon, a virtio disk and a user NIC like a real domain, then prints
//   - the QMP round-trip floor (query-status, mean / p50 / p99), measured in the same run,
//   - the wall time of one full stats cycle over all N domains (sample + rates + history),
//   - the CPU seconds that sampling costs per wall second when polled every second.
// Uses the compiled code in dist/ (npm run bench builds first). Every QEMU it starts is killed
// at the end, also on error or Ctrl-C.
//
// Environment: BENCH_STATS_N="1,10,50"  BENCH_STATS_SECONDS=10  BENCH_STATS_INTERVAL_MS=1000
//              BENCH_DIST (another build of dist/)  QEMU (the emulator binary)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.BENCH_DIST ?? join(here, '..', 'dist');
if (!existsSync(join(dist, 'driver/qemu/stats.js'))) {
  console.error('bench-stats: dist/ is missing; run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { connectQmp } = await import(join(dist, 'driver/qemu/qmp-client.js'));
const { sampleDomainStats } = await import(join(dist, 'driver/qemu/stats.js'));
const { sampleHostStats } = await import(join(dist, 'driver/host-stats.js'));
const { computeRates, computeHostRates } = await import(join(dist, 'store/rates.js'));
const { appendRates, emptyHistory } = await import(join(dist, 'store/history.js'));

const COUNTS = (process.env.BENCH_STATS_N ?? '1,10,50').split(',').map(Number).filter((n) => n > 0);
const SECONDS = Number(process.env.BENCH_STATS_SECONDS ?? 10);
const INTERVAL_MS = Number(process.env.BENCH_STATS_INTERVAL_MS ?? 1000);
const QEMU = process.env.QEMU ?? 'qemu-system-x86_64';

/** every QEMU child this script started, so cleanup can always find them */
const children = new Set();
const dir = mkdtempSync(join(tmpdir(), 'kt-bs-'));

function cleanup() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startQemu(i) {
  const sock = join(dir, `q${i}.sock`);
  const args = [
    '-accel', 'tcg', '-m', '32', '-S', '-display', 'none', '-nodefaults', '-no-user-config',
    '-name', `bench${i}`,
    '-qmp', `unix:${sock},server=on,wait=off`,
    '-device', 'virtio-balloon-pci,id=balloon0',
    '-blockdev', 'driver=null-co,node-name=drive-vda,size=16777216',
    '-device', 'virtio-blk-pci,drive=drive-vda,id=disk-vda',
    '-netdev', 'user,id=hostnet0',
    '-device', `virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:be:00:${(i % 256).toString(16).padStart(2, '0')}`,
  ];
  const child = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  children.add(child);
  child.on('exit', () => children.delete(child));
  return { i, sock, child, stderr: () => stderr };
}

async function connectWhenReady(q, deadline) {
  for (;;) {
    if (q.child.exitCode !== null) throw new Error(`QEMU ${q.i} exited: ${q.stderr().trim().split('\n').pop()}`);
    if (existsSync(q.sock)) {
      try {
        return await connectQmp(q.sock);
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
    if (Date.now() > deadline) throw new Error(`QEMU ${q.i}: no QMP socket after 60 s`);
    await sleep(50);
  }
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { mean, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}

const ms = (n) => `${n.toFixed(2)} ms`;

async function benchOne(n) {
  const qemus = Array.from({ length: n }, (_, i) => startQemu(i));
  const deadline = Date.now() + 60_000;
  const clients = await Promise.all(qemus.map((q) => connectWhenReady(q, deadline)));
  try {
    const domains = qemus.map((q, k) => ({
      qmp: clients[k],
      ctx: {
        name: `bench${q.i}`,
        pid: q.child.pid,
        vcpus: 1,
        memoryKiB: 32768,
        disks: [{ target: 'vda', nodeName: 'drive-vda', qdevId: 'disk-vda' }],
        nics: [{ mac: `52:54:00:be:00:${(q.i % 256).toString(16).padStart(2, '0')}`, type: 'user' }],
        state: 'paused',
      },
    }));

    // QMP round-trip floor: sequential query-status, spread over the monitors
    const rtts = [];
    const rounds = Math.max(200, 5 * n);
    for (let k = 0; k < rounds; k++) {
      const c = clients[k % n];
      const t = process.hrtime.bigint();
      await c.execute('query-status');
      rtts.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const rtt = stats(rtts);

    // one poller state, as the store keeps it: the previous sample and history per domain
    const prev = new Map();
    const history = new Map();
    let prevHost;
    const cycle = async () => {
      const [samples, host] = await Promise.all([
        Promise.all(domains.map((d) => sampleDomainStats(d.qmp, d.ctx))),
        sampleHostStats(),
      ]);
      for (const s of samples) {
        const r = computeRates(prev.get(s.name), s);
        prev.set(s.name, s);
        history.set(s.name, appendRates(history.get(s.name) ?? emptyHistory(), r));
      }
      computeHostRates(prevHost, host);
      prevHost = host;
      return samples;
    };

    // warm-up: the first cycle probes each balloon once; check the figures are real
    const first = await cycle();
    await cycle();
    const bad = first.filter((s) => !s.cpu || s.disks.length !== 1 || s.memory?.balloonKiB === undefined);
    if (bad.length > 0) throw new Error(`incomplete samples for ${bad.map((s) => s.name).join(', ')}`);

    const walls = [];
    for (let k = 0; k < 20; k++) {
      const t = process.hrtime.bigint();
      await cycle();
      walls.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const wall = stats(walls);

    // a poller at a fixed interval, skipping a tick while a cycle still runs
    let running = false;
    let cycles = 0;
    let skipped = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const tick = () => {
        if (running) {
          skipped++;
          return;
        }
        running = true;
        cycle()
          .then(() => cycles++, reject)
          .finally(() => (running = false));
      };
      tick();
      const timer = setInterval(tick, INTERVAL_MS);
      setTimeout(() => {
        clearInterval(timer);
        const wait = () => (running ? setTimeout(wait, 5) : resolve());
        wait();
      }, SECONDS * 1000);
    });
    const wallSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(cpu0);
    const cpuPerSec = (used.user + used.system) / 1e6 / wallSec;

    console.log(`N=${n}`);
    console.log(`  QMP round trip (query-status, ${rtts.length} sequential): mean ${ms(rtt.mean)}  p50 ${ms(rtt.p50)}  p99 ${ms(rtt.p99)}`);
    console.log(`  one stats cycle over ${n} domain${n > 1 ? 's' : ''} (20 cycles): mean ${ms(wall.mean)}  p99 ${ms(wall.p99)}  max ${ms(wall.max)}`);
    console.log(
      `  polling every ${INTERVAL_MS} ms for ${wallSec.toFixed(1)} s: ${cycles} cycles, ${skipped} skipped, ` +
        `${cpuPerSec.toFixed(4)} CPU s per wall s (${(cpuPerSec * 100).toFixed(2)}% of one core)`,
    );
    return { n, rtt, wall, cpuPerSec };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    for (const q of qemus) q.child.kill('SIGKILL');
    await Promise.all(
      qemus.map((q) => (q.child.exitCode !== null || q.child.signalCode !== null ? null : new Promise((r) => q.child.once('exit', r)))),
    );
  }
}

console.log(`stats sampling bench: ${QEMU}, TCG, -m 32 -S, a balloon, a virtio disk and a user NIC per domain`);
try {
  for (const n of COUNTS) await benchOne(n);
} catch (e) {
  console.error(`bench-stats: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
