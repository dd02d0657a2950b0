// The key table README.md shows, generated from the binding table (and the : commands), so the
// documentation cannot drift from the program. scripts/gen-readme-keys.mjs writes it between
// the markers; a test fails when README.md differs.
import { COMMANDS } from './command-line.js';
import { BINDINGS, keyLabel } from './keys.js';

export const KEYS_START = '<!-- keys:start -->';
export const KEYS_END = '<!-- keys:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => (s.includes('`') ? s : `\`${s}\``);

export function keyTableMarkdown(): string {
  const out = [
    '| Key | Action | Asks first |',
    '| --- | --- | --- |',
    ...BINDINGS.map((b) => `| ${b.keys.map((k) => cell(code(keyLabel(k)))).join(' ')} | ${cell(b.description)} | ${b.destructive ? 'yes' : ''} |`),
    '',
    'Lifecycle keys act on the marked domains when there are any (one confirmation for all of',
    'them), else on the selected one. A key that cannot act says why in the status line.',
    '',
    '| Command (after `:`) | What it does |',
    '| --- | --- |',
    ...COMMANDS.map((c) => `| ${cell(code(c.usage))} | ${cell(c.description)} |`),
  ];
  return out.join('\n');
}

/** README text with the generated table between the markers; throws when a marker is missing. */
export function withKeyTable(readme: string): string {
  const a = readme.indexOf(KEYS_START);
  const b = readme.indexOf(KEYS_END);
  if (a < 0 || b < a) throw new Error(`README.md needs the markers ${KEYS_START} and ${KEYS_END}`);
  return `${readme.slice(0, a + KEYS_START.length)}\n${keyTableMarkdown()}\n${readme.slice(b)}`;
}
