// The poller: one refresh at once, then every interval. Each connection's list and each
// domain's stats are separate units with their own timeout and their own in-flight flag, so a
// tick never overlaps a refresh still running, and one hung domain (or host) never delays the
// others. Failures back off (shown in state); driver events are folded in at once.
import type { Driver, DriverEvent, StatsSample } from '../driver/driver.js';
import { errorMessage, isKvmtuiError } from '../driver/errors.js';
import { domainKey } from './domain-key.js';
import { applyEvent, applyList, applyStats, applyStatsError, isActive } from './domain-reducers.js';
import type { AppData, ConnectionState, DomainKey } from './types.js';
import { computeHostRates } from './rates.js';
import { withTimeout } from './with-timeout.js';

export interface PollerTimeouts {
  /** listDomains, per connection */
  listMs: number;
  /** stats, per domain; past it the domain shows "not responding" */
  statsMs: number;
  /** getDomain, per domain */
  detailsMs: number;
}

export const DEFAULT_TIMEOUTS: PollerTimeouts = { listMs: 10_000, statsMs: 5_000, detailsMs: 10_000 };
export const MAX_BACKOFF_MS = 30_000;
/** stats answers arriving within this window are folded into one store update */
const STATS_BATCH_MS = 15;
/** events arriving in a burst (POWERDOWN, SHUTDOWN, state) cause one refresh */
const EVENT_REFRESH_MS = 30;

export interface PollerHost {
  get(): AppData;
  set(patch: Partial<AppData>): void;
  /** the domain's details may have changed (reload them if shown) */
  onDetailsChanged(key: DomainKey): void;
}

export interface Poller {
  start(): void;
  stop(): void;
  /** fetch a connection's list now (all connections when uri is undefined) */
  refresh(uri?: string): void;
}

export function backoffDelay(interval: number, failures: number): number {
  // never faster than the interval, never slower than MAX_BACKOFF_MS (or the interval, if longer)
  return Math.min(Math.max(MAX_BACKOFF_MS, interval), Math.max(interval, 1000) * 2 ** Math.min(failures, 10));
}

