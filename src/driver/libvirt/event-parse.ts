// Lines of `virsh event --all --loop --timestamp` -> DriverEvents.
//   2026-11-23 07:16:27.840+0000: event 'lifecycle' for domain 'g1': Suspended Paused
//   2026-11-23 07:20:45.329+0000: event 'device-removed' for domain 'g1': net1
//   2026-11-23 07:16:38.036+0000: event 'reboot' for domain 'g1'
// Lifecycle events become state events (or defined/undefined); the others are passed on as raw
// hypervisor events under the name of the QMP event they come from where there is one.
import type { DomainState, DriverEvent } from '../driver.js';

const HEAD_RE = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d{4})?: )?event '([^']+)' for domain '(.*)$/;

/** virsh's lifecycle words: event -> detail -> state, reason, message */
type Mapped = { state: DomainState; reason?: string; message?: string };
const LIFECYCLE: Record<string, Record<string, Mapped | undefined> | undefined> = {
  // defined/undefined carry no state; listed so their lines split like the others
  Defined: { Added: undefined, Updated: undefined, Renamed: undefined, Snapshot: undefined },
  Undefined: { Removed: undefined, Renamed: undefined },
  Started: {
    Booted: { state: 'running', reason: 'booted' },
    Migrated: { state: 'running', reason: 'migrated' },
    Restored: { state: 'running', reason: 'restored' },
    Snapshot: { state: 'running', reason: 'from snapshot' },
    'Event wakeup': { state: 'running', reason: 'event wakeup' },
  },
  Suspended: {
    Paused: { state: 'paused', reason: 'user' },
    Migrated: { state: 'paused', reason: 'migrating' },
    'I/O Error': { state: 'paused', reason: 'io-error', message: 'paused after a disk I/O error' },
    Watchdog: { state: 'paused', reason: 'watchdog', message: 'paused by the watchdog' },
    Restored: { state: 'paused', reason: 'restored' },
    Snapshot: { state: 'paused', reason: 'creating snapshot' },
    'API error': { state: 'paused', reason: 'api error', message: 'paused after a failed libvirt operation' },
    'Post-copy': { state: 'paused', reason: 'post-copy' },
    'Post-copy Error': { state: 'paused', reason: 'post-copy failed' },
  },
  Resumed: {
    Unpaused: { state: 'running', reason: 'unpaused' },
    Migrated: { state: 'running', reason: 'migrated' },
    Snapshot: { state: 'running', reason: 'from snapshot' },
    'Post-copy': { state: 'running', reason: 'post-copy' },
    'Post-copy Error': { state: 'running', reason: 'post-copy failed' },
  },
  Stopped: {
    Shutdown: { state: 'shutoff', reason: 'shutdown' },
    Destroyed: { state: 'shutoff', reason: 'destroyed' },
    Crashed: { state: 'shutoff', reason: 'crashed', message: 'the emulator ended unexpectedly (libvirt: shut off, crashed)' },
    Migrated: { state: 'shutoff', reason: 'migrated' },
    Saved: { state: 'shutoff', reason: 'saved' },
    Failed: { state: 'shutoff', reason: 'failed', message: 'the domain failed to start' },
    Snapshot: { state: 'shutoff', reason: 'from snapshot' },
  },
  Shutdown: {
    Finished: { state: 'shutting down', reason: 'shutdown' },
    'Finished after guest request': { state: 'shutting down', reason: 'guest' },
    'Finished after host request': { state: 'shutting down', reason: 'host' },
  },
  PMSuspended: {
    Memory: { state: 'pmsuspended', reason: 'memory' },
    Disk: { state: 'pmsuspended', reason: 'disk' },
  },
  Crashed: {
    Panicked: { state: 'crashed', reason: 'panicked', message: 'the guest kernel panicked' },
    Crashloaded: { state: 'crashed', reason: 'crashloaded', message: 'the guest kernel crashed and loaded a crash kernel' },
  },
};

