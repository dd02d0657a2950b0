#!/usr/bin/env node
// npm run bench: runs every benchmark script in turn and prints their figures.
// Each bench starts and stops its own QEMU processes; figures go to stdout, not to test asserts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = ['bench-stats.mjs', 'bench-tui.mjs', 'bench-console.mjs'].filter(
  (b) => only.length === 0 || only.some((o) => b.includes(o)),
);
let failed = 0;
for (const b of benches) {
  const path = join(here, b);
  if (!existsSync(path)) {
    console.log(`\n== ${b}: not present`);
    continue;
  }
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [path], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`== ${b} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