export function createPoller(drivers: Driver[], host: PollerHost, timeouts: PollerTimeouts, now: () => number = Date.now): Poller {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;
  const unsubscribers: Array<() => void> = [];
  const listInFlight = new Set<string>();
  /** an event asked for a refresh while one was running: run again when it ends */
  const listDirty = new Set<string>();
  const retryAt = new Map<string, number>();
  const statsInFlight = new Map<DomainKey, number>();
  const hostInFlight = new Set<string>();
  const statsRetryAt = new Map<DomainKey, number>();
  const statsFailures = new Map<DomainKey, number>();
  const eventTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let statsQueue: Array<{ key: DomainKey; sample?: StatsSample; error?: string }> = [];
  let statsFlush: ReturnType<typeof setTimeout> | undefined;

  const interval = () => host.get().interval;

  function setConnection(uri: string, patch: Partial<ConnectionState>): void {
    const old = host.get().connections.get(uri) ?? { uri, ok: true, failures: 0 };
    const c: ConnectionState = { ...old, ...patch };
    if (c.ok) {
      delete c.error;
      delete c.retryInMs;
    }
    const next = new Map(host.get().connections);
    next.set(uri, c);
    host.set({ connections: next });
  }

  function tick(): void {
    if (!running) return;
    const p = host.get().poller;
    let skipped = 0;
    for (const d of drivers) {
      if (listInFlight.has(d.uri)) {
        skipped++;
        continue;
      }
      if ((retryAt.get(d.uri) ?? 0) > now()) continue;
      void refreshConnection(d);
    }
    host.set({ poller: { ...p, ticks: p.ticks + 1, skipped: p.skipped + skipped } });
  }

  async function refreshConnection(d: Driver): Promise<void> {
    listInFlight.add(d.uri);
    const askedAt = now();
    try {
      const list = await withTimeout(d.listDomains(), timeouts.listMs, 'list domains');
      if (!running) return;
      retryAt.delete(d.uri);
      host.set({ domains: applyList(host.get().domains, d.uri, list, askedAt, now()) });
      setConnection(d.uri, { ok: true, failures: 0, refreshedAt: now() });
      for (const s of list) if (isActive(s.state)) pollStats(d, s.name);
      pollHost(d);
    } catch (e) {
      if (!running) return;
      const failures = (host.get().connections.get(d.uri)?.failures ?? 0) + 1;
      const delay = backoffDelay(interval(), failures);
      retryAt.set(d.uri, now() + delay);
      setConnection(d.uri, { ok: false, error: errorMessage(e), failures, retryInMs: delay });
    } finally {
      listInFlight.delete(d.uri);
      if (running && listDirty.delete(d.uri)) void refreshConnection(d);
    }
  }

  function pollStats(d: Driver, name: string): void {
    const key = domainKey(d.uri, name);
    if (statsInFlight.has(key)) return; // the previous call is still out: do not pile up
    if ((statsRetryAt.get(key) ?? 0) > now()) return;
    statsInFlight.set(key, now());
    const call = d.stats(name);
    // the in-flight flag stays until the driver's own promise settles, even past our timeout
    call.then(
      () => statsInFlight.delete(key),
      () => statsInFlight.delete(key),
    );
    withTimeout(call, timeouts.statsMs, 'stats').then(
      (sample) => {
        statsFailures.delete(key);
        statsRetryAt.delete(key);
        queueStats({ key, sample });
      },
      (e: unknown) => {
        const failures = (statsFailures.get(key) ?? 0) + 1;
        statsFailures.set(key, failures);
        statsRetryAt.set(key, now() + backoffDelay(interval(), failures));
        const msg = errorMessage(e);
        queueStats({ key, error: isKvmtuiError(e, 'TIMEOUT') ? `not responding (${msg})` : msg });
      },
    );
  }

  function pollHost(d: Driver): void {
    if (hostInFlight.has(d.uri)) return;
    hostInFlight.add(d.uri);
    const call = d.hostStats();
    call.then(
      () => hostInFlight.delete(d.uri),
      () => hostInFlight.delete(d.uri),
    );
    withTimeout(call, timeouts.statsMs, 'host stats').then(
      (cur) => {
        if (!running) return;
        const old = host.get().hosts.get(d.uri);
        const next = new Map(host.get().hosts);
        next.set(d.uri, { last: cur, rates: computeHostRates(old?.last, cur) });
        host.set({ hosts: next });
      },
      () => {
        // host figures are a nicety: the list goes on without them
      },
    );
  }

  function queueStats(item: { key: DomainKey; sample?: StatsSample; error?: string }): void {
    if (!running) return;
    statsQueue.push(item);
    statsFlush ??= setTimeout(flushStats, STATS_BATCH_MS);
  }

  function flushStats(): void {
    statsFlush = undefined;
    const items = statsQueue;
    statsQueue = [];
    if (!running || items.length === 0) return;
    let domains = host.get().domains;
    for (const it of items) {
      domains = it.sample ? applyStats(domains, it.key, it.sample, host.get().historyCapacity) : applyStatsError(domains, it.key, it.error ?? 'stats failed');
    }
    host.set({ domains });
  }

  function requestRefresh(d: Driver): void {
    if (eventTimers.has(d.uri)) return;
    eventTimers.set(
      d.uri,
      setTimeout(() => {
        eventTimers.delete(d.uri);
        if (!running) return;
        if (listInFlight.has(d.uri)) listDirty.add(d.uri);
        else void refreshConnection(d);
      }, EVENT_REFRESH_MS),
    );
  }

  function onEvent(d: Driver, ev: DriverEvent): void {
    if (!running) return;
    const r = applyEvent(host.get().domains, d.uri, ev, now());
    if (r.domains !== host.get().domains) host.set({ domains: r.domains });
    if (r.detailsChanged) host.onDetailsChanged(r.detailsChanged);
    if (r.refresh) requestRefresh(d);
  }

  return {
    start() {
      if (running) return;
      running = true;
      host.set({ poller: { ...host.get().poller, running: true } });
      for (const d of drivers) {
        setConnection(d.uri, host.get().connections.get(d.uri) ?? { uri: d.uri, ok: true, failures: 0 });
        unsubscribers.push(d.subscribe((ev) => onEvent(d, ev)));
      }
      tick();
      timer = setInterval(tick, interval());
    },
    stop() {
      if (!running) return;
      running = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (statsFlush) clearTimeout(statsFlush);
      statsFlush = undefined;
      statsQueue = [];
      for (const t of eventTimers.values()) clearTimeout(t);
      eventTimers.clear();
      for (const u of unsubscribers.splice(0)) u();
      host.set({ poller: { ...host.get().poller, running: false } });
    },
    refresh(uri?: string) {
      for (const d of drivers) if (uri === undefined || d.uri === uri) requestRefresh(d);
    },
  };
}
