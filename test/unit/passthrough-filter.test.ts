import { describe, expect, it } from 'vitest';
import { PassthroughFilter } from '../../src/console/passthrough-filter.js';

const run = (...chunks: (string | Buffer)[]) => {
  const f = new PassthroughFilter();
  return chunks.map((c) => f.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8'))).join('');
};

describe('PassthroughFilter (raw console output to the operator terminal)', () => {
  it('passes text, newlines, colours and cursor movement', () => {
    expect(run('hello\r\n\x1b[1;32mgreen\x1b[0m \x1b[2J\x1b[H\x1b[10;5H')).toBe(
      'hello\r\n\x1b[1;32mgreen\x1b[0m \x1b[2J\x1b[H\x1b[10;5H',
    );
  });

  it('drops OSC title and OSC 52 clipboard writes, BEL- and ST-terminated', () => {
    expect(run('a\x1b]0;pwned\x07b\x1b]52;c;ZXZpbA==\x1b\\c')).toBe('abc');
  });

  it('drops terminal queries that would make the operator terminal answer', () => {
    expect(run('x\x1b[6ny\x1b[cz\x1b[>0c\x1b[21t\x1bP$qm\x1b\\w')).toBe('xyzw');
  });

  it('drops 8-bit C1 controls but keeps UTF-8 text whose bytes look like C1', () => {
    // U+00E9 is 0xC3 0xA9; U+0130 contains 0x80-range continuation bytes too
    expect(run('\u009b6n\u009d0;t\u009cé İ')).toBe('é İ');
  });

  it('handles sequences split across chunks', () => {
    expect(run('a\x1b', ']2;ti', 'tle\x07b\x1b[3', '1mc')).toBe('ab\x1b[31mc');
    expect(run(Buffer.from([0xc3]), Buffer.from([0xa9]))).toBe('é');
  });

  it('drops mouse tracking modes but keeps the alternate screen and cursor visibility', () => {
    expect(run('\x1b[?1000h\x1b[?1049h\x1b[?25l')).toBe('\x1b[?1049h\x1b[?25l');
  });

  it('drops an overlong CSI instead of buffering it forever', () => {
    expect(run('\x1b[' + '1;'.repeat(100) + 'mok')).not.toContain('\x1b');
  });
});
