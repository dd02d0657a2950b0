import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainXml, type DomainDocument } from '../../src/domain/document.js';
import {
  addInterface,
  addPortForward,
  removeInterface,
  removePortForward,
  setLinkState,
  type InterfaceSpec,
} from '../../src/domain/edit-interfaces.js';
import { KvmtuiError } from '../../src/driver/errors.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/domains');
const FOREIGN = readFileSync(join(FIXTURES, 'foreign.xml'), 'utf8');
const load = (name: string) => parseDomainXml(readFileSync(join(FIXTURES, name), 'utf8'));

function refused(doc: DomainDocument, edit: (d: DomainDocument) => unknown): KvmtuiError {
  const before = doc.toXml();
  try {
    edit(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    expect((e as KvmtuiError).code).toBe('INVALID_CONFIG');
    expect(doc.toXml()).toBe(before);
    return e as KvmtuiError;
  }
  throw new Error('expected the edit to be refused');
}

describe('addInterface', () => {
  it('adds a user NIC with a generated MAC after the last interface, leaving the rest as it was', () => {
    const doc = load('tiny.xml');
    const out = addInterface(doc, { type: 'user', model: 'e1000e' });
    const added = out.config.interfaces[1]!;
    expect(added).toMatchObject({ type: 'user', model: 'e1000e', linkState: undefined, portForwards: [] });
    expect(added.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(added.mac).not.toBe('52:54:00:12:34:56');
    const block = `\n    <interface type="user">\n      <mac address="${added.mac}"/>\n      <model type="e1000e"/>\n    </interface>`;
    expect(out.toXml()).toContain(`</interface>${block}\n    <serial`);
    expect(out.toXml().replace(block, '')).toBe(doc.toXml());
  });

  it('avoids MACs used by other domains when generating one', () => {
    const used = Array.from({ length: 50 }, (_, i) => `52:54:00:00:00:${i.toString(16).padStart(2, '0')}`);
    const mac = addInterface(load('tiny.xml'), { type: 'user' }, { usedMacs: used }).config.interfaces[1]!.mac!;
    expect(used).not.toContain(mac);
  });

  it('writes bridge, network and ethernet interfaces with their host side', () => {
    const doc = load('tiny.xml');
    const bridge = addInterface(doc, { type: 'bridge', source: 'br0', mac: '52:54:00:AA:00:01', model: 'rtl8139' });
    expect(bridge.config.interfaces[1]).toMatchObject({ type: 'bridge', source: 'br0', mac: '52:54:00:aa:00:01', model: 'rtl8139' });
    const network = addInterface(doc, { type: 'network', source: 'default', linkState: 'down' });
    expect(network.config.interfaces[1]).toMatchObject({ type: 'network', source: 'default', linkState: 'down' });
    const tap = addInterface(doc, { type: 'ethernet', targetDev: 'tap-kt0' });
    expect(tap.config.interfaces[1]).toMatchObject({ type: 'ethernet', targetDev: 'tap-kt0', source: undefined });
    expect(tap.toXml()).toContain('<target dev="tap-kt0"/>');
  });

  it('writes port forwards for a user NIC, grouped by protocol', () => {
    const out = addInterface(load('tiny.xml'), {
      type: 'user',
      mac: '52:54:00:00:00:02',
      portForwards: [
        { protocol: 'tcp', hostPort: 2222, guestPort: 22 },
        { protocol: 'tcp', hostPort: 8080, guestPort: 80, hostAddress: '127.0.0.1' },
        { protocol: 'tcp', hostPort: 4443, guestPort: 443 },
        { protocol: 'udp', hostPort: 5353, guestPort: 53 },
      ],
    });
    expect(out.config.interfaces[1]!.portForwards).toEqual([
      { protocol: 'tcp', hostAddress: undefined, hostPort: 2222, guestPort: 22 },
      { protocol: 'tcp', hostAddress: undefined, hostPort: 4443, guestPort: 443 },
      { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 80 },
      { protocol: 'udp', hostAddress: undefined, hostPort: 5353, guestPort: 53 },
    ]);
  });

  it.each<[string, InterfaceSpec, string]>([
    ['a malformed MAC', { type: 'user', mac: 'zz:zz:zz:zz:zz:zz' }, "MAC address 'zz:zz:zz:zz:zz:zz' is not of the form xx:xx:xx:xx:xx:xx (hex digits)"],
    ['a multicast MAC', { type: 'user', mac: '01:00:5e:00:00:01' }, "MAC address '01:00:5e:00:00:01' is a multicast address (the first octet must be even)"],
    ['a MAC this domain uses', { type: 'user', mac: '52:54:00:12:34:56' }, 'MAC address 52:54:00:12:34:56 is already used by an interface of this domain'],
    ['a bridge without a name', { type: 'bridge' }, 'an interface of type bridge needs a bridge name'],
    ['a network without a name', { type: 'network' }, 'an interface of type network needs a network name'],
    ['an unknown type', { type: 'vhostuser' as never }, "unknown interface type 'vhostuser' (use user, bridge, ethernet, network)"],
    ['a bad model', { type: 'user', model: 'virtio net' }, "invalid interface model 'virtio net' (e.g. virtio, e1000e, rtl8139)"],
    ['a long tap name', { type: 'ethernet', targetDev: 'a-very-long-tap-name' }, "invalid tap device name 'a-very-long-tap-name' (at most 15 letters, digits, '.', '_' or '-')"],
    ['port forwards on a bridge', { type: 'bridge', source: 'br0', portForwards: [{ protocol: 'tcp', hostPort: 1, guestPort: 1 }] }, 'port forwards need an interface of type user'],
    ['a port out of range', { type: 'user', portForwards: [{ protocol: 'tcp', hostPort: 70000, guestPort: 22 }] }, 'port forward host port 70000 is out of range (1-65535)'],
    [
      'the same host port twice',
      { type: 'user', portForwards: [{ protocol: 'tcp', hostPort: 2222, guestPort: 22 }, { protocol: 'tcp', hostPort: 2222, guestPort: 23 }] },
      'host port tcp 2222 is forwarded twice',
    ],
  ])('refuses %s with a specific message and no change', (_what, spec, message) => {
    expect(refused(load('tiny.xml'), (d) => addInterface(d, spec)).message).toBe(message);
  });

  it('refuses a MAC another domain uses', () => {
    const e = refused(load('tiny.xml'), (d) => addInterface(d, { type: 'user', mac: '52:54:00:00:00:09' }, { usedMacs: ['52:54:00:00:00:09'] }));
    expect(e.message).toBe('MAC address 52:54:00:00:00:09 is already used by another domain');
  });
});

describe('removeInterface', () => {
  it('removes by MAC in any case; add then remove gives back the same bytes', () => {
    const doc = parseDomainXml(FOREIGN);
    const out = removeInterface(doc, '52:54:00:AA:BB:CD');
    expect(out.config.interfaces.map((i) => i.mac)).toEqual(['52:54:00:aa:bb:cc']);
    const added = addInterface(doc, { type: 'user', mac: '52:54:00:00:00:77' });
    expect(removeInterface(added, '52:54:00:00:00:77').toXml()).toBe(FOREIGN);
  });

  it('refuses an unknown MAC and names the existing ones', () => {
    expect(refused(load('tiny.xml'), (d) => removeInterface(d, '52:54:00:99:99:99')).message).toBe(
      'no interface with MAC 52:54:00:99:99:99 (interfaces: 52:54:00:12:34:56)',
    );
  });
});

describe('setLinkState', () => {
  it('writes <link state="down"/> and removes it again for up', () => {
    const doc = load('tiny.xml');
    const down = setLinkState(doc, '52:54:00:12:34:56', 'down');
    expect(down.config.interfaces[0]!.linkState).toBe('down');
    expect(down.toXml()).toContain('<model type="virtio"/>\n      <link state="down"/>\n    </interface>');
    expect(setLinkState(down, '52:54:00:12:34:56', 'up').toXml()).toBe(doc.toXml());
  });

  it('changes an existing <link> in place', () => {
    const up = setLinkState(parseDomainXml(FOREIGN), '52:54:00:aa:bb:cc', 'up');
    expect(up.config.interfaces[0]!.linkState).toBeUndefined();
    expect(up.toXml()).not.toContain('<link');
    // <link> comes back where libvirt puts it, after <model>: here that is where it was
    expect(setLinkState(up, '52:54:00:aa:bb:cc', 'down').toXml()).toBe(FOREIGN);
    const down = setLinkState(parseDomainXml(FOREIGN), '52:54:00:aa:bb:cc', 'down');
    expect(down.toXml()).toBe(FOREIGN);
  });

  it('refuses an unknown state and an unknown MAC', () => {
    const doc = load('tiny.xml');
    expect(refused(doc, (d) => setLinkState(d, '52:54:00:12:34:56', 'sideways' as never)).message).toBe("link state must be up or down, not 'sideways'");
    expect(refused(doc, (d) => setLinkState(d, '52:54:00:00:00:01', 'down')).message).toMatch(/^no interface with MAC 52:54:00:00:00:01/);
  });
});

describe('port forwards', () => {
  const MAC = '52:54:00:aa:bb:cc';

  it('adds a range to the matching <portForward> and removes it again', () => {
    const doc = parseDomainXml(FOREIGN);
    const out = addPortForward(doc, MAC, { protocol: 'udp', hostPort: 6000, guestPort: 60 });
    expect(out.toXml()).toContain('<portForward proto="udp">\n        <range start="5353" to="53"/>\n        <range start="6000" to="60"/>\n      </portForward>');
    expect(out.config.interfaces[0]!.portForwards).toContainEqual({ protocol: 'udp', hostAddress: undefined, hostPort: 6000, guestPort: 60 });
    expect(removePortForward(out, MAC, { protocol: 'udp', hostPort: 6000 }).toXml()).toBe(FOREIGN);
  });

  it('creates a <portForward> for a new protocol/address and drops it when its last range goes', () => {
    const doc = load('tiny.xml');
    const out = addPortForward(doc, '52:54:00:12:34:56', { protocol: 'tcp', hostPort: 2222, guestPort: 22 });
    expect(out.config.interfaces[0]!.portForwards).toEqual([{ protocol: 'tcp', hostAddress: undefined, hostPort: 2222, guestPort: 22 }]);
    expect(removePortForward(out, '52:54:00:12:34:56', { protocol: 'tcp', hostPort: 2222 }).toXml()).toBe(doc.toXml());
  });

  it('keeps other ranges and the unknown <backend> when removing one', () => {
    const out = removePortForward(parseDomainXml(FOREIGN), MAC, { protocol: 'tcp', hostPort: 2222, hostAddress: '127.0.0.1' });
    expect(out.config.interfaces[0]!.portForwards.map((p) => p.hostPort)).toEqual([8080, 9000, 5353]);
    expect(out.toXml()).toContain('<backend type="passt"/>');
    expect(out.toXml()).toContain('<range start="9005" exclude="yes"/>');
  });

  it('refuses a port already forwarded (also inside a range), a non-user NIC and a missing forward', () => {
    const doc = parseDomainXml(FOREIGN);
    expect(refused(doc, (d) => addPortForward(d, MAC, { protocol: 'tcp', hostPort: 2222, guestPort: 23, hostAddress: '127.0.0.1' })).message).toBe(
      'host port tcp 127.0.0.1:2222 is already forwarded (to guest port 22)',
    );
    expect(refused(doc, (d) => addPortForward(d, MAC, { protocol: 'tcp', hostPort: 9004, guestPort: 1, hostAddress: '127.0.0.1' })).message).toMatch(
      /9004 is already forwarded/,
    );
    expect(refused(doc, (d) => addPortForward(d, '52:54:00:aa:bb:cd', { protocol: 'tcp', hostPort: 1, guestPort: 1 })).message).toBe(
      'interface 52:54:00:aa:bb:cd is of type bridge: port forwards need type user',
    );
    expect(refused(doc, (d) => addPortForward(d, MAC, { protocol: 'sctp' as never, hostPort: 1, guestPort: 1 })).message).toBe(
      "port forward protocol must be tcp or udp, not 'sctp'",
    );
    expect(refused(doc, (d) => removePortForward(d, MAC, { protocol: 'udp', hostPort: 9999 })).message).toBe(
      'interface 52:54:00:aa:bb:cc has no port forward for host port udp 9999',
    );
  });
});
