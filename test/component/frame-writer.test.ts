import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/ui/frame-writer.js';

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
});