/** libvirt event names -> the QMP event each one reports */
const QMP_NAMES: Record<string, string> = {
  reboot: 'RESET',
  'device-removed': 'DEVICE_DELETED',
  'device-added': 'DEVICE_ADDED',
  'io-error': 'BLOCK_IO_ERROR',
  'io-error-reason': 'BLOCK_IO_ERROR',
  watchdog: 'WATCHDOG',
  'rtc-change': 'RTC_CHANGE',
  'tray-change': 'DEVICE_TRAY_MOVED',
  'balloon-change': 'BALLOON_CHANGE',
  'block-job': 'BLOCK_JOB',
  'block-job-2': 'BLOCK_JOB',
  'device-removal-failed': 'DEVICE_UNPLUG_GUEST_ERROR',
  'memory-failure': 'MEMORY_FAILURE',
};

function parseTime(date: string | undefined, zone: string | undefined): number | undefined {
  if (!date) return undefined;
  const z = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
  const t = Date.parse(`${date.replace(' ', 'T')}${z}`);
  return Number.isFinite(t) ? t : undefined;
}

/** Splits "NAME': DETAIL" (or "NAME'") for a lifecycle line, trusting the fixed vocabulary. */
function splitLifecycle(rest: string): { name: string; event: string; detail: string } | undefined {
  for (const [event, details] of Object.entries(LIFECYCLE)) {
    for (const detail of Object.keys(details!)) {
      const tail = `': ${event} ${detail}`;
      if (rest.endsWith(tail)) return { name: rest.slice(0, rest.length - tail.length), event, detail };
    }
  }
  return undefined;
}

/**
 * Splits the rest of other events' lines: "NAME': DETAIL", "NAME' disk hdc: opened", "NAME':",
 * "NAME'". The first quote followed by ':', ' ' or the end closes the name.
 */
function splitGeneric(rest: string): { name: string; detail?: string } | undefined {
  const m = /^(.*?)'(?::\s?(.*)| (.*)|)$/.exec(rest);
  if (!m) return undefined;
  const detail = m[2] ?? m[3];
  return { name: m[1], detail: detail === '' ? undefined : detail };
}

/** Data for the raw event: what kvmtui's event log shows (device, action, reason). */
function eventData(kind: string, detail: string | undefined): Record<string, unknown> | undefined {
  if (detail === undefined) return undefined;
  const data: Record<string, unknown> = { detail };
  if (kind === 'device-removed' || kind === 'device-added' || kind === 'device-removal-failed') data.device = detail;
  if (kind === 'watchdog') data.action = detail;
  if (kind === 'io-error' || kind === 'io-error-reason') {
    // "PATH (ALIAS) ACTION[ due to REASON]"
    const m = /^(.*) \(([^)]*)\) (\S+)(?: due to (.*))?$/.exec(detail);
    if (m) {
      data.path = m[1];
      data.device = m[2];
      data.action = m[3];
      if (m[4]) data.reason = m[4];
    }
  }
  if (kind === 'tray-change') {
    // "disk ALIAS: opened|closed"
    const m = /^disk (\S+): (\S+)$/.exec(detail);
    if (m) {
      data.device = m[1];
      data.action = m[2];
    }
  }
  return data;
}

/** One event line -> DriverEvent(s); [] for lines that are not events (continuations, noise). */
export function parseEventLine(line: string, now = Date.now()): DriverEvent[] {
  const m = HEAD_RE.exec(line.replace(/\r$/, ''));
  if (!m) return [];
  const time = parseTime(m[1], m[2]) ?? now;
  const kind = m[3];
  const rest = m[4];
  if (kind === 'lifecycle') {
    const lc = splitLifecycle(rest);
    if (!lc) return [];
    if (lc.event === 'Defined') return [{ kind: 'defined', name: lc.name }];
    if (lc.event === 'Undefined') return [{ kind: 'undefined', name: lc.name }];
    const mapped = LIFECYCLE[lc.event]?.[lc.detail];
    if (!mapped) return [];
    return [{ kind: 'state', name: lc.name, ...mapped }];
  }
  const g = splitGeneric(rest);
  if (!g) return [];
  const event = QMP_NAMES[kind] ?? kind.toUpperCase().replace(/-/g, '_');
  return [{ kind: 'qmp', name: g.name, event, data: eventData(kind, g.detail), time }];
}
