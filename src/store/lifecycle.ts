// Lifecycle actions: which driver method each calls, the CLI verb that does the same, the
// transient state shown while it runs, and when it cannot act (with the reason shown to the user).
import type { DomainState, Driver } from '../driver/driver.js';

export type LifecycleAction = 'start' | 'shutdown' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume';

export interface LifecycleInfo {
  /** the kvmtui (and virsh) verb */
  verb: string;
  /** what the user calls it */
  label: string;
  method: keyof Pick<Driver, 'start' | 'shutdown' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume'>;
  /** shown at once while the action is under way */
  transient?: DomainState;
  /** destructive actions always ask first */
  destructive: boolean;
  /** one line on what happens, for the confirmation */
  effect: string;
}

export const LIFECYCLE: Record<LifecycleAction, LifecycleInfo> = {
  start: { verb: 'start', label: 'start', method: 'start', transient: 'starting', destructive: false, effect: 'boot the domain' },
  shutdown: {
    verb: 'shutdown',
    label: 'shutdown',
    method: 'shutdown',
    transient: 'shutting down',
    destructive: false,
    effect: 'press the ACPI power button; the guest shuts itself down',
  },
  destroy: {
    verb: 'destroy',
    label: 'force off',
    method: 'destroy',
    transient: 'shutting down',
    destructive: true,
    effect: 'cut the power at once: unsaved guest data is lost',
  },
  reboot: { verb: 'reboot', label: 'reboot', method: 'reboot', destructive: false, effect: 'ask the guest to reboot' },
  reset: { verb: 'reset', label: 'reset', method: 'reset', destructive: true, effect: 'hard reset, like the reset button: unsaved guest data is lost' },
  suspend: { verb: 'suspend', label: 'pause', method: 'suspend', destructive: false, effect: 'pause the vCPUs' },
  resume: { verb: 'resume', label: 'resume', method: 'resume', destructive: false, effect: 'resume the vCPUs' },
};

export const LIFECYCLE_ACTIONS = Object.keys(LIFECYCLE) as LifecycleAction[];

const ACTIVE: ReadonlySet<DomainState> = new Set(['running', 'paused']);

/** Why `action` cannot act on a domain in `state` (undefined when it can). */
export function cannotAct(action: LifecycleAction, state: DomainState, busy?: LifecycleAction): string | undefined {
  if (busy) return `${LIFECYCLE[busy].label} already under way`;
  switch (action) {
    case 'start':
      if (state === 'running') return 'already running';
      if (state === 'paused') return 'paused (resume it with p)';
      if (state === 'starting') return 'already starting';
      if (state === 'shutting down') return 'still shutting down';
      return undefined;
    case 'shutdown':
    case 'reboot':
      if (state === 'paused') return 'paused: the guest cannot answer ACPI (resume first, or force off)';
      return ACTIVE.has(state) ? undefined : notRunning(state);
    case 'destroy':
    case 'reset':
      return ACTIVE.has(state) || state === 'shutting down' ? undefined : notRunning(state);
    case 'suspend':
      if (state === 'paused') return 'already paused';
      return state === 'running' ? undefined : notRunning(state);
    case 'resume':
      if (state === 'running') return 'not paused';
      return state === 'paused' ? undefined : notRunning(state);
  }
}

function notRunning(state: DomainState): string {
  if (state === 'shutoff') return 'not running';
  return `domain is ${state}`;
}

/** The equivalent command line, e.g. `kvmtui destroy web1`. */
export function cliCommand(action: LifecycleAction, name: string): string {
  return `kvmtui ${LIFECYCLE[action].verb} ${shellWord(name)}`;
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_.+:@%=,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
