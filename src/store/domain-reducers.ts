// Pure functions that fold driver answers (lists, events, stats) into the domain map.
// They return the same Map (and the same entries) when nothing changed, so React renders stay
// cheap and the terminal sees no change.
import type { DomainState, DomainSummary, DriverEvent, StatsSample } from '../driver/driver.js';
import { DEFAULT_HISTORY_CAPACITY, appendRates, emptyHistory } from './history.js';
import { computeRates } from './rates.js';
import { domainKey } from './domain-key.js';
import type { LifecycleAction } from './lifecycle.js';
import type { DomainEntry, DomainEventRecord, DomainKey, PendingAction } from './types.js';

export const MAX_EVENTS = 50;
/** how long "shutting down" is shown for an ACPI shutdown the guest has not acted on yet */
export const SHUTDOWN_PATIENCE_MS = 120_000;

const FINAL: Record<LifecycleAction, ReadonlySet<DomainState> | undefined> = {
  start: new Set(['running', 'paused', 'crashed']),
  shutdown: new Set(['shutoff', 'crashed']),
  destroy: new Set(['shutoff', 'crashed']),
  reboot: undefined,
  reset: undefined,
  suspend: new Set(['paused']),
  resume: new Set(['running']),
};

const ACTIVE: ReadonlySet<DomainState> = new Set(['running', 'paused', 'shutting down']);

export function isActive(state: DomainState): boolean {
  return ACTIVE.has(state);
}

/**
 * Keep, or drop, a pending action given a state the driver reported.
 * `observedAt`: when the driver was asked (a list requested after the action settled is the truth).
 */
export function resolvePending(p: PendingAction | undefined, state: DomainState, observedAt: number, now: number): PendingAction | undefined {
  if (!p) return undefined;
  if (FINAL[p.action]?.has(state)) return undefined;
  if (p.settledAt === undefined || observedAt < p.settledAt) return p;
  // ACPI shutdown: the request is sent, the guest takes its time
  if (p.action === 'shutdown' && state !== 'shutoff') return now - p.since < SHUTDOWN_PATIENCE_MS ? p : undefined;
  return undefined;
}

