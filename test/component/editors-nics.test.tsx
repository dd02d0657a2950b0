// The NIC editor at a pinned size with fake actions: the table (host side, link, live rx/tx or
// why there is none), add with inline MAC and forward validation, link toggling, port forwards,
// removal, each confirmed with the equivalent kvmtui command.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import type { DomainDetails, DomainState } from '../../src/driver/driver.js';
import { parseDomainXml } from '../../src/domain/index.js';
import type { DeviceActions } from '../../src/ui/components/forms/device-actions.js';
import { NicsScreen } from '../../src/ui/screens/nics-screen.js';

const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', tab: '\t', right: '\x1b[C', left: '\x1b[D', backspace: '\x7f' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const XML = `<domain type="qemu">
  <name>web1</name>
  <memory unit="MiB">256</memory>
  <devices>
    <interface type="user">
      <mac address="52:54:00:12:34:56"/>
      <model type="virtio"/>
      <portForward proto="tcp">
        <range start="2222" to="22"/>
      </portForward>
    </interface>
    <interface type="ethernet">
      <mac address="52:54:00:00:00:02"/>
      <target dev="tap7"/>
      <model type="e1000e"/>
      <link state="down"/>
    </interface>
  </devices>
</domain>`;

function details(state: DomainState): DomainDetails {
  return {
    connection: 'fake:///',
    name: 'web1',
    uuid: '',
    state,
    type: 'qemu',
    vcpus: 1,
    memoryKiB: 262144,
    currentMemoryKiB: 262144,
    persistent: true,
    autostart: false,
    xml: XML,
    config: parseDomainXml(XML).config,
  };
}

function fakeActions(): DeviceActions & { calls: Array<{ method: string; args: unknown[] }> } {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const rec =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return { mac: '52:54:00:ab:cd:ef' } as never;
    };
  return {
    calls,
    attachDisk: rec('attachDisk'),
    detachDisk: rec('detachDisk'),
    blockResize: rec('blockResize'),
    changeMedia: rec('changeMedia'),
    attachInterface: rec('attachInterface'),
    detachInterface: rec('detachInterface'),
    setLink: rec('setLink'),
    addPortForward: rec('addPortForward'),
    removePortForward: rec('removePortForward'),
  };
}

/** The frame as one line of text: no colour codes, every run of whitespace one space. */
// eslint-disable-next-line no-control-regex
const flat = (f: string) => f.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ');

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function setup(state: DomainState, width = 100, height = 24) {
  const actions = fakeActions();
  const r = render(
    <NicsScreen
      details={details(state)}
      rates={[
        { mac: '52:54:00:12:34:56', note: 'user networking: the host has no counters' },
        { mac: '52:54:00:00:00:02', hostDev: 'tap7', rxBytesPerSec: 4096, txBytesPerSec: 512 },
      ]}
      width={width}
      height={height}
      actions={actions}
      onBack={() => {}}
    />,
  );
  unmount = r.unmount;
  await sleep(30);
  const frame = () => r.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await sleep(12);
    }
    await sleep(20);
  };
  const type = async (text: string) => {
    for (const ch of text) await press(ch);
  };
  return { frame, press, type, actions };
}

describe('NIC table', () => {
  it('shows type, model, MAC, link, host side and live rx/tx', async () => {
    const h = await setup('running');
    const f = h.frame();
    expect(f).toMatch(/user\s+virtio\s+52:54:00:12:34:56\s+up\s+tcp 2222→22\s+-\s+-/);
    expect(f).toMatch(/ethernet\s+e1000e\s+52:54:00:00:00:02\s+down\s+tap tap7\s+4 KiB\/s\s+512 B\/s/);
    expect(f).toContain('user networking: the host has no counters');
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    expect(f.split('\n').length).toBe(24);
  });
});

describe('add', () => {
  it('validates the MAC and forwards inline, then attaches with the equivalent command', async () => {
    const h = await setup('running');
    await h.press('a', KEY.tab, KEY.tab); // Type, Model, MAC
    // the editor picks the MAC when the form opens and shows it, so the command can name it
    const shown = /(52:54:00(?::[0-9a-f]{2}){3}) \(generated\)/.exec(h.frame());
    expect(shown).not.toBeNull();
    const mac = shown![1];
    expect(['52:54:00:12:34:56', '52:54:00:00:00:02']).not.toContain(mac);
    await h.type('zz:zz:zz:zz:zz:zz');
    expect(h.frame()).toContain("✖ MAC address 'zz:zz:zz:zz:zz:zz' is not of the form xx:xx:xx:xx:xx:xx");
    for (let i = 0; i < 17; i++) await h.press(KEY.backspace);
    await h.type('01:00:5e:00:00:01');
    expect(h.frame()).toContain('multicast');
    for (let i = 0; i < 17; i++) await h.press(KEY.backspace);
    await h.press(KEY.tab); // Port forwards
    await h.type('tcp:8080:80,tcp:99999:1');
    expect(h.frame()).toContain('port 99999 is out of range');
    for (let i = 0; i < ',tcp:99999:1'.length; i++) await h.press(KEY.backspace);
    await h.press(KEY.enter);
    const f = h.frame();
    expect(f).toContain('Add a user interface to web1');
    expect(f).toContain(`A virtio NIC, MAC ${mac} (generated).`);
    expect(f).toContain('Forwards tcp 8080→80.');
    // the command wraps at the screen's width: read it as one line
    expect(flat(f)).toContain(`kvmtui attach-interface web1 user --model virtio --mac ${mac} --hostfwd tcp:8080:80 --live --config`);
    await h.press('y');
    // the driver is handed the same MAC: rerunning the shown command gives the same NIC
    expect(h.actions.calls).toEqual([
      { method: 'attachInterface', args: [{ type: 'user', model: 'virtio', mac, portForwards: [{ protocol: 'tcp', hostPort: 8080, guestPort: 80 }] }, { live: true, config: true }] },
    ]);
    expect(h.frame()).toContain('interface 52:54:00:ab:cd:ef added');
  });

  it('a typed MAC replaces the generated one in the command and the call', async () => {
    const h = await setup('shutoff');
    await h.press('a', KEY.tab, KEY.tab);
    await h.type('52:54:00:AA:BB:CC');
    await h.press(KEY.enter);
    expect(h.frame()).toContain('A virtio NIC, MAC 52:54:00:aa:bb:cc.');
    expect(flat(h.frame())).toContain('kvmtui attach-interface web1 user --model virtio --mac 52:54:00:aa:bb:cc --config');
    await h.press('y');
    expect(h.actions.calls[0]).toEqual({ method: 'attachInterface', args: [{ type: 'user', model: 'virtio', mac: '52:54:00:aa:bb:cc' }, { live: false, config: true }] });
  });

  it('a bridge needs its name', async () => {
    const h = await setup('shutoff');
    await h.press('a', KEY.right, KEY.enter); // type bridge, submit
    expect(h.frame()).toContain('✖ name the host bridge');
    expect(h.actions.calls).toEqual([]);
  });
});

describe('link and forwards', () => {
  it('toggles the link: down for an up NIC, up for a down one', async () => {
    const h = await setup('running');
    await h.press('l', KEY.enter);
    expect(h.frame()).toContain('kvmtui domif-setlink web1 52:54:00:12:34:56 down --live --config');
    expect(h.frame()).toContain('no carrier');
    await h.press('y');
    await h.press(KEY.down, 'l', KEY.right, KEY.enter); // running only
    expect(h.frame()).toContain('kvmtui domif-setlink web1 52:54:00:00:00:02 up --live');
    await h.press(KEY.enter);
    expect(h.actions.calls).toEqual([
      { method: 'setLink', args: ['52:54:00:12:34:56', 'down', { live: true, config: true }] },
      { method: 'setLink', args: ['52:54:00:00:00:02', 'up', { live: true, config: false }] },
    ]);
  });

  it('adds and removes a port forward on the user NIC, and refuses one on a tap', async () => {
    const h = await setup('running');
    await h.press('f');
    await h.type('udp:5353:53');
    await h.press(KEY.enter);
    expect(h.frame()).toContain('Connections to udp port 5353 on the host reach port 53 of the guest (NIC 52:54:00:12:34:56).');
    expect(h.frame()).toContain('kvmtui hostfwd-add web1 52:54:00:12:34:56 udp:5353:53 --live --config');
    await h.press('y');
    await h.press('F', KEY.enter);
    expect(h.frame()).toContain('kvmtui hostfwd-remove web1 52:54:00:12:34:56 tcp:2222:22 --live --config');
    await h.press('y');
    expect(h.actions.calls).toEqual([
      { method: 'addPortForward', args: ['52:54:00:12:34:56', { protocol: 'udp', hostPort: 5353, guestPort: 53 }, { live: true, config: true }] },
      { method: 'removePortForward', args: ['52:54:00:12:34:56', { protocol: 'tcp', hostPort: 2222, guestPort: 22 }, { live: true, config: true }] },
    ]);
    await h.press(KEY.down, 'f');
    expect(h.frame()).toContain('port forwards need a user-network interface; 52:54:00:00:00:02 is ethernet');
  });

  it('removes a NIC after confirmation', async () => {
    const h = await setup('shutoff');
    await h.press(KEY.down, 'x', KEY.enter);
    expect(h.frame()).toContain('kvmtui detach-interface web1 ethernet --mac 52:54:00:00:00:02 --config');
    await h.press('n');
    expect(h.actions.calls).toEqual([]);
    await h.press('x', KEY.enter, 'y');
    expect(h.actions.calls).toEqual([{ method: 'detachInterface', args: ['52:54:00:00:00:02', { live: false, config: true }] }]);
  });
});

describe('an interface without a MAC in the XML', () => {
  it('shows the MAC the driver derives for it and changes it by that MAC', async () => {
    const { derivedMac } = await import('../../src/driver/qemu/argv-net.js');
    const xml = XML.replace('      <mac address="52:54:00:12:34:56"/>\n', '');
    const d = { ...details('running'), uuid: 'u-1', xml, config: { ...parseDomainXml(xml).config, uuid: 'u-1' } };
    const derived = derivedMac('u-1', 0);
    const actions = fakeActions();
    const r = render(<NicsScreen details={d} width={100} height={24} actions={actions} onBack={() => {}} />);
    unmount = r.unmount;
    await sleep(30);
    expect(r.lastFrame()).toMatch(new RegExp(`user\\s+virtio\\s+${derived}`));
    expect(r.lastFrame()).toContain('MAC derived: not in the XML');
    r.stdin.write('l');
    await sleep(30);
    r.stdin.write('\r');
    await sleep(30);
    expect(r.lastFrame()).toContain(`kvmtui domif-setlink web1 ${derived} down --live --config`);
    r.stdin.write('y');
    await sleep(40);
    expect(actions.calls).toEqual([{ method: 'setLink', args: [derived, 'down', { live: true, config: true }] }]);
  });
});
