// Splitting a chunk of keys read at once into the keys a form handles one by one.
import { describe, expect, it } from 'vitest';
import { splitKeyRun } from '../../src/ui/components/forms/key-run.js';

describe('splitKeyRun', () => {
  it('leaves single keys, plain text and escape sequences alone', () => {
    expect(splitKeyRun('a')).toBeNull();
    expect(splitKeyRun('\x7f')).toBeNull();
    expect(splitKeyRun('/var/lib/x.img')).toBeNull();
    expect(splitKeyRun('\x1b[B')).toBeNull();
  });

  it('splits backspaces, Enter, Tab and Ctrl keys out of a run, keeping text together', () => {
    expect(splitKeyRun('\x7f\x7f')).toEqual([
      { input: '', key: { backspace: true } },
      { input: '', key: { backspace: true } },
    ]);
    expect(splitKeyRun('64M\r')).toEqual([
      { input: '64M', key: {} },
      { input: '', key: { return: true } },
    ]);
    expect(splitKeyRun('\x15tcp:22\t')).toEqual([
      { input: 'u', key: { ctrl: true } },
      { input: 'tcp:22', key: {} },
      { input: '', key: { tab: true } },
    ]);
  });
});
