// The QMP client against a real QEMU (no guest: -S keeps it in prelaunch, TCG, 32 MB).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectQmp } from '../../src/driver/qemu/qmp-client.js';
import type { QmpClient, QmpEvent } from '../../src/driver/qemu/qmp-types.js';
import { isKvmtuiError, KvmtuiError } from '../../src/driver/errors.js';

interface Qemu {
  proc: ChildProcess;
  sockets: string[];
  exited: Promise<number | null>;
}

const started: Qemu[] = [];
const dirs: string[] = [];
const clients: QmpClient[] = [];

function startQemu(monitors: number): Qemu {
  const dir = mkdtempSync(join(tmpdir(), 'kt-'));
  dirs.push(dir);
  const sockets = Array.from({ length: monitors }, (_, i) => join(dir, `qmp${i}.sock`));
  const args = ['-accel', 'tcg', '-m', '32', '-S', '-display', 'none', '-nodefaults', '-no-user-config'];
  for (const s of sockets) args.push('-qmp', `unix:${s},server=on,wait=off`);
  const proc = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const q = { proc, sockets, exited };
  started.push(q);
  return q;
}

/** Connect once QEMU has created the socket (it appears shortly after the process starts). */
async function connectWhenReady(path: string, timeoutMs = 15_000): Promise<QmpClient> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await connectQmp(path, { greetingTimeoutMs: 5000 });
      clients.push(c);
      return c;
    } catch (e) {
      if (!isKvmtuiError(e, 'QMP_CLOSED') || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function nextEvent(client: QmpClient, name: string, timeoutMs = 5000): Promise<QmpEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onEvent((ev) => {
      if (ev.event !== name) return;
      clearTimeout(timer);
      off();
      resolve(ev);
    });
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  for (const q of started) {
    if (q.proc.exitCode === null && q.proc.signalCode === null) q.proc.kill('SIGKILL');
    await q.exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('QMP client with a real QEMU', () => {
  let qemu: Qemu;
  beforeAll(() => {
    qemu = startQemu(2);
  });

  it('reads the greeting and reports prelaunch under -S', async () => {
    const c = await connectWhenReady(qemu.sockets[0]);
    const version = (c as { greeting?: { version?: { qemu?: { major: number } } } }).greeting?.version?.qemu?.major;
    expect(version).toBeGreaterThanOrEqual(5);
    const st = await c.execute<{ status: string; running: boolean }>('query-status');
    expect(st).toMatchObject({ status: 'prelaunch', running: false });
  });

  it('cont and stop change the run state and raise RESUME and STOP events', async () => {
    const c = await connectWhenReady(qemu.sockets[0]);
    const resumed = nextEvent(c, 'RESUME');
    await c.execute('cont');
    const ev = await resumed;
    expect(Math.abs(ev.time - Date.now())).toBeLessThan(60_000);
    expect(await c.execute('query-status')).toMatchObject({ status: 'running', running: true });
    const stopped = nextEvent(c, 'STOP');
    await c.execute('stop');
    await stopped;
    expect(await c.execute('query-status')).toMatchObject({ status: 'paused', running: false });
  });

  it('answers an unknown command with a QmpError of class CommandNotFound', async () => {
    const c = await connectWhenReady(qemu.sockets[0]);
    await expect(c.execute('no-such-command')).rejects.toMatchObject({ code: 'QMP_ERROR', qmpClass: 'CommandNotFound' });
    expect(await c.execute('query-status')).toMatchObject({ running: false });
  });

  it('serves two monitors at once: both answer and both see events', async () => {
    const a = await connectWhenReady(qemu.sockets[0]);
    const b = await connectWhenReady(qemu.sockets[1]);
    const [sa, sb] = await Promise.all([a.execute<{ status: string }>('query-status'), b.execute<{ status: string }>('query-status')]);
    expect(sa.status).toBe(sb.status);
    const seenA = nextEvent(a, 'RESUME');
    const seenB = nextEvent(b, 'RESUME');
    await b.execute('cont');
    await Promise.all([seenA, seenB]);
    const stopA = nextEvent(a, 'STOP');
    await a.execute('stop');
    await stopA;
    expect(await b.execute('query-status')).toMatchObject({ status: 'paused' });
  });

  it('a monitor held by one client gives a second client a clear busy error', async () => {
    const holder = await connectWhenReady(qemu.sockets[0]);
    const err = await connectQmp(qemu.sockets[0], { greetingTimeoutMs: 300 }).then(
      (c) => {
        clients.push(c);
        throw new Error('second client got a greeting while the monitor was held');
      },
      (e: unknown) => e,
    );
    expect(isKvmtuiError(err, 'QMP_TIMEOUT')).toBe(true);
    expect((err as Error).message).toContain('monitor busy');
    // the holder is unaffected
    expect(await holder.execute('query-status')).toMatchObject({ running: false });
  });
});

describe('QMP client when QEMU goes away', () => {
  it('quit answers, then the connection closes and later requests fail with QMP_CLOSED', async () => {
    const qemu = startQemu(1);
    const c = await connectWhenReady(qemu.sockets[0]);
    const closed = new Promise<Error | undefined>((r) => c.onClose(r));
    await c.execute('quit');
    const why = await closed;
    expect(isKvmtuiError(why, 'QMP_CLOSED')).toBe(true);
    expect(c.closed).toBe(true);
    await expect(c.execute('query-status')).rejects.toMatchObject({ code: 'QMP_CLOSED' });
    expect(await qemu.exited).toBe(0);
  });

  it('rejects every pending request with QMP_CLOSED when QEMU dies mid-request', async () => {
    const qemu = startQemu(1);
    const c = await connectWhenReady(qemu.sockets[0]);
    // A stopped process cannot answer: these stay pending until it is killed.
    qemu.proc.kill('SIGSTOP');
    const pending = [c.execute('query-status'), c.execute('query-name'), c.execute('query-version')];
    const settled = Promise.allSettled(pending);
    await new Promise((r) => setTimeout(r, 100));
    qemu.proc.kill('SIGKILL');
    const results = await settled;
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as KvmtuiError;
      expect(reason.code).toBe('QMP_CLOSED');
    }
  });
});
