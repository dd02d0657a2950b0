// The snapshots screen (t) in the whole app over a FakeDriver: the table, the take form's inline
// name validation, the revert and delete confirmations with their equivalent commands, the
// running/shut-off rule, errors in the status line, the list read again after each action, and
// the key disabled (with its reason) on a driver without snapshots.
import { afterEach, describe, expect, it } from 'vitest';
import { KvmtuiError } from '../../src/driver/errors.js';
import { formatDateTime } from '../../src/ui/screens/snapshots-screen.js';
import { FakeDriver } from '../helpers/fake-driver.js';
import { KEY, NOW, renderApp, type Harness } from './harness.js';

const CTRL_U = '\x15';
let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

function seeded(state: 'running' | 'shutoff'): FakeDriver {
  const d = new FakeDriver([{ name: 'web1', state }]);
  d.seedSnapshot('web1', { name: 'clean-install', createdAt: NOW - 86_400_000, state: 'shutoff', description: 'fresh from the installer' });
  d.seedSnapshot('web1', { name: 'warm', createdAt: NOW - 3_600_000, state: 'running' });
  return d;
}

async function open(driver: FakeDriver): Promise<Harness> {
  h = await renderApp([], { driver, width: 100, height: 24 });
  await h.press('t');
  await h.settle();
  return h;
}

/** The app's status line (above the key hints). */
const statusLine = (x: Harness) => x.lines().at(-2) ?? '';

