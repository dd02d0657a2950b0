// QMP run states -> libvirt state names, so a guest stuck in internal-error never shows as running.
import type { DomainState } from '../driver.js';

export interface MappedState {
  state: DomainState;
  reason?: string;
  message?: string;
}

export function mapQmpStatus(status: string, running: boolean): MappedState {
  switch (status) {
    case 'running':
      return { state: 'running', reason: 'booted' };
    case 'paused':
      return { state: 'paused', reason: 'user' };
    case 'prelaunch':
      return { state: 'paused', reason: 'starting up' };
    case 'suspended':
      return { state: 'pmsuspended', reason: 'guest' };
    case 'internal-error':
      return {
        state: 'crashed',
        reason: 'internal-error',
        message:
          "the hypervisor stopped the guest with an internal error (QMP status internal-error); force it off. " +
          "If this host's KVM cannot run it, use <domain type='qemu'> (TCG)",
      };
    case 'guest-panicked':
      return { state: 'crashed', reason: 'panicked', message: 'the guest kernel panicked (QMP status guest-panicked)' };
    case 'io-error':
      return { state: 'paused', reason: 'io-error', message: 'paused after a disk I/O error' };
    case 'shutdown':
      return { state: 'shutting down', reason: 'shutdown' };
    case 'watchdog':
      return { state: 'paused', reason: 'watchdog', message: 'paused by the watchdog' };
    default:
      return running ? { state: 'running', reason: status } : { state: 'paused', reason: status };
  }
}
