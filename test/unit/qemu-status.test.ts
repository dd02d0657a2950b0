import { describe, expect, it } from 'vitest';
import { mapQmpStatus } from '../../src/driver/qemu/status.js';

describe('QMP run state -> libvirt state', () => {
  it('reports a guest stuck in internal-error as crashed with a clear message, never running', () => {
    const s = mapQmpStatus('internal-error', false);
    expect(s.state).toBe('crashed');
    expect(s.reason).toBe('internal-error');
    expect(s.message).toMatch(/internal error/);
    expect(s.message).toMatch(/type='qemu'/);
  });

  it('maps the ordinary states to libvirt names', () => {
    expect(mapQmpStatus('running', true).state).toBe('running');
    expect(mapQmpStatus('paused', false).state).toBe('paused');
    expect(mapQmpStatus('suspended', false).state).toBe('pmsuspended');
    expect(mapQmpStatus('guest-panicked', false).state).toBe('crashed');
    expect(mapQmpStatus('io-error', false)).toMatchObject({ state: 'paused', reason: 'io-error' });
    expect(mapQmpStatus('shutdown', false).state).toBe('shutting down');
  });

  it('falls back on the running flag for states it does not know', () => {
    expect(mapQmpStatus('colo', true).state).toBe('running');
    expect(mapQmpStatus('inmigrate', false).state).toBe('paused');
  });
});