describe('snapshots screen', () => {
  it('lists the snapshots: name, when taken, the state then, description; Esc goes back', async () => {
    const x = await open(seeded('running'));
    const f = x.frame();
    expect(f).toContain('Snapshots of web1');
    expect(f).toMatch(/NAME\s+CREATED\s+STATE\s+DESCRIPTION/);
    const clean = x.lines().find((l) => l.includes('clean-install')) ?? '';
    expect(clean).toContain(formatDateTime(NOW - 86_400_000));
    expect(clean).toContain('shut off');
    expect(clean).toContain('fresh from the installer');
    expect(x.lines().find((l) => l.includes('warm'))).toContain('running (RAM)');
    expect(x.driver.callCount('snapshotList', 'web1')).toBe(1);
    await x.press(KEY.esc);
    expect(x.store.getState().screen).toBe('list');
  });

  it('says so when there are none', async () => {
    const x = await open(new FakeDriver([{ name: 'web1' }]));
    expect(x.frame()).toContain('no snapshots: a takes one');
  });

  it('checks the name inline, then takes the snapshot after a confirmation with the equivalent command', async () => {
    const x = await open(seeded('shutoff'));
    await x.press('a');
    expect(x.frame()).toContain('Take a snapshot of web1');
    await x.press(KEY.enter);
    expect(x.frame()).toContain('snapshot name is empty');
    const bad: Array<[string, string]> = [
      ['my snap', 'contains a blank'],
      ['a/b', "contains '/'"],
      ['12345', 'all digits'],
      ['-x', "starts with '-'"],
      ['y'.repeat(65), 'longer than 64 characters'],
      ['warm', 'already has a snapshot warm'],
    ];
    for (const [name, problem] of bad) {
      await x.press(CTRL_U, name);
      expect(x.frame()).toContain(problem);
    }
    await x.press(CTRL_U, 'y'.repeat(64));
    expect(x.frame()).not.toContain('✖');
    await x.press(CTRL_U, 'before-upgrade', KEY.tab, 'pre upgrade', KEY.enter);
    const f = x.frame();
    expect(f).toContain('Take snapshot before-upgrade of web1');
    expect(f).toContain('disks only');
    expect(f).toContain("kvmtui snapshot-create-as web1 before-upgrade --description 'pre upgrade'");
    expect(x.driver.callCount('snapshotCreate')).toBe(0);
    await x.press('y');
    await x.settle(60);
    expect(x.driver.callCount('snapshotCreate', 'web1')).toBe(1);
    expect(x.driver.callCount('snapshotList', 'web1')).toBe(2);
    expect(x.lines().find((l) => l.includes('before-upgrade'))).toContain('pre upgrade');
    expect(statusLine(x)).toContain('snapshot before-upgrade of web1 taken');
  });

  it('reverts after a warning that the current state is thrown away, showing snapshot-revert', async () => {
    const x = await open(seeded('running'));
    await x.press('j', 'r');
    const f = x.frame();
    expect(f).toContain('Revert web1 to snapshot warm');
    expect(f).toContain('thrown away');
    expect(f).toContain('kvmtui snapshot-revert web1 warm');
    await x.press('n');
    expect(x.driver.callCount('snapshotRevert')).toBe(0);
    expect(x.frame()).toContain('Snapshots of web1');
    await x.press('r', 'y');
    await x.settle(60);
    expect(x.driver.callCount('snapshotRevert', 'web1')).toBe(1);
    expect(x.driver.callCount('snapshotList', 'web1')).toBe(2);
    expect(statusLine(x)).toContain('web1 reverted to snapshot warm');
  });

  it('refuses a revert the domain state does not allow, saying what to do, without asking the driver', async () => {
    const x = await open(seeded('shutoff'));
    await x.press('j', 'r');
    expect(statusLine(x)).toContain('warm holds the running state of web1: start the domain, then revert');
    expect(x.frame()).not.toContain('snapshot-revert');
    await x.press('k', 'r');
    expect(x.frame()).toContain('kvmtui snapshot-revert web1 clean-install');
  });

  it('deletes after a confirmation showing snapshot-delete, and the table follows', async () => {
    const x = await open(seeded('running'));
    await x.press('x');
    expect(x.frame()).toContain('Delete snapshot clean-install of web1');
    expect(x.frame()).toContain('kvmtui snapshot-delete web1 clean-install');
    await x.press('y');
    await x.settle(60);
    expect(x.driver.callCount('snapshotDelete', 'web1')).toBe(1);
    const table = x.lines().slice(0, -2).join('\n');
    expect(table).not.toContain('clean-install');
    expect(table).toContain('warm');
    expect(statusLine(x)).toContain('snapshot clean-install of web1 deleted');
  });

  it('shows a driver error as one line in the status line and reads the list again', async () => {
    const driver = seeded('running');
    driver.fail('snapshotDelete', new KvmtuiError('QMP_ERROR', 'delvm: Error while deleting snapshot on vda'));
    const x = await open(driver);
    // typed ahead: one chunk from the terminal
    await x.press('xy');
    await x.settle(60);
    expect(x.driver.callCount('snapshotDelete', 'web1')).toBe(1);
    expect(statusLine(x)).toContain('✖ delvm: Error while deleting snapshot on vda');
    expect(x.driver.callCount('snapshotList', 'web1')).toBe(2);
    expect(x.frame()).toContain('clean-install');
  });

  it('shows a failing list in the status line', async () => {
    const driver = seeded('running');
    driver.fail('snapshotList', new KvmtuiError('INVALID_CONFIG', "disk vda of 'web1' (/x.img) is raw, not qcow2: internal snapshots need every writable disk in qcow2"));
    const x = await open(driver);
    expect(statusLine(x)).toContain('is raw, not qcow2');
    expect(x.frame()).toContain('Snapshots of web1');
  });

  it('t is disabled, with the reason, when the driver has no snapshots', async () => {
    const driver = new FakeDriver([{ name: 'web1' }]).withoutSnapshots();
    h = await renderApp([], { driver, width: 140, height: 30 });
    await h.press('t');
    expect(h.store.getState().screen).toBe('list');
    expect(statusLine(h)).toContain('snapshots: not supported on fake:///test');
    await h.press(KEY.esc, '?');
    expect(h.frame()).toContain('snapshots: not supported on fake:///test');
  });
});
