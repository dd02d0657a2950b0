import { describe, expect, it } from 'vitest';
import { QmpLineDecoder, type QmpMessage } from '../../src/driver/qemu/qmp-framing.js';
import { isKvmtuiError } from '../../src/driver/errors.js';

function feed(decoder: QmpLineDecoder, chunks: (string | Buffer)[]): QmpMessage[] {
  const out: QmpMessage[] = [];
  for (const c of chunks) decoder.push(c, (m) => out.push(m));
  return out;
}

describe('QmpLineDecoder', () => {
  it('decodes several messages in one chunk, with \\r\\n endings', () => {
    const msgs = feed(new QmpLineDecoder(), ['{"return": {}, "id": 1}\r\n{"event": "STOP"}\r\n']);
    expect(msgs).toEqual([{ return: {}, id: 1 }, { event: 'STOP' }]);
  });

  it('reassembles a message split across many chunks, one byte at a time', () => {
    const text = '{"return": {"status": "running"}, "id": 7}\r\n';
    const msgs = feed(new QmpLineDecoder(), [...text]);
    expect(msgs).toEqual([{ return: { status: 'running' }, id: 7 }]);
  });

  it('keeps a multi-byte UTF-8 character split between two chunks intact', () => {
    const bytes = Buffer.from('{"return": "caf\u00e9 \u2603"}\n', 'utf8');
    const cut = bytes.indexOf(0xe2) + 1; // inside the snowman's three bytes
    const msgs = feed(new QmpLineDecoder(), [bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(msgs).toEqual([{ return: 'caf\u00e9 \u2603' }]);
  });

  it('holds an incomplete trailing line until its newline arrives', () => {
    const d = new QmpLineDecoder();
    expect(feed(d, ['{"event": "RESUME"}\n{"event": "ST'])).toEqual([{ event: 'RESUME' }]);
    expect(feed(d, ['OP"}\n'])).toEqual([{ event: 'STOP' }]);
  });

  it('skips blank lines', () => {
    expect(feed(new QmpLineDecoder(), ['\r\n\n  \n{"return": 1}\n'])).toEqual([{ return: 1 }]);
  });

  it('rejects garbage with QMP_PROTOCOL after delivering the messages before it', () => {
    const d = new QmpLineDecoder();
    const out: QmpMessage[] = [];
    let err: unknown;
    try {
      d.push('{"return": 1}\nthis is not json\n{"return": 2}\n', (m) => out.push(m));
    } catch (e) {
      err = e;
    }
    expect(out).toEqual([{ return: 1 }]);
    expect(isKvmtuiError(err, 'QMP_PROTOCOL')).toBe(true);
    expect((err as Error).message).toContain('not JSON');
  });

  it('rejects JSON that is not an object', () => {
    expect(() => feed(new QmpLineDecoder(), ['[1,2,3]\n'])).toThrow(/expected a JSON object/);
    expect(() => feed(new QmpLineDecoder(), ['null\n'])).toThrow(/expected a JSON object/);
  });

  it('rejects an endless line once it passes the limit', () => {
    const d = new QmpLineDecoder(100);
    expect(() => feed(d, ['{"return": "' + 'x'.repeat(200)])).toThrow(/longer than 100/);
  });
});
