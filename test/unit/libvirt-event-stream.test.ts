// LineStream (the `virsh event --loop` runner) with real child processes: lines arrive as they
// are printed, a child that ends is restarted after a delay, stop() ends the child for good.
import { afterEach, describe, expect, it } from 'vitest';
import { LineStream } from '../../src/driver/libvirt/event-stream.js';

const streams: LineStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.stop()));
});

function waitUntil(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ok()) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('LineStream', () => {
  it('delivers lines as they come, before the child ends', async () => {
    const lines: string[] = [];
    // prints one line, then another 300 ms later, then stays
    const s = new LineStream({
      file: process.execPath,
      args: ['-e', "console.log('one'); setTimeout(() => console.log('two'), 300); setInterval(() => {}, 1000)"],
      onLine: (l) => lines.push(l),
    });
    streams.push(s);
    s.start();
    await waitUntil('first line', () => lines.length >= 1);
    expect(lines).toEqual(['one']);
    await waitUntil('second line', () => lines.length >= 2);
    expect(lines).toEqual(['one', 'two']);
    expect(s.running).toBe(true);
  });

  it('restarts a child that ends, with growing delays, and reports why it ended', async () => {
    const exits: { exitCode?: number; stderr: string; restartInMs?: number }[] = [];
    const starts: boolean[] = [];
    const s = new LineStream({
      file: process.execPath,
      args: ['-e', "console.error('error: Disconnected from qemu:///system due to end of file'); process.exit(1)"],
      onLine: () => {},
      onStart: ({ restarted }) => starts.push(restarted),
      onExit: (i) => exits.push(i),
      initialDelayMs: 50,
      maxDelayMs: 200,
    });
    streams.push(s);
    s.start();
    await waitUntil('three exits', () => exits.length >= 3);
    expect(starts.slice(0, 3)).toEqual([false, true, true]);
    expect(exits[0]).toMatchObject({ exitCode: 1, stderr: 'error: Disconnected from qemu:///system due to end of file', restartInMs: 50 });
    expect(exits[1]!.restartInMs).toBe(100);
    expect(exits[2]!.restartInMs).toBe(200);
  });

  it('stop() ends the child and no restart follows', async () => {
    let pid: number | undefined;
    const s = new LineStream({
      file: process.execPath,
      args: ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'],
      onLine: (l) => (pid = Number(l)),
      initialDelayMs: 10,
    });
    streams.push(s);
    s.start();
    await waitUntil('pid line', () => pid !== undefined);
    await s.stop();
    expect(s.running).toBe(false);
    expect(() => process.kill(pid!, 0)).toThrow(); // gone
    const starts = s.starts;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.starts).toBe(starts);
  });
});
