// Prints one plain closing line ("N passed, N failed, N skipped") that CI tooling reads.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    this.line = `kvmtui: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  private line = '';

  // printed after the default reporter's summary, so it is the run's closing line
  onFinished(): void {
    if (this.line) setImmediate(() => process.stdout.write(`\n${this.line}\n`));
  }
}
