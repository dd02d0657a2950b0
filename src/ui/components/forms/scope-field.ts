// "Apply to": where a change goes. A running domain offers the running domain and its config
// (the default, like virsh --persistent), either one alone; a shut-off domain only its config.
import type { ChangeScope, DomainState } from '../../../driver/driver.js';
import type { FieldSpec } from './form-model.js';

export const SCOPE_BOTH = 'running + config';
export const SCOPE_LIVE = 'running only';
export const SCOPE_CONFIG = 'config only';

export function canChangeLive(state: DomainState): boolean {
  return state === 'running' || state === 'paused';
}

export function scopeField(state: DomainState): FieldSpec {
  const live = canChangeLive(state);
  return {
    id: 'scope',
    label: 'Apply to',
    kind: 'choice',
    options: live ? [SCOPE_BOTH, SCOPE_LIVE, SCOPE_CONFIG] : [SCOPE_CONFIG],
    help: live
      ? 'running + config: now and after the next start; running only: lost at shutdown; config only: from the next start'
      : 'the domain is shut off: the change goes to its config and applies at the next start',
  };
}

export function scopeOf(value: string | undefined): ChangeScope {
  if (value === SCOPE_BOTH) return { live: true, config: true };
  if (value === SCOPE_LIVE) return { live: true, config: false };
  return { live: false, config: true };
}

/** "to the running domain and its config" ... for confirmation lines. */
export function scopeWords(scope: ChangeScope): string {
  if (scope.live && scope.config) return 'the running domain and its config';
  if (scope.live) return 'the running domain only (lost at shutdown)';
  return 'the config only (takes effect at the next start)';
}
