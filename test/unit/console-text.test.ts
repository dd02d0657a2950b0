// Pure text helpers of the console: the safe-text gate, the log stripper, the cell renderer.
import { describe, expect, it } from 'vitest';
import { safeText, isSafeText, lineText } from '../../src/console/index.js';
import { ControlStripper } from '../../src/console/control-stripper.js';
import { renderViewport } from '../../src/console/screen-lines.js';
import { createEmulator, type Terminal } from '../../src/console/xterm.js';

function write(term: Terminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

describe('safeText', () => {
  it('removes C0, DEL, C1, bidi controls and keeps printable text', () => {
    expect(safeText('a\x1b[31mb\x07c\x7fd\u009be\u202ef\u2066g\nh')).toBe('a[31mbcdefgh');
    expect(safeText('héllo 世界 ✓')).toBe('héllo 世界 ✓');
    expect(isSafeText('plain')).toBe(true);
    expect(isSafeText('x\x1b')).toBe(false);
    expect(isSafeText('x\u0085')).toBe(false);
  });
});

describe('ControlStripper (text logs)', () => {
  it('drops CSI, OSC, DCS and C1 forms, keeps lines and tabs', () => {
    const s = new ControlStripper();
    const out = s.push(Buffer.from('\x1b[1;31mred\x1b[0m\r\n\x1b]0;title\x07a\tb\x1bP$qm\x1b\\c\u009b2Jd\u009d0;t\u009ce\x07\r\n'));
    expect(out).toBe('red\na\tbcde\n');
  });

  it('handles a sequence split across chunks and a UTF-8 character split across chunks', () => {
    const s = new ControlStripper();
    const bytes = Buffer.from('x\x1b]52;c;c2VjcmV0\x07y é\n');
    let out = '';
    for (const b of bytes) out += s.push(Uint8Array.of(b));
    expect(out).toBe('xy é\n');
  });

  it('CAN ends an unterminated string', () => {
    const s = new ControlStripper();
    expect(s.push(Buffer.from('\x1b]0;never ends\x18ok\n'))).toBe('ok\n');
  });
});

describe('renderViewport', () => {
  it('maps colours and attributes from cells', async () => {
    const term = createEmulator({ cols: 30, rows: 3, scrollback: 10 });
    await write(term, '\x1b[31mR\x1b[0m\x1b[92mG\x1b[0m\x1b[38;5;200mP\x1b[0m\x1b[38;2;1;2;3mT\x1b[0m\x1b[1;7mB\x1b[0m\x1b[4;2;3;9mU\x1b[0m');
    const [line] = renderViewport(term, { top: 0, rows: 1 });
    expect(line).toEqual([
      { text: 'R', fg: 'red' },
      { text: 'G', fg: 'greenBright' },
      { text: 'P', fg: 'ansi256(200)' },
      { text: 'T', fg: '#010203' },
      { text: 'B', bold: true, inverse: true },
      { text: 'U', underline: true, dim: true, italic: true, strikethrough: true },
    ]);
    term.dispose();
  });

  it('keeps wide characters once, trims plain trailing blanks, marks cursor and match', async () => {
    const term = createEmulator({ cols: 20, rows: 2, scrollback: 0 });
    await write(term, '世界 ok\r\n> ');
    const lines = renderViewport(term, {
      top: 0,
      rows: 2,
      cursor: { line: 1, col: 2 },
      highlight: { line: 0, col: 5, length: 2 },
    });
    expect(lineText(lines[0])).toBe('世界 ok');
    expect(lines[0].find((s) => s.match)?.text).toBe('ok');
    expect(lines[1]).toEqual([{ text: '> ' }, { text: ' ', cursor: true }]);
    term.dispose();
  });

  it('shows invisible text as blanks and rows past the buffer as empty', async () => {
    const term = createEmulator({ cols: 20, rows: 2, scrollback: 0 });
    await write(term, 'a\x1b[8msecret\x1b[0mb');
    const lines = renderViewport(term, { top: 0, rows: 3 });
    expect(lineText(lines[0])).toBe('a      b');
    expect(lines[2]).toEqual([]);
    term.dispose();
  });
});
