import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { domainKey } from '../../src/store/domain-key.js';
import { displayState } from '../../src/store/selectors.js';
import { KvmtuiError } from '../../src/driver/errors.js';
import { FakeDriver } from '../helpers/fake-driver.js';

let store: AppStore | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
});

afterEach(() => {
  store?.getState().actions.stop();
  store = undefined;
  vi.useRealTimers();
});

function entry(s: AppStore, d: FakeDriver, name: string) {
  return s.getState().domains.get(domainKey(d.uri, name));
}

describe('poller', () => {
  it('refreshes once at start, then every interval', async () => {
    const d = new FakeDriver([{ name: 'web1', state: 'running' }, { name: 'db1' }]);
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    expect(d.callCount('listDomains')).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().domains.size).toBe(2);
    expect(entry(store, d, 'web1')?.summary.state).toBe('running');
    await vi.advanceTimersByTimeAsync(3000);
    expect(d.callCount('listDomains')).toBe(4);
  });

  it('skips a tick that would overlap a refresh still running', async () => {
    const d = new FakeDriver([{ name: 'web1' }]);
    d.setLatency('listDomains', 2500);
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(5000);
    // t=0 runs until 2500; ticks at 1000 and 2000 are skipped; t=3000 runs until 5500; 4000, 5000 skipped
    expect(d.callCount('listDomains')).toBe(2);
    expect(store.getState().poller.skipped).toBe(4);
    expect(store.getState().poller.ticks).toBe(6);
  });

  it('backs off on failure, shows the error, and recovers', async () => {
    const d = new FakeDriver([{ name: 'web1' }]);
    d.fail('listDomains', new KvmtuiError('IO_ERROR', 'cannot read domains dir'));
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    let c = store.getState().connections.get(d.uri);
    expect(c).toMatchObject({ ok: false, error: 'cannot read domains dir', failures: 1, retryInMs: 2000 });
    // failures at 0, 2000 (next in 4 s) and 6000 (next in 8 s): 3 calls in 10 s instead of 11
    await vi.advanceTimersByTimeAsync(10_000);
    expect(d.callCount('listDomains')).toBe(3);
    c = store.getState().connections.get(d.uri);
    expect(c?.failures).toBe(3);
    expect(c?.retryInMs).toBe(8000);
    d.clearFailure('listDomains');
    await vi.advanceTimersByTimeAsync(5000);
    c = store.getState().connections.get(d.uri);
    expect(c?.ok).toBe(true);
    expect(c?.error).toBeUndefined();
    expect(store.getState().domains.size).toBe(1);
  });

  it('times out a hung listDomains and keeps the other connections fresh', async () => {
    const a = new FakeDriver([{ name: 'a1' }], 'fake:///a');
    const b = new FakeDriver([{ name: 'b1' }], 'fake:///b');
    a.hang('listDomains');
    store = createAppStore({ drivers: [a, b], interval: 1000, timeouts: { listMs: 3000 } });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(3500);
    expect(store.getState().connections.get('fake:///a')).toMatchObject({ ok: false, error: 'list domains: no answer after 3 s' });
    expect(b.callCount('listDomains')).toBe(4);
    expect(entry(store, b, 'b1')).toBeDefined();
  });

  it('a hung domain does not stall the others', async () => {
    const d = new FakeDriver([
      { name: 'hung', state: 'running' },
      { name: 'ok', state: 'running', load: 0.5 },
    ]);
    d.hang('stats', 'hung');
    d.hang('getDomain', 'hung');
    store = createAppStore({ drivers: [d], interval: 1000, timeouts: { statsMs: 4000 } });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(3100);
    // the healthy domain got a sample every second; the hung one was asked once, not piled up
    expect(d.callCount('stats', 'ok')).toBe(4);
    expect(d.callCount('stats', 'hung')).toBe(1);
    expect(entry(store, d, 'ok')?.cpuPercent).toBeCloseTo(50, 0);
    // its details load although the other domain's getDomain hangs
    void store.getState().actions.loadDetails(domainKey(d.uri, 'hung'));
    await store.getState().actions.loadDetails(domainKey(d.uri, 'ok'));
    expect(store.getState().details.get(domainKey(d.uri, 'ok'))?.details?.name).toBe('ok');
    await vi.advanceTimersByTimeAsync(1000);
    expect(entry(store, d, 'hung')?.statsError).toMatch(/^not responding/);
    expect(entry(store, d, 'ok')?.statsError).toBeUndefined();
    // once the monitor answers again, the domain is sampled again
    d.release('stats', 'hung');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(d.callCount('stats', 'hung')).toBeGreaterThan(1);
    expect(entry(store, d, 'hung')?.statsError).toBeUndefined();
  });

  it('applies driver events at once', async () => {
    const d = new FakeDriver([{ name: 'web1', state: 'running' }]);
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    const calls = d.callCount('listDomains');

    d.emit({ kind: 'qmp', name: 'web1', event: 'STOP', time: Date.now() });
    expect(displayState(entry(store, d, 'web1')!)).toBe('paused');
    d.emit({ kind: 'qmp', name: 'web1', event: 'RESUME', time: Date.now() });
    expect(displayState(entry(store, d, 'web1')!)).toBe('running');
    d.emit({ kind: 'qmp', name: 'web1', event: 'POWERDOWN', time: Date.now() });
    expect(displayState(entry(store, d, 'web1')!)).toBe('shutting down');
    d.emit({ kind: 'state', name: 'web1', state: 'shutoff', reason: 'shutdown' });
    const e = entry(store, d, 'web1')!;
    expect(displayState(e)).toBe('shutoff');
    expect(e.events.map((x) => x.text)).toEqual(['STOP', 'RESUME', 'POWERDOWN', 'state: shutoff (shutdown)']);

    // an event also asks for a fresh list soon, well before the next tick
    await vi.advanceTimersByTimeAsync(100);
    expect(d.callCount('listDomains')).toBe(calls + 1);
  });

  it('picks up a newly defined domain from its event', async () => {
    const d = new FakeDriver([{ name: 'web1' }]);
    store = createAppStore({ drivers: [d], interval: 60_000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    await d.defineXml('<domain><name>web2</name></domain>');
    await vi.advanceTimersByTimeAsync(100);
    expect(entry(store, d, 'web2')).toBeDefined();
  });

  it('drops a domain that was undefined, and keeps the other connections\' domains', async () => {
    const a = new FakeDriver([{ name: 'web1' }, { name: 'web2' }], 'fake:///a');
    const b = new FakeDriver([{ name: 'web1' }], 'fake:///b');
    store = createAppStore({ drivers: [a, b], interval: 60_000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().domains.size).toBe(3);
    await a.undefine('web2');
    await vi.advanceTimersByTimeAsync(100);
    expect([...store.getState().domains.keys()].sort()).toEqual([domainKey('fake:///a', 'web1'), domainKey('fake:///b', 'web1')]);
  });

  it('stop() stops polling and never closes the drivers or stops domains', async () => {
    const d = new FakeDriver([{ name: 'web1', state: 'running' }]);
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    store.getState().actions.stop();
    const n = d.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(d.calls.length).toBe(n);
    expect(d.listenerCount()).toBe(0);
    expect(d.calls.map((c) => c.method)).not.toContain('close');
    expect(d.calls.map((c) => c.method)).not.toContain('shutdown');
    expect(d.calls.map((c) => c.method)).not.toContain('destroy');
  });

  it('keeps the same domain map when nothing changed (no needless renders)', async () => {
    const d = new FakeDriver([{ name: 'web1' }, { name: 'web2' }]);
    store = createAppStore({ drivers: [d], interval: 1000 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(0);
    const before = store.getState().domains;
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.getState().domains).toBe(before);
  });
});

describe('stats in the store', () => {
  it('keeps rates, a bounded history and host figures', async () => {
    const d = new FakeDriver([{ name: 'web1', state: 'running', load: 0.25 }]);
    store = createAppStore({ drivers: [d], interval: 1000, historyCapacity: 3 });
    store.getState().actions.start();
    await vi.advanceTimersByTimeAsync(5100);
    const e = entry(store, d, 'web1')!;
    expect(e.rates?.cpu?.processPct).toBeCloseTo(25, 0);
    expect(e.history?.version).toBe(6);
    expect(e.history?.cpuProcess.length).toBe(3);
    expect(store.getState().hosts.get(d.uri)?.last?.cpus).toBe(2);
    // a stopped domain loses its live figures but keeps its history for the graphs
    d.emit({ kind: 'state', name: 'web1', state: 'shutoff', reason: 'destroyed' });
    const off = entry(store, d, 'web1')!;
    expect(off.cpuPercent).toBeUndefined();
    expect(off.rates).toBeUndefined();
    expect(off.history?.version).toBe(6);
  });
});
