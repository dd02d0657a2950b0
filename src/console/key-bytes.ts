// Operator keys, as Ink's useInput reports them, turned into the bytes a VT-style terminal sends.
// Ink has already parsed the raw sequence, so some keys cannot be told apart (Backspace sends
// DEL and arrives as `delete`; F-keys arrive with no name): callers that can see raw stdin
// should forward it with ConsoleSession.write() instead.

/** The subset of Ink's Key this module reads (structurally compatible with ink's Key). */
export interface InkKeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export interface KeyModes {
  /** DECCKM: the guest asked for ESC O A style cursor keys */
  applicationCursorKeys?: boolean;
}

const ESC = '\x1b';

// xterm's modifier parameter: 1 + shift(1) + alt(2) + ctrl(4)
function modifierParam(key: InkKeyLike): number {
  return 1 + (key.shift ? 1 : 0) + (key.meta && !key.escape ? 2 : 0) + (key.ctrl ? 4 : 0);
}

function cursorKey(letter: string, key: InkKeyLike, modes: KeyModes): string {
  const mod = modifierParam(key);
  if (mod > 1) return `${ESC}[1;${mod}${letter}`;
  return modes.applicationCursorKeys ? `${ESC}O${letter}` : `${ESC}[${letter}`;
}

function tildeKey(n: number, key: InkKeyLike): string {
  const mod = modifierParam(key);
  return mod > 1 ? `${ESC}[${n};${mod}~` : `${ESC}[${n}~`;
}

/** Ctrl+letter (and Ctrl+@ [ \ ] ^ _ ?) as its control byte, or null. */
function ctrlByte(ch: string): string | null {
  if (ch.length !== 1) return null;
  const c = ch.toLowerCase().charCodeAt(0);
  if (c >= 0x61 && c <= 0x7a) return String.fromCharCode(c - 0x60);
  if (ch === '@' || ch === ' ' || ch === '`' || ch === '2') return '\x00';
  if (ch === '[') return ESC;
  if (ch === '\\') return '\x1c';
  if (ch === ']') return '\x1d';
  if (ch === '^' || ch === '6') return '\x1e';
  if (ch === '_' || ch === '-') return '\x1f';
  if (ch === '?') return '\x7f';
  return null;
}

/** Bytes to send to the guest for one Ink key event; '' when the key has no mapping. */
export function keyToBytes(input: string, key: InkKeyLike, modes: KeyModes = {}): string {
  if (key.upArrow) return cursorKey('A', key, modes);
  if (key.downArrow) return cursorKey('B', key, modes);
  if (key.rightArrow) return cursorKey('C', key, modes);
  if (key.leftArrow) return cursorKey('D', key, modes);
  if (key.home) return modifierParam(key) > 1 ? `${ESC}[1;${modifierParam(key)}H` : modes.applicationCursorKeys ? `${ESC}OH` : `${ESC}[H`;
  if (key.end) return modifierParam(key) > 1 ? `${ESC}[1;${modifierParam(key)}F` : modes.applicationCursorKeys ? `${ESC}OF` : `${ESC}[F`;
  if (key.pageUp) return tildeKey(5, key);
  if (key.pageDown) return tildeKey(6, key);
  if (key.return) return key.meta && !key.escape ? `${ESC}\r` : '\r';
  if (key.tab) return key.shift ? `${ESC}[Z` : '\t';
  // Ink reports the Backspace key (DEL, 0x7f) as `delete` and Ctrl-H as `backspace`; a Linux
  // console expects DEL for erase in both cases
  if (key.backspace || key.delete) return key.meta && !key.escape ? `${ESC}\x7f` : '\x7f';
  if (key.escape && input === '') return ESC;
  if (key.ctrl && input) {
    const b = ctrlByte(input);
    if (b !== null) return b;
  }
  if (!input) return '';
  // Alt/Meta + key: ESC prefix, as xterm does with metaSendsEscape
  if (key.meta && !key.escape) return ESC + input;
  return input;
}
