import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { domainKey } from '../../src/store/domain-key.js';
import { displayState, selectVisible, selectSelectedKey } from '../../src/store/selectors.js';
import { KvmtuiError } from '../../src/driver/errors.js';
import { FakeDriver } from '../helpers/fake-driver.js';

let store: AppStore;
let d: FakeDriver;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  store.getState().actions.stop();
  vi.useRealTimers();
});

async function setup(domains: ConstructorParameters<typeof FakeDriver>[0]) {
  d = new FakeDriver(domains);
  store = createAppStore({ drivers: [d], interval: 1000 });
  store.getState().actions.start();
  await vi.advanceTimersByTimeAsync(0);
}

const st = (name: string) => displayState(store.getState().domains.get(domainKey(d.uri, name))!);
const select = (name: string) => store.getState().actions.select(domainKey(d.uri, name));

describe('lifecycle actions', () => {
  it('shows "starting" at once, then running', async () => {
    await setup([{ name: 'web1' }]);
    d.setLatency('start', 800);
    store.getState().actions.request('start');
    expect(st('web1')).toBe('starting');
    expect(store.getState().confirm).toBeNull();
    await vi.advanceTimersByTimeAsync(500);
    expect(st('web1')).toBe('starting');
    await vi.advanceTimersByTimeAsync(500);
    expect(st('web1')).toBe('running');
    expect(store.getState().status).toMatchObject({ kind: 'info', text: 'started web1' });
  });

  it('says why a key cannot act, without calling the driver', async () => {
    await setup([{ name: 'web1', state: 'running' }]);
    store.getState().actions.request('start');
    expect(store.getState().status).toMatchObject({ kind: 'error', text: 'start: web1 already running' });
    store.getState().actions.request('resume');
    expect(store.getState().status?.text).toBe('resume: web1 not paused');
    expect(d.callCount('start')).toBe(0);
  });

  it('asks before a destructive action and shows the CLI equivalent', async () => {
    await setup([{ name: 'web1', state: 'running' }]);
    store.getState().actions.request('destroy');
    const c = store.getState().confirm!;
    expect(c.cli).toEqual(['kvmtui destroy web1']);
    expect(c.title).toBe('Force off web1?');
    expect(d.callCount('destroy')).toBe(0);
    store.getState().actions.answerConfirm(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.callCount('destroy', 'web1')).toBe(1);
    expect(st('web1')).toBe('shutoff');
  });

  it('acts on all marked domains after one confirmation', async () => {
    await setup([{ name: 'a', state: 'running' }, { name: 'b', state: 'running' }, { name: 'c' }]);
    store.getState().actions.toggleMark(domainKey(d.uri, 'a'));
    store.getState().actions.toggleMark(domainKey(d.uri, 'b'));
    store.getState().actions.toggleMark(domainKey(d.uri, 'c'));
    store.getState().actions.request('shutdown');
    const c = store.getState().confirm!;
    expect(c.cli).toEqual(['kvmtui shutdown a', 'kvmtui shutdown b']);
    expect(c.lines).toContain('c: skipped, not running');
    store.getState().actions.answerConfirm(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.callCount('shutdown')).toBe(2);
    expect(st('a')).toBe('shutoff');
    expect(st('b')).toBe('shutoff');
    expect(store.getState().marks.size).toBe(0);
  });

  it('does nothing when the confirmation is declined', async () => {
    await setup([{ name: 'web1', state: 'running' }]);
    store.getState().actions.request('reset');
    store.getState().actions.back(); // Esc
    expect(store.getState().confirm).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.callCount('reset')).toBe(0);
    expect(store.getState().status?.text).toBe('reset: cancelled');
  });

  it('keeps "shutting down" until the guest is off', async () => {
    await setup([{ name: 'web1', state: 'running' }]);
    d.shutdownDelayMs = 4000;
    store.getState().actions.request('shutdown');
    expect(st('web1')).toBe('shutting down');
    await vi.advanceTimersByTimeAsync(3000);
    expect(st('web1')).toBe('shutting down');
    await vi.advanceTimersByTimeAsync(1500);
    expect(st('web1')).toBe('shutoff');
  });

  it('shows a failure in the status line with the driver message and clears the transient state', async () => {
    await setup([{ name: 'web1' }]);
    d.fail('start', new KvmtuiError('START_FAILED', 'qemu-system-x86_64 exited: could not open disk image'));
    store.getState().actions.request('start');
    expect(st('web1')).toBe('starting');
    await vi.advanceTimersByTimeAsync(0);
    expect(st('web1')).toBe('shutoff');
    expect(store.getState().status).toMatchObject({ kind: 'error', text: 'start web1: qemu-system-x86_64 exited: could not open disk image' });
    const ev = store.getState().domains.get(domainKey(d.uri, 'web1'))!.events.map((e) => e.text);
    expect(ev).toEqual(['start requested', 'start failed: qemu-system-x86_64 exited: could not open disk image']);
  });

  it('acts on domains named on the command line', async () => {
    await setup([{ name: 'a' }, { name: 'b' }]);
    store.getState().actions.request('start', { names: ['b'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(d.callCount('start', 'b')).toBe(1);
    expect(d.callCount('start', 'a')).toBe(0);
    store.getState().actions.request('start', { names: ['nope'] });
    expect(store.getState().status?.text).toBe('start: no domain named nope');
  });
});

describe('view state', () => {
  it('moves the selection through the filtered, sorted list', async () => {
    await setup([{ name: 'web1' }, { name: 'web2' }, { name: 'db1' }]);
    const a = store.getState().actions;
    expect(selectSelectedKey(store.getState())).toBe(domainKey(d.uri, 'db1'));
    a.moveSelection(1);
    expect(selectSelectedKey(store.getState())).toBe(domainKey(d.uri, 'web1'));
    a.moveSelection(5);
    expect(selectSelectedKey(store.getState())).toBe(domainKey(d.uri, 'web2'));
    a.setFilter('web');
    expect(selectVisible(store.getState()).map((e) => e.name)).toEqual(['web1', 'web2']);
    a.moveSelection('first');
    expect(selectSelectedKey(store.getState())).toBe(domainKey(d.uri, 'web1'));
  });

  it('sorts by CPU with the busiest first', async () => {
    await setup([
      { name: 'idle', state: 'running', load: 0.01 },
      { name: 'busy', state: 'running', load: 0.9 },
      { name: 'off' },
    ]);
    await vi.advanceTimersByTimeAsync(2100);
    store.getState().actions.setSort('cpu');
    expect(selectVisible(store.getState()).map((e) => e.name)).toEqual(['busy', 'idle', 'off']);
  });

  it('replaces the marks Set instead of mutating it', async () => {
    await setup([{ name: 'web1' }]);
    const before = store.getState().marks;
    select('web1');
    store.getState().actions.toggleMark();
    expect(store.getState().marks).not.toBe(before);
    expect(before.size).toBe(0);
    expect(store.getState().marks.has(domainKey(d.uri, 'web1'))).toBe(true);
  });
});
