// Connection labels for the HOST column and the host lines: a word that says which host.
import { describe, expect, it } from 'vitest';
import { hostLabel, hostLabels } from '../../src/store/host-label.js';

describe('hostLabel', () => {
  it.each([
    ['qemu+ssh://user@host/system', 'host'],
    ['qemu+ssh://op@web3.example.com:2222/system', 'web3.example.com'],
    ['qemu+ssh://web3/session', 'web3 (session)'],
    ['qemu+tcp://10.0.0.5/system', '10.0.0.5'],
    ['qemu:///system', 'local (system)'],
    ['qemu:///session', 'local (session)'],
    ['test:///default', 'test'],
    ['test:///srv/fixtures/node.xml', 'test (node.xml)'],
    ['qemu+local:///tmp/kvmtui-demo-test', 'local'],
  ])('%s -> %s', (uri, label) => {
    expect(hostLabel(uri)).toBe(label);
  });

  it('names several local homes by their basename', () => {
    const labels = hostLabels(['qemu+local:///srv/kvm/prod', 'qemu+local:///home/op/.local/share/kvmtui', 'test:///default']);
    expect([...labels.values()]).toEqual(['prod', 'kvmtui', 'test']);
  });

  it('keeps "local" for one home beside a libvirt local connection', () => {
    expect([...hostLabels(['qemu+local:///tmp/h', 'qemu:///system']).values()]).toEqual(['local', 'local (system)']);
  });

  it('labels that would clash fall back to the URI without its scheme', () => {
    const labels = hostLabels(['qemu+ssh://alice@db1/system', 'qemu+ssh://bob@db1/system', 'qemu+local:///a/kvm', 'qemu+local:///b/kvm']);
    expect([...labels.values()]).toEqual(['alice@db1/system', 'bob@db1/system', '/a/kvm', '/b/kvm']);
  });

  it('an unparsable URI is its own label', () => {
    expect(hostLabel('not a uri')).toBe('not a uri');
  });
});
