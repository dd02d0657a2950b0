#!/usr/bin/env node
// Writes the key table (from src/ui/keys.ts, built into dist/) into README.md between
// <!-- keys:start --> and <!-- keys:end -->. `--check` only reports drift (exit 1).
// Run after `npm run build`.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/ui/key-table-markdown.js');
if (!existsSync(built)) {
  process.stderr.write('gen-readme-keys: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { withKeyTable } = await import(pathToFileURL(built).href);
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = withKeyTable(readme);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    process.stderr.write('README.md key table is out of date: node scripts/gen-readme-keys.mjs\n');
    process.exit(1);
  }
  process.stdout.write('README.md key table is up to date\n');
} else if (next !== readme) {
  writeFileSync(readmePath, next);
  process.stdout.write('README.md key table updated\n');
} else {
  process.stdout.write('README.md key table already up to date\n');
}
