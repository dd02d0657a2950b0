// libvirt's numeric domain states and reasons (virDomainState, vir*Reason in libvirt-domain.h),
// as `domstats` reports them, mapped to kvmtui's state names. Reason words follow `virsh domstate
// --reason`, except I/O errors, which kvmtui calls "io-error" everywhere.
import type { DomainState } from '../driver.js';

export interface MappedState {
  state: DomainState;
  reason?: string;
  message?: string;
}

const RUNNING = ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled', 'event wakeup', 'crashed', 'post-copy', 'post-copy failed'];
const PAUSED = ['unknown', 'user', 'migrating', 'saving', 'dumping', 'io-error', 'watchdog', 'from snapshot', 'shutting down', 'creating snapshot', 'crashed', 'starting up', 'post-copy', 'post-copy failed', 'api error'];
const SHUTDOWN = ['unknown', 'user'];
const SHUTOFF = ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'];
const CRASHED = ['unknown', 'panicked'];

/** VIR_DOMAIN_* state numbers */
export const LIBVIRT_STATE = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

function word(table: string[], reason: number): string {
  return table[reason] ?? `reason ${reason}`;
}

export function mapLibvirtState(state: number, reason: number): MappedState {
  switch (state) {
    case LIBVIRT_STATE.RUNNING:
      return { state: 'running', reason: word(RUNNING, reason) };
    case LIBVIRT_STATE.BLOCKED:
      // blocked on a resource (Xen's idle): still running as far as an operator is concerned
      return { state: 'running', reason: 'blocked' };
    case LIBVIRT_STATE.PAUSED: {
      const r = word(PAUSED, reason);
      if (r === 'shutting down') return { state: 'shutting down', reason: 'shutdown' };
      if (r === 'io-error') return { state: 'paused', reason: r, message: 'paused after a disk I/O error' };
      if (r === 'watchdog') return { state: 'paused', reason: r, message: 'paused by the watchdog' };
      if (r === 'crashed') return { state: 'crashed', reason: 'panicked', message: 'the guest crashed and was paused (libvirt: paused, crashed)' };
      if (r === 'api error') return { state: 'paused', reason: r, message: 'paused after a failed libvirt operation' };
      return { state: 'paused', reason: r };
    }
    case LIBVIRT_STATE.SHUTDOWN:
      return { state: 'shutting down', reason: word(SHUTDOWN, reason) };
    case LIBVIRT_STATE.SHUTOFF: {
      const r = word(SHUTOFF, reason);
      if (r === 'crashed') return { state: 'shutoff', reason: r, message: 'the emulator ended unexpectedly (libvirt: shut off, crashed)' };
      if (r === 'failed') return { state: 'shutoff', reason: r, message: 'the domain failed to start' };
      return { state: 'shutoff', reason: r === 'unknown' ? undefined : r };
    }
    case LIBVIRT_STATE.CRASHED: {
      const r = word(CRASHED, reason);
      return { state: 'crashed', reason: r, message: r === 'panicked' ? 'the guest kernel panicked' : 'the domain crashed' };
    }
    case LIBVIRT_STATE.PMSUSPENDED:
      return { state: 'pmsuspended', reason: 'guest' };
    case LIBVIRT_STATE.NOSTATE:
      return { state: 'paused', reason: 'no state', message: 'libvirt reports no state for this domain' };
    default:
      return { state: 'paused', reason: `state ${state}`, message: `libvirt reports an unknown state (${state})` };
  }
}

/** Active means a QEMU exists: anything but shutoff. */
export function isActiveState(s: DomainState): boolean {
  return s !== 'shutoff';
}

/** The message for a domain QEMU stopped with an internal error (seen through query-status). */
export const INTERNAL_ERROR_MESSAGE =
  "the hypervisor stopped the guest with an internal error (QMP status internal-error); force it off. " +
  "If this host's KVM cannot run it, use <domain type='qemu'> (TCG)";
