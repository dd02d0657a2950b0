// Builds dist/ once before the suite: end-to-end tests run the real program, `node dist/cli.js`.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
