import { describe, expect, it } from 'vitest';
import { escapeKeyLabel, parseEscapeKey } from '../../src/console/escape-key.js';

describe('--console-escape', () => {
  it('reads ^X and Ctrl-X forms', () => {
    expect(parseEscapeKey('^]')).toBe('\x1d');
    expect(parseEscapeKey('Ctrl-A')).toBe('\x01');
    expect(parseEscapeKey('ctrl-_')).toBe('\x1f');
    expect(parseEscapeKey('^a')).toBe('\x01');
  });
  it('refuses keys a guest shell needs, and non-control keys, naming the problem', () => {
    for (const bad of ['^[', '^M', '^I', '^H', 'q', '^', 'Ctrl-', '^]]', 'F12']) {
      expect(() => parseEscapeKey(bad), bad).toThrow(/--console-escape/);
    }
  });
  it('labels the key as an operator reads it', () => {
    expect(escapeKeyLabel('\x1d')).toBe('Ctrl-]');
    expect(escapeKeyLabel('\x01')).toBe('Ctrl-A');
  });
});
