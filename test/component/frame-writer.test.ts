import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/ui/frame-writer.js';
import { enterFullScreen } from '../../src/ui/terminal.js';

function terminal() {
  const writes: string[] = [];
  return { out: { write: (s: string) => writes.push(s) }, writes };
}

describe('FrameWriter', () => {
  it('writes every row once, then only the rows that changed', () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 4);
    w.frame('a\nb\nc\nd');
    w.flush();
    expect(t.writes).toHaveLength(1);
    for (const [i, l] of ['a', 'b', 'c', 'd'].entries()) expect(t.writes[0]).toContain(`\x1b[${i + 1};1H\x1b[2K${l}`);

    w.frame('a\nb\nc\nd');
    w.flush();
    expect(t.writes).toHaveLength(1); // same frame: not a byte

    w.frame('a\nB\nc\nd');
    w.flush();
    expect(t.writes).toHaveLength(2);
    expect(t.writes[1]).toContain('\x1b[2;1H\x1b[2KB');
    expect(t.writes[1]).not.toContain('\x1b[1;1H');
    expect(t.writes[1]).not.toContain('\x1b[3;1H');
    expect(w.bytesWritten).toBe(t.writes.reduce((n, s) => n + Buffer.byteLength(s), 0));
  });

  it('coalesces frames that arrive together', async () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 2);
    w.frame('1\nx');
    w.frame('2\nx');
    w.frame('3\nx');
    await new Promise((r) => setTimeout(r, 60));
    expect(t.writes).toHaveLength(1);
    expect(t.writes[0]).toContain('3');
    expect(t.writes[0]).not.toContain('2;1H\x1b[2K1');
  });

  it('redraws everything after a resize', () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 2);
    w.frame('a\nb');
    w.flush();
    w.resize(3);
    w.frame('a\nb\nc');
    w.flush();
    expect(t.writes[1]).toBe('\x1b[2J');
    expect(t.writes[2]).toContain('\x1b[1;1H\x1b[2Ka');
    expect(t.writes[2]).toContain('\x1b[3;1H\x1b[2Kc');
  });

  it('never writes past the last row (no scrolling)', () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 2);
    w.frame('a\nb\nc\nd');
    w.flush();
    expect(t.writes[0]).not.toContain('\x1b[3;1H');
    expect(t.writes[0]).not.toContain('\n');
  });

  it('draws nothing while suspended (the editor has the terminal), then clears and draws the latest frame whole', () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 3);
    w.frame('a\nb\nc');
    w.flush();
    const before = t.writes.length;
    w.suspend();
    w.frame('a\nB\nc');
    w.flush();
    w.resize(3); // a resize meanwhile must not clear the editor's screen
    expect(t.writes).toHaveLength(before);
    w.resume();
    const redraw = t.writes.slice(before).join('');
    expect(redraw.startsWith('\x1b[2J')).toBe(true);
    // every row again, unchanged ones included: the editor drew over them
    for (const [i, l] of ['a', 'B', 'c'].entries()) expect(redraw).toContain(`\x1b[${i + 1};1H\x1b[2K${l}`);
  });

  it('redraws the last frame when nothing new came while suspended', () => {
    const t = terminal();
    const w = new FrameWriter(t.out, 2);
    w.frame('x\ny');
    w.flush();
    w.suspend();
    w.resume();
    expect(t.writes.at(-1)).toContain('\x1b[1;1H\x1b[2Kx');
    expect(t.writes.at(-1)).toContain('\x1b[2;1H\x1b[2Ky');
  });
});

describe('enterFullScreen suspend/resume', () => {
  it('leaves the alternate screen with the cursor shown and raw mode off, then comes back', () => {
    const t = terminal();
    const raw: boolean[] = [];
    const fs = enterFullScreen(t.out, { isTTY: true, setRawMode: (m: boolean) => raw.push(m) });
    fs.suspend();
    expect(raw).toEqual([false]);
    expect(t.writes.at(-1)).toContain('\x1b[?1049l');
    expect(t.writes.at(-1)).toContain('\x1b[?25h');
    fs.resume();
    expect(t.writes.at(-1)).toContain('\x1b[?1049h');
    expect(t.writes.at(-1)).toContain('\x1b[?25l');
    fs.restore();
    const n = t.writes.length;
    fs.suspend();
    fs.resume();
    expect(t.writes).toHaveLength(n); // after restore: nothing
  });

  it("stops the terminal's read handle while suspended, so the editor gets every key, and starts it again", () => {
    const t = terminal();
    const calls: string[] = [];
    const handle = { reading: true, readStop: () => calls.push('stop'), readStart: () => calls.push('start') };
    const fs = enterFullScreen(t.out, Object.assign({ isTTY: true, setRawMode: () => undefined }, { _handle: handle }));
    fs.suspend();
    expect(calls).toEqual(['stop']);
    expect(handle.reading).toBe(false);
    fs.resume();
    expect(calls).toEqual(['stop', 'start']);
    expect(handle.reading).toBe(true);
    fs.restore();
  });
});