function sameSummary(a: DomainSummary, b: DomainSummary): boolean {
  const ka = Object.keys(a) as (keyof DomainSummary)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function newEntry(summary: DomainSummary): DomainEntry {
  return { key: domainKey(summary.connection, summary.name), connection: summary.connection, name: summary.name, summary, events: [] };
}

/** A stopped domain has no live figures; its history stays for the graphs. */
function withoutStats(e: DomainEntry): DomainEntry {
  if (!e.lastSample && !e.rates && e.cpuPercent === undefined && !e.statsError) return e;
  const { lastSample: _s, rates: _r, cpuPercent: _c, statsError: _e, ...rest } = e;
  return rest;
}

/** Fold one connection's domain list into the map; domains of that connection not listed are gone. */
export function applyList(
  domains: Map<DomainKey, DomainEntry>,
  uri: string,
  list: DomainSummary[],
  observedAt: number,
  now: number,
): Map<DomainKey, DomainEntry> {
  let changed = false;
  const next = new Map<DomainKey, DomainEntry>();
  const seen = new Set<DomainKey>();
  for (const raw of list) {
    const summary = raw.connection === uri ? raw : { ...raw, connection: uri };
    const key = domainKey(uri, summary.name);
    seen.add(key);
    const old = domains.get(key);
    if (!old) {
      next.set(key, newEntry(summary));
      changed = true;
      continue;
    }
    const pending = resolvePending(old.pending, summary.state, observedAt, now);
    if (sameSummary(old.summary, summary) && pending === old.pending) {
      next.set(key, old);
      continue;
    }
    let e: DomainEntry = { ...old, summary, pending };
    if (!pending) delete e.pending;
    if (!isActive(summary.state)) e = withoutStats(e);
    next.set(key, e);
    changed = true;
  }
  for (const [key, e] of domains) {
    if (e.connection !== uri) next.set(key, e);
    else if (!seen.has(key)) changed = true;
  }
  if (!changed && next.size === domains.size) {
    // keep insertion order stable too
    return domains;
  }
  return next;
}

function pushEvent(events: DomainEventRecord[], rec: DomainEventRecord): DomainEventRecord[] {
  const out = events.length >= MAX_EVENTS ? events.slice(events.length - MAX_EVENTS + 1) : events.slice();
  out.push(rec);
  return out;
}

export interface EventResult {
  domains: Map<DomainKey, DomainEntry>;
  /** the connection's list should be fetched again soon */
  refresh: boolean;
  /** the domain's details (disks, NICs) may have changed */
  detailsChanged?: DomainKey;
}

/** QMP events that say something about the state before the next poll can. */
const QMP_STATE: Record<string, DomainState | undefined> = {
  STOP: 'paused',
  RESUME: 'running',
  RESET: 'running',
  // the guest (or ACPI) powered off and QEMU is about to exit
  SHUTDOWN: 'shutting down',
  POWERDOWN: 'shutting down',
};

export function describeEvent(ev: DriverEvent): string {
  switch (ev.kind) {
    case 'state':
      return `state: ${ev.state}${ev.reason ? ` (${ev.reason})` : ''}${ev.message ? ` - ${ev.message}` : ''}`;
    case 'defined':
      return 'defined';
    case 'undefined':
      return 'undefined';
    case 'qmp': {
      const d = ev.data ?? {};
      const bits = ['device', 'node-name', 'reason', 'operation', 'action']
        .filter((k) => typeof d[k] === 'string' && d[k] !== '')
        .map((k) => `${k}=${String(d[k])}`);
      if (typeof d.guest === 'boolean') bits.push(d.guest ? 'by guest' : 'by host');
      return bits.length ? `${ev.event} ${bits.join(' ')}` : ev.event;
    }
  }
}

export function applyEvent(domains: Map<DomainKey, DomainEntry>, uri: string, ev: DriverEvent, now: number): EventResult {
  const key = domainKey(uri, ev.name);
  const old = domains.get(key);
  if (ev.kind === 'defined' || ev.kind === 'undefined' || !old) return { domains, refresh: true };
  const time = ev.kind === 'qmp' ? ev.time || now : now;
  let e: DomainEntry = { ...old, events: pushEvent(old.events, { time, text: describeEvent(ev) }) };
  let detailsChanged: DomainKey | undefined;

  if (ev.kind === 'state') {
    e.summary = { ...old.summary, state: ev.state, reason: ev.reason, message: ev.message };
    if (!isActive(ev.state)) {
      e.summary.pid = undefined;
      e.summary.startedAt = undefined;
      e = withoutStats(e);
    }
    e.pending = resolvePending(old.pending, ev.state, now, now);
    detailsChanged = key;
  } else {
    const state = QMP_STATE[ev.event];
    if (state === 'shutting down') {
      // show the transient state at once; the list confirms shutoff when QEMU has gone
      if (!old.pending && old.summary.state !== 'shutoff') e.pending = { action: 'shutdown', state, since: now, settledAt: now };
    } else if (state && old.summary.state !== state) {
      e.summary = { ...old.summary, state, reason: ev.event === 'RESET' ? 'reset' : ev.event === 'STOP' ? 'user' : 'unpaused' };
      e.pending = resolvePending(old.pending, state, now, now);
    }
    if (ev.event === 'DEVICE_DELETED' || ev.event === 'BLOCK_IO_ERROR') detailsChanged = key;
  }
  if (!e.pending) delete e.pending;
  const next = new Map(domains);
  next.set(key, e);
  return { domains: next, refresh: true, detailsChanged };
}

/** A fresh stats sample for one domain: rates against the previous one, and one more history point. */
export function applyStats(
  domains: Map<DomainKey, DomainEntry>,
  key: DomainKey,
  sample: StatsSample,
  historyCapacity = DEFAULT_HISTORY_CAPACITY,
): Map<DomainKey, DomainEntry> {
  const old = domains.get(key);
  if (!old || !isActive(old.summary.state)) return domains;
  const prev = old.lastSample && old.lastSample.time < sample.time ? old.lastSample : undefined;
  const rates = computeRates(prev, sample);
  const history = appendRates(old.history ?? emptyHistory(historyCapacity), rates);
  const e: DomainEntry = { ...old, lastSample: sample, rates, history, cpuPercent: rates.cpu?.processPct };
  delete e.statsError;
  if (e.cpuPercent === undefined) delete e.cpuPercent;
  const next = new Map(domains);
  next.set(key, e);
  return next;
}

export function applyStatsError(domains: Map<DomainKey, DomainEntry>, key: DomainKey, error: string): Map<DomainKey, DomainEntry> {
  const old = domains.get(key);
  if (!old || old.statsError === error) return domains;
  const next = new Map(domains);
  next.set(key, { ...old, statsError: error });
  return next;
}

export function setPending(
  domains: Map<DomainKey, DomainEntry>,
  key: DomainKey,
  pending: PendingAction | undefined,
  note?: string,
  now = Date.now(),
): Map<DomainKey, DomainEntry> {
  const old = domains.get(key);
  if (!old) return domains;
  const e: DomainEntry = { ...old, pending };
  if (!pending) delete e.pending;
  if (note) e.events = pushEvent(old.events, { time: now, text: note });
  const next = new Map(domains);
  next.set(key, e);
  return next;
}
