// `n` on a domain: its network interfaces as a table (type, model, MAC, link, host side: tap,
// bridge or user-net port forwards, live rx/tx where the host can count), and keyboard forms to
// add and remove NICs, set the link up or down, and add or remove port forwards.
import type { ChangeScope, DomainState, DomainDetails, InterfaceAttachSpec, PortForward } from '../../driver/driver.js';
import { formatBytes, generateMac, macProblem } from '../../domain/index.js';
import type { InterfaceConfig } from '../../domain/model.js';
import { cliText, formatPortForward, parsePortForward } from '../../driver/qemu/device-syntax.js';
import { effectiveMacs } from '../../driver/qemu/device-mac.js';
import type { NicRates } from '../../store/rates.js';
import { fit } from '../format.js';
import type { Segment } from '../components/line.js';
import { COLORS } from '../theme.js';
import type { DeviceActions } from '../components/forms/device-actions.js';
import { messageRows, useEditorFlow, type Plan } from '../components/forms/editor-flow.js';
import { TablePage, flowPage, keyHintRow } from '../components/forms/editor-screen.js';
import type { FieldSpec, FormValues } from '../components/forms/form-model.js';
import { useSelection } from '../components/forms/use-selection.js';
import { canChangeLive, scopeField, scopeOf, scopeWords } from '../components/forms/scope-field.js';

export interface NicsScreenProps {
  details: DomainDetails;
  /** the domain's current state from the list (details may have been loaded before a start or stop) */
  state?: DomainState;
  /** live rx/tx per NIC from the store's rates, while the domain runs */
  rates?: NicRates[];
  width: number;
  height: number;
  actions: DeviceActions;
  isActive?: boolean;
  /** Esc on the table */
  onBack(): void;
}

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;

function rate(v: number | undefined): string {
  return v === undefined ? '-' : `${formatBytes(Math.round(v))}/s`;
}

function forwardText(f: PortForward): string {
  return `${f.protocol} ${f.hostAddress ? `${f.hostAddress}:` : ''}${f.hostPort}→${f.guestPort}`;
}

function hostSide(n: InterfaceConfig): string {
  if (n.type === 'user') return n.portForwards.length ? n.portForwards.map(forwardText).join(', ') : 'NAT, no forwards';
  if (n.type === 'bridge') return `bridge ${n.source ?? '?'}${n.targetDev ? `, tap ${n.targetDev}` : ''}`;
  if (n.type === 'ethernet') return n.targetDev ? `tap ${n.targetDev}` : 'tap (named by QEMU)';
  return n.source ?? '-';
}

