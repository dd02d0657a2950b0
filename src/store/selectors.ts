// Selectors: derived values the UI and the commands share. Those returning arrays are meant for
// useShallow (the elements are the store's own entry objects, so shallow equality holds).
import type { DomainState } from '../driver/driver.js';
import { LIFECYCLE, cannotAct, type LifecycleAction } from './lifecycle.js';
import type { AppData, DomainEntry, DomainKey, SortKey, ViewState } from './types.js';

type S = AppData & ViewState;

/** The state to show: a pending transient state wins over the last reported one. */
export function displayState(e: DomainEntry): DomainState {
  return e.pending?.state ?? e.summary.state;
}

export function matchesFilter(e: DomainEntry, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return e.name.toLowerCase().includes(f) || displayState(e).includes(f) || (e.summary.title?.toLowerCase().includes(f) ?? false);
}

const STATE_ORDER: Record<DomainState, number> = {
  running: 0,
  starting: 1,
  'shutting down': 2,
  paused: 3,
  pmsuspended: 4,
  crashed: 5,
  shutoff: 6,
};

function byName(a: DomainEntry, b: DomainEntry): number {
  return a.name.localeCompare(b.name) || a.connection.localeCompare(b.connection);
}

function memUse(e: DomainEntry): number {
  return e.rates?.memory?.rssKiB ?? e.summary.memoryKiB;
}

function sumOf(xs: (number | undefined)[]): number | undefined {
  const known = xs.filter((x): x is number => x !== undefined);
  return known.length > 0 ? known.reduce((a, x) => a + x, 0) : undefined;
}

/** Read plus write bytes per second over all disks; undefined without figures (stopped, first sample). */
export function diskBytesPerSec(e: DomainEntry): number | undefined {
  return sumOf((e.rates?.disks ?? []).flatMap((d) => [d.rdBytesPerSec, d.wrBytesPerSec]));
}

/** Received plus sent bytes per second over the NICs the host can count; undefined without figures. */
export function netBytesPerSec(e: DomainEntry): number | undefined {
  return sumOf((e.rates?.nics ?? []).flatMap((n) => [n.rxBytesPerSec, n.txBytesPerSec]));
}

const COMPARE: Record<SortKey, (a: DomainEntry, b: DomainEntry) => number> = {
  name: byName,
  state: (a, b) => STATE_ORDER[displayState(a)] - STATE_ORDER[displayState(b)],
  // biggest consumers first
  cpu: (a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1),
  // memory the host gives it now (RSS) while it runs, else its configured size
  mem: (a, b) => memUse(b) - memUse(a),
  disk: (a, b) => (diskBytesPerSec(b) ?? -1) - (diskBytesPerSec(a) ?? -1),
  net: (a, b) => (netBytesPerSec(b) ?? -1) - (netBytesPerSec(a) ?? -1),
  vcpus: (a, b) => b.summary.vcpus - a.summary.vcpus,
  // longest running first; stopped last
  uptime: (a, b) => (a.summary.startedAt ?? Infinity) - (b.summary.startedAt ?? Infinity),
};

/** The domains the list shows, filtered and sorted (ties by name, so the order is stable). */
export function selectVisible(s: Pick<S, 'domains' | 'filter' | 'sort'>): DomainEntry[] {
  const cmp = COMPARE[s.sort];
  return [...s.domains.values()].filter((e) => matchesFilter(e, s.filter)).sort((a, b) => cmp(a, b) || byName(a, b));
}

/** The selected domain, falling back to the first visible one when the selection went away. */
export function selectSelectedKey(s: S): DomainKey | undefined {
  const visible = selectVisible(s);
  if (s.selectedKey && visible.some((e) => e.key === s.selectedKey)) return s.selectedKey;
  return visible[0]?.key;
}

export function selectSelected(s: S): DomainEntry | undefined {
  const k = selectSelectedKey(s);
  return k === undefined ? undefined : s.domains.get(k);
}

/** The domains an action applies to: the marked ones if any, else the selected (or detail) one. */
export function selectTargets(s: S): DomainEntry[] {
  // on a domain's own screens (detail, graphs, disks...) the action is for that domain
  if (s.screen !== 'list' && s.screen !== 'help' && s.detailKey) {
    const e = s.domains.get(s.detailKey);
    return e ? [e] : [];
  }
  if (s.marks.size > 0) return [...s.marks].map((k) => s.domains.get(k)).filter((e): e is DomainEntry => !!e);
  const e = selectSelected(s);
  return e ? [e] : [];
}

export interface ActionPlan {
  action: LifecycleAction;
  ok: DomainEntry[];
  refused: { entry: DomainEntry; reason: string }[];
}

export function planAction(s: S, action: LifecycleAction): ActionPlan {
  const plan: ActionPlan = { action, ok: [], refused: [] };
  for (const entry of selectTargets(s)) {
    const reason = cannotAct(action, displayState(entry), entry.pending?.action);
    if (reason) plan.refused.push({ entry, reason });
    else plan.ok.push(entry);
  }
  return plan;
}

/** Why an action cannot act on the current targets; undefined when it can act on at least one. */
export function actionDisabledReason(s: S, action: LifecycleAction): string | undefined {
  const plan = planAction(s, action);
  if (plan.ok.length > 0) return undefined;
  const label = LIFECYCLE[action].label;
  if (plan.refused.length === 0) return `${label}: no domain selected`;
  if (plan.refused.length === 1) return `${label}: ${plan.refused[0].entry.name} ${plan.refused[0].reason}`;
  return `${label}: none of the ${plan.refused.length} marked domains can (${plan.refused[0].reason})`;
}

/** One line on the connections that are failing, or undefined when all are fine. */
export function selectConnectionError(s: Pick<S, 'connections'>): string | undefined {
  for (const c of s.connections.values()) {
    if (!c.ok && c.error) {
      const retry = c.retryInMs ? `; retrying every ${Math.round(c.retryInMs / 1000)} s` : '';
      return `${c.uri}: ${c.error}${retry}`;
    }
  }
  return undefined;
}

export function countByState(s: Pick<S, 'domains'>): { total: number; running: number } {
  let running = 0;
  for (const e of s.domains.values()) if (displayState(e) === 'running') running++;
  return { total: s.domains.size, running };
}
