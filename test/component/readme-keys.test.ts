import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINDINGS, keyLabel } from '../../src/ui/keys.js';
import { KEYS_END, KEYS_START, keyTableMarkdown, withKeyTable } from '../../src/ui/key-table-markdown.js';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

describe('README key table', () => {
  it('matches the binding table (regenerate with node scripts/gen-readme-keys.mjs after npm run build)', () => {
    expect(withKeyTable(readme)).toBe(readme);
  });

  it('has a row for every binding', () => {
    const table = keyTableMarkdown();
    for (const b of BINDINGS) {
      const row = table.split('\n').find((l) => l.includes(`| ${b.description.replace(/\|/g, '\\|')} |`));
      expect(row, b.id).toBeDefined();
      for (const k of b.keys) expect(row).toContain(keyLabel(k));
    }
  });

  it('notices drift', () => {
    const drifted = readme.replace(/\| `s` \| start \|/, '| `s` | start it |');
    expect(drifted).not.toBe(readme);
    expect(withKeyTable(drifted)).not.toBe(drifted);
    expect(() => withKeyTable(readme.replace(KEYS_END, ''))).toThrow(/markers/);
    expect(readme.indexOf(KEYS_START)).toBeGreaterThan(0);
  });
});
