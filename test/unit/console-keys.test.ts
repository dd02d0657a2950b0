import { describe, expect, it } from 'vitest';
import { keyToBytes } from '../../src/console/index.js';

describe('keyToBytes', () => {
  it('passes printable input through, pasted text included', () => {
    expect(keyToBytes('a', {})).toBe('a');
    expect(keyToBytes('echo hi', {})).toBe('echo hi');
    expect(keyToBytes('é', {})).toBe('é');
  });

  it('maps Enter, Tab, Shift-Tab, Backspace, Esc', () => {
    expect(keyToBytes('', { return: true })).toBe('\r');
    expect(keyToBytes('', { tab: true })).toBe('\t');
    expect(keyToBytes('', { tab: true, shift: true })).toBe('\x1b[Z');
    expect(keyToBytes('', { backspace: true })).toBe('\x7f');
    expect(keyToBytes('', { delete: true })).toBe('\x7f');
    expect(keyToBytes('', { escape: true, meta: true })).toBe('\x1b');
  });

  it('maps arrows in normal and application cursor mode, with modifiers', () => {
    expect(keyToBytes('', { upArrow: true })).toBe('\x1b[A');
    expect(keyToBytes('', { downArrow: true })).toBe('\x1b[B');
    expect(keyToBytes('', { rightArrow: true })).toBe('\x1b[C');
    expect(keyToBytes('', { leftArrow: true })).toBe('\x1b[D');
    expect(keyToBytes('', { upArrow: true }, { applicationCursorKeys: true })).toBe('\x1bOA');
    expect(keyToBytes('', { leftArrow: true, ctrl: true })).toBe('\x1b[1;5D');
    expect(keyToBytes('', { rightArrow: true, shift: true })).toBe('\x1b[1;2C');
  });

  it('maps Home, End, PageUp, PageDown', () => {
    expect(keyToBytes('', { home: true })).toBe('\x1b[H');
    expect(keyToBytes('', { end: true })).toBe('\x1b[F');
    expect(keyToBytes('', { home: true }, { applicationCursorKeys: true })).toBe('\x1bOH');
    expect(keyToBytes('', { pageUp: true })).toBe('\x1b[5~');
    expect(keyToBytes('', { pageDown: true })).toBe('\x1b[6~');
  });

  it('maps Ctrl-letters and the other control keys', () => {
    expect(keyToBytes('c', { ctrl: true })).toBe('\x03');
    expect(keyToBytes('d', { ctrl: true })).toBe('\x04');
    expect(keyToBytes('z', { ctrl: true })).toBe('\x1a');
    expect(keyToBytes('A', { ctrl: true })).toBe('\x01');
    expect(keyToBytes('`', { ctrl: true })).toBe('\x00'); // Ink's name for Ctrl-Space
    expect(keyToBytes('\\', { ctrl: true })).toBe('\x1c');
  });

  it('prefixes Alt/Meta keys with ESC', () => {
    expect(keyToBytes('b', { meta: true })).toBe('\x1bb');
    expect(keyToBytes('', { backspace: true, meta: true })).toBe('\x1b\x7f');
  });

  it('returns nothing for keys it cannot map', () => {
    expect(keyToBytes('', {})).toBe('');
    expect(keyToBytes('', { ctrl: true })).toBe('');
  });
});
