import { afterEach, describe, expect, it } from 'vitest';
import { KvmtuiError } from '../../src/driver/errors.js';
import { FakeDriver } from '../helpers/fake-driver.js';
import { renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => h?.unmount());

describe('error line', () => {
  it("shows a failed action with the driver's message on one line, never a stack", async () => {
    h = await renderApp([{ name: 'db1' }]);
    h.driver.fail('start', new KvmtuiError('START_FAILED', 'qemu-system-x86_64 exited with 1: could not open /img/db1.qcow2\n    at Launcher.start (launcher.ts:10)'));
    await h.press('s');
    await h.settle(30);
    const lines = h.lines();
    expect(lines).toHaveLength(24);
    expect(lines[22]).toBe('✖ start db1: qemu-system-x86_64 exited with 1: could not open /img/db1.qcow2');
    expect(h.frame()).not.toContain('at Launcher');
    expect(h.frame()).toMatch(/db1\s+■ shutoff/);
  });

  it('cuts a long message to the width', async () => {
    h = await renderApp([{ name: 'db1' }]);
    h.driver.fail('start', new KvmtuiError('START_FAILED', 'x'.repeat(300)));
    await h.press('s');
    await h.settle(30);
    expect(h.lines()).toHaveLength(24);
    expect([...h.lines()[22]].length).toBeLessThanOrEqual(80);
  });

  it('shows a failing connection with its back-off', async () => {
    const driver = new FakeDriver([{ name: 'db1' }]);
    driver.fail('listDomains', new KvmtuiError('IO_ERROR', 'domains dir: permission denied'));
    h = await renderApp([], { driver });
    // the harness polls every 60 s: the back-off starts at twice that, capped at the interval
    expect(h.lines()[22]).toBe('✖ fake:///test: domains dir: permission denied; retrying every 60 s');
  });
});
