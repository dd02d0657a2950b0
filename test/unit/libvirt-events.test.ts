// `virsh event --all --loop --timestamp` lines (recorded from libvirt 9.0 while the test guest was
// defined, started, paused, hot-plugged, rebooted, shut down and destroyed) -> DriverEvents.
import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../src/driver/libvirt/event-parse.js';

const RECORDED = `2026-11-23 07:20:37.144+0000: event 'lifecycle' for domain 'lvkvm': Defined Added
2026-11-23 07:20:37.187+0000: event 'lifecycle' for domain 'lvkvm': Undefined Removed
2026-11-23 07:20:37.664+0000: event 'lifecycle' for domain 'lvt1': Resumed Unpaused
2026-11-23 07:20:37.665+0000: event 'lifecycle' for domain 'lvt1': Started Booted
2026-11-23 07:20:37.716+0000: event 'device-added' for domain 'lvt1': virtio-disk1
2026-11-23 07:16:27.840+0000: event 'lifecycle' for domain 'lvt1': Suspended Paused
2026-11-23 07:16:38.036+0000: event 'reboot' for domain 'lvt1'
2026-11-23 07:20:45.329+0000: event 'device-removed' for domain 'lvt1': net1
2026-11-23 07:16:32.160+0000: event 'lifecycle' for domain 'lvt1': Shutdown Finished after guest request
2026-11-23 07:16:33.592+0000: event 'lifecycle' for domain 'lvt1': Stopped Shutdown
2026-11-23 07:20:47.673+0000: event 'lifecycle' for domain 'lvt1': Shutdown Finished after host request
2026-11-23 07:20:47.688+0000: event 'lifecycle' for domain 'lvt1': Stopped Destroyed`;

describe('virsh event lines', () => {
  it('turns recorded lifecycle and device lines into driver events, in order', () => {
    const events = RECORDED.split('\n').flatMap((l) => parseEventLine(l, 0));
    expect(events).toEqual([
      { kind: 'defined', name: 'lvkvm' },
      { kind: 'undefined', name: 'lvkvm' },
      { kind: 'state', name: 'lvt1', state: 'running', reason: 'unpaused' },
      { kind: 'state', name: 'lvt1', state: 'running', reason: 'booted' },
      { kind: 'qmp', name: 'lvt1', event: 'DEVICE_ADDED', data: { detail: 'virtio-disk1', device: 'virtio-disk1' }, time: Date.parse('2026-11-23T07:20:37.716Z') },
      { kind: 'state', name: 'lvt1', state: 'paused', reason: 'user' },
      { kind: 'qmp', name: 'lvt1', event: 'RESET', data: undefined, time: Date.parse('2026-11-23T07:16:38.036Z') },
      { kind: 'qmp', name: 'lvt1', event: 'DEVICE_DELETED', data: { detail: 'net1', device: 'net1' }, time: Date.parse('2026-11-23T07:20:45.329Z') },
      { kind: 'state', name: 'lvt1', state: 'shutting down', reason: 'guest' },
      { kind: 'state', name: 'lvt1', state: 'shutoff', reason: 'shutdown' },
      { kind: 'state', name: 'lvt1', state: 'shutting down', reason: 'host' },
      { kind: 'state', name: 'lvt1', state: 'shutoff', reason: 'destroyed' },
    ]);
  });

  it('keeps names with spaces, quotes and lifecycle words intact', () => {
    expect(parseEventLine("event 'lifecycle' for domain 'web 1': Started Booted")).toEqual([
      { kind: 'state', name: 'web 1', state: 'running', reason: 'booted' },
    ]);
    expect(parseEventLine("event 'lifecycle' for domain 'it's: Started Booted': Stopped Crashed")).toEqual([
      {
        kind: 'state',
        name: "it's: Started Booted",
        state: 'shutoff',
        reason: 'crashed',
        message: 'the emulator ended unexpectedly (libvirt: shut off, crashed)',
      },
    ]);
  });

  it('maps panics, I/O errors and power management', () => {
    expect(parseEventLine("event 'lifecycle' for domain 'g': Crashed Panicked")[0]).toMatchObject({ state: 'crashed', reason: 'panicked' });
    expect(parseEventLine("event 'lifecycle' for domain 'g': Suspended I/O Error")[0]).toMatchObject({ state: 'paused', reason: 'io-error' });
    expect(parseEventLine("event 'lifecycle' for domain 'g': PMSuspended Memory")[0]).toMatchObject({ state: 'pmsuspended', reason: 'memory' });
    const io = parseEventLine("2026-11-23 08:00:00.000+0000: event 'io-error' for domain 'g': /img/a b.qcow2 (virtio-disk0) pause due to enospc")[0];
    expect(io).toEqual({
      kind: 'qmp',
      name: 'g',
      event: 'BLOCK_IO_ERROR',
      data: { detail: '/img/a b.qcow2 (virtio-disk0) pause due to enospc', path: '/img/a b.qcow2', device: 'virtio-disk0', action: 'pause', reason: 'enospc' },
      time: Date.parse('2026-11-23T08:00:00.000Z'),
    });
  });

  it('reads events whose name is not followed by a colon, and unknown event kinds', () => {
    const tray = parseEventLine("event 'tray-change' for domain 'g' disk sata0-0-0: opened", 7)[0];
    expect(tray).toEqual({ kind: 'qmp', name: 'g', event: 'DEVICE_TRAY_MOVED', data: { detail: 'disk sata0-0-0: opened', device: 'sata0-0-0', action: 'opened' }, time: 7 });
    const other = parseEventLine("event 'agent-lifecycle' for domain 'g': state: 'connected' reason: 'channel event'", 7)[0];
    expect(other).toMatchObject({ kind: 'qmp', name: 'g', event: 'AGENT_LIFECYCLE' });
  });

  it('ignores what is not an event line', () => {
    expect(parseEventLine('')).toEqual([]);
    expect(parseEventLine('\tkey=value')).toEqual([]);
    expect(parseEventLine('error: Disconnected from qemu:///system due to end of file')).toEqual([]);
    expect(parseEventLine("event 'lifecycle' for domain 'g': Started Sideways")).toEqual([]);
  });
});