function forwardsProblem(v: string): string | undefined {
  for (const rule of v.split(',').map((r) => r.trim()).filter(Boolean)) {
    try {
      parsePortForward(rule);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

type Nic = InterfaceConfig & { derivedMac?: boolean };

/**
 * The config's interfaces, each with the MAC it runs with: an interface without one in the XML
 * gets the stable MAC the local driver derives at start (argv-net.ts), so it can be changed too.
 */
export function interfacesOf(details: DomainDetails): Nic[] {
  const macs = effectiveMacs(details.config);
  return details.config.interfaces.map((n, i) => (n.mac !== undefined ? n : { ...n, mac: macs[i]!.mac, derivedMac: true }));
}

export function nicTableRows(details: DomainDetails, rates: NicRates[] | undefined, selected: number, width: number): Segment[][] {
  const nics = interfacesOf(details);
  const live = canChangeLive(details.state);
  const cols = [
    { title: 'TYPE', width: 8 },
    { title: 'MODEL', width: 8 },
    { title: 'MAC', width: 17 },
    { title: 'LINK', width: 4 },
    { title: 'HOST SIDE', width: 0 },
    ...(live ? [{ title: 'RX', width: 10, align: 'right' as const }, { title: 'TX', width: 10, align: 'right' as const }] : []),
  ] as Array<{ title: string; width: number; align?: 'left' | 'right' }>;
  cols[4].width = Math.max(8, width - (cols.reduce((a, c) => a + c.width, 0) + cols.length));
  const line = (cells: string[]) => cells.map((c, i) => fit(c, cols[i].width, cols[i].align)).join(' ');
  const rows: Segment[][] = [[{ text: ' ' + line(cols.map((c) => c.title)), bold: true, dim: true }]];
  if (nics.length === 0) rows.push([{ text: '  no network interfaces: a adds one', dim: true }]);
  nics.forEach((n, i) => {
    const r = rates?.find((x) => n.mac && x.mac.toLowerCase() === n.mac.toLowerCase());
    const cells = [n.type, n.model ?? '-', n.mac ?? '(none)', n.linkState ?? 'up', hostSide(n)];
    if (live) cells.push(rate(r?.rxBytesPerSec), rate(r?.txBytesPerSec));
    const sel = i === selected;
    rows.push([{ text: (sel ? '›' : ' ') + line(cells), inverse: sel, color: n.linkState === 'down' && !sel ? COLORS.warn : undefined }]);
  });
  return rows;
}

function selectedLine(n: Nic | undefined, rates: NicRates[] | undefined): Segment[] {
  if (!n) return [];
  const r = rates?.find((x) => n.mac && x.mac.toLowerCase() === n.mac.toLowerCase());
  const bits = [`${n.type}`, n.model ?? 'default model', `link ${n.linkState ?? 'up'}`, hostSide(n)];
  if (r?.hostDev) bits.push(`host device ${r.hostDev}`);
  if (r?.note) bits.push(r.note);
  if (n.derivedMac) bits.push('MAC derived: not in the XML, written there by the first config change');
  return [{ text: `${n.mac ?? '(no MAC)'}: `, bold: true }, { text: bits.join(' · '), dim: true }];
}

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'add'],
  ['x', 'remove'],
  ['l', 'link up/down'],
  ['f', 'forward'],
  ['F', 'unforward'],
  ['Esc', 'back'],
];

export function NicsScreen({ details: loaded, state: current, rates, width, height, actions, isActive = true, onBack }: NicsScreenProps) {
  const details = current && current !== loaded.state ? { ...loaded, state: current } : loaded;
  const nics = interfacesOf(details);
  const name = details.name;
  const state = details.state;
  const { ref: selRef, selected, set: setSelected } = useSelection();
  const clamp = (i: number) => Math.min(i, Math.max(0, nics.length - 1));

  const flow = useEditorFlow({
    isActive,
    onTableKey(key) {
      const n = nics[clamp(selRef.current)];
      if (key === 'escape') return onBack();
      if (key === 'down' || key === 'j') return setSelected((s) => clamp(s + 1));
      if (key === 'up' || key === 'k') return setSelected((s) => Math.max(0, s - 1));
      if (key === 'a') return openAdd();
      if (!n) {
        if ('xlfF'.includes(key)) flow.say({ kind: 'warn', text: 'no interface selected' });
        return;
      }
      if (key === 'x' || key === 'delete') return openRemove(n);
      if (key === 'l') return openLink(n);
      if (key === 'f') return openAddForward(n);
      if (key === 'F') return openRemoveForward(n);
    },
  });

  function openAdd() {
    // chosen now, not by the driver at run time, so the confirmation and its equivalent command
    // name the MAC the NIC gets: rerunning that command gives the same NIC
    const generated = generateMac(nics.map((n) => n.mac).filter((m): m is string => !!m));
    const fields: FieldSpec[] = [
      { id: 'type', label: 'Type', kind: 'choice', options: ['user', 'bridge', 'ethernet'], help: 'user: NAT through QEMU, with port forwards; bridge: on a host bridge; ethernet: a tap device' },
      { id: 'model', label: 'Model', kind: 'choice', options: ['virtio', 'e1000e', 'rtl8139'] },
      {
        id: 'mac',
        label: 'MAC',
        kind: 'text',
        placeholder: `${generated} (generated)`,
        validate: (v) => (v === '' ? undefined : macProblem(v)),
        help: 'leave it empty for the generated MAC shown, or type your own',
      },
      {
        id: 'bridge',
        label: 'Bridge',
        kind: 'text',
        placeholder: 'e.g. br0',
        visible: (v) => v.type === 'bridge',
        validate: (v) => (v === '' ? 'name the host bridge' : IFNAME.test(v) ? undefined : `'${v}' is not an interface name`),
      },
      {
        id: 'tap',
        label: 'Tap device',
        kind: 'text',
        placeholder: 'named by QEMU',
        visible: (v) => v.type === 'ethernet',
        validate: (v) => (v === '' || IFNAME.test(v) ? undefined : `'${v}' is not an interface name`),
        help: 'an existing tap owned by you, or any name when kvmtui runs with CAP_NET_ADMIN',
      },
      {
        id: 'forwards',
        label: 'Port forwards',
        kind: 'text',
        placeholder: 'none, e.g. tcp:2222:22, udp:5353:53',
        visible: (v) => v.type === 'user',
        validate: forwardsProblem,
        help: '[tcp|udp:][HOSTADDR:]HOSTPORT:GUESTPORT, separated by commas',
      },
      scopeField(state),
    ];
    flow.openForm(`Add a network interface to ${name}`, fields, {}, (v: FormValues) => {
      const scope = scopeOf(v.scope);
      const spec: InterfaceAttachSpec = { type: v.type as InterfaceAttachSpec['type'], model: v.model as InterfaceAttachSpec['model'] };
      spec.mac = v.mac ? v.mac.toLowerCase() : generated;
      if (v.type === 'bridge') spec.source = v.bridge;
      if (v.type === 'ethernet' && v.tap) spec.targetDev = v.tap;
      const fwds = v.type === 'user' ? (v.forwards ?? '').split(',').map((r) => r.trim()).filter(Boolean).map(parsePortForward) : [];
      if (fwds.length) spec.portForwards = fwds;
      return {
        title: `Add a ${spec.type} interface to ${name}`,
        lines: [
          `A ${spec.model} NIC, MAC ${spec.mac}${v.mac ? '' : ' (generated)'}${spec.source ? `, on bridge ${spec.source}` : ''}${spec.targetDev ? `, tap ${spec.targetDev}` : ''}.`,
          ...(fwds.length ? [`Forwards ${fwds.map(forwardText).join(', ')}.`] : []),
          `Applies to ${scopeWords(scope)}.`,
        ],
        cli: cliText.attachInterface(name, spec, scope),
        run: async () => {
          const { mac } = await actions.attachInterface(spec, scope);
          return `interface ${mac} added`;
        },
      };
    });
  }

  function openRemove(n: InterfaceConfig) {
    flow.openForm(`Remove ${n.mac} from ${name}`, [scopeField(state)], {}, (v) => {
      const scope = scopeOf(v.scope);
      return {
        title: `Remove interface ${n.mac} from ${name}`,
        lines: [`Unplug the ${n.type} NIC ${n.mac} (${hostSide(n)}).`, `Applies to ${scopeWords(scope)}.`],
        cli: cliText.detachInterface(name, n.type, n.mac!, scope),
        run: async () => {
          await actions.detachInterface(n.mac!, scope);
          setSelected((s) => Math.max(0, s - 1));
          return `interface ${n.mac} removed`;
        },
      };
    });
  }

  function openLink(n: InterfaceConfig) {
    const next = (n.linkState ?? 'up') === 'up' ? 'down' : 'up';
    flow.openForm(`Set the link of ${n.mac} ${next}`, [scopeField(state)], {}, (v) => {
      const scope = scopeOf(v.scope);
      return {
        title: `Link ${next} on ${n.mac}`,
        lines: [next === 'down' ? 'The guest sees its cable unplugged (no carrier).' : 'The guest sees its cable plugged in again.', `Applies to ${scopeWords(scope)}.`],
        cli: cliText.setLink(name, n.mac!, next, scope),
        run: async () => {
          await actions.setLink(n.mac!, next, scope);
          return `link of ${n.mac} is ${next}`;
        },
      };
    });
  }

  function openAddForward(n: InterfaceConfig) {
    if (n.type !== 'user') return flow.say({ kind: 'warn', text: `port forwards need a user-network interface; ${n.mac} is ${n.type}` });
    const fields: FieldSpec[] = [
      {
        id: 'rule',
        label: 'Forward',
        kind: 'text',
        placeholder: 'e.g. tcp:2222:22',
        validate: (v) => (v === '' ? 'give HOSTPORT:GUESTPORT, e.g. tcp:2222:22' : forwardsProblem(v) ?? (v.includes(',') ? 'one rule at a time' : undefined)),
        help: '[tcp|udp:][HOSTADDR:]HOSTPORT:GUESTPORT: connections to the host port reach the guest port',
      },
      scopeField(state),
    ];
    flow.openForm(`Forward a host port to ${n.mac}`, fields, {}, (v) => forwardPlan(n, parsePortForward(v.rule), scopeOf(v.scope), true));
  }

  function openRemoveForward(n: InterfaceConfig) {
    if (n.portForwards.length === 0) return flow.say({ kind: 'warn', text: `${n.mac} has no port forwards in its config` });
    const byText = new Map(n.portForwards.map((f) => [formatPortForward(f), f] as const));
    const fields: FieldSpec[] = [{ id: 'rule', label: 'Forward', kind: 'choice', options: [...byText.keys()] }, scopeField(state)];
    flow.openForm(`Stop a port forward of ${n.mac}`, fields, {}, (v) => forwardPlan(n, byText.get(v.rule)!, scopeOf(v.scope), false));
  }

  function forwardPlan(n: InterfaceConfig, fwd: PortForward, scope: ChangeScope, add: boolean): Plan {
    return {
      title: add ? `Forward ${forwardText(fwd)} to ${name}` : `Stop forwarding ${forwardText(fwd)}`,
      lines: [
        add
          ? `Connections to ${fwd.protocol} port ${fwd.hostPort} on ${fwd.hostAddress ?? 'the host'} reach port ${fwd.guestPort} of the guest (NIC ${n.mac}).`
          : `Host port ${fwd.hostPort} (${fwd.protocol}) stops reaching the guest.`,
        `Applies to ${scopeWords(scope)}.`,
      ],
      cli: add ? cliText.addPortForward(name, n.mac!, fwd, scope) : cliText.removePortForward(name, n.mac!, fwd, scope),
      run: async () => {
        if (add) await actions.addPortForward(n.mac!, fwd, scope);
        else await actions.removePortForward(n.mac!, fwd, scope);
        return add ? `forwarding ${forwardText(fwd)}` : `stopped forwarding ${forwardText(fwd)}`;
      },
    };
  }

  const mode = flow.mode;
  const title: Segment[] = [
    { text: `Network interfaces of ${name}`, bold: true },
    { text: `  ${state}`, color: canChangeLive(state) ? COLORS.info : COLORS.muted },
    { text: canChangeLive(state) ? '  changes apply live and/or to the config' : '  changes go to the config', dim: true },
  ];
  const page = flowPage(mode, title, width, height);
  if (page) return page;

  const sel = clamp(selected);
  const table = nicTableRows(details, rates, sel, width);
  const footer: Segment[][] = [
    [],
    selectedLine(nics[sel], rates),
    ...(mode.kind === 'busy' ? [[{ text: mode.text, color: COLORS.warn }]] : messageRows(flow.message, width)),
    keyHintRow(KEYS),
  ];
  return <TablePage title={title} table={table} selected={sel} footer={footer} width={width} height={height} />;
}
