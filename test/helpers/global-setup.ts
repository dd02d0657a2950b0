// Builds dist/ once before the suite: end-to-end tests run the real program, `node dist/cli.js`.
// Type errors are the type check's business (npm test runs it first); tsc still emits.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`global-setup: tsc reported problems (npm run typecheck shows them)\n`);
  if (r.error) throw r.error;
}
