// `d` on a domain: its disks as a table (target, bus, device, source, format, virtual size and
// allocation from qemu-img info, read-only, live I/O), and keyboard forms to add, remove, resize,
// insert and eject. Every change is confirmed with the equivalent kvmtui command first.
import { useEffect, useRef, useState } from 'react';
import type { ChangeScope, DomainState, DiskAttachSpec, DomainDetails, ImageInfo } from '../../driver/driver.js';
import { formatBytes, nextFreeTarget, parseSize } from '../../domain/index.js';
import type { DiskConfig } from '../../domain/model.js';
import { cliText } from '../../driver/qemu/device-syntax.js';
import type { DiskRates } from '../../store/rates.js';
import { fit } from '../format.js';
import type { Segment } from '../components/line.js';
import { COLORS } from '../theme.js';
import type { DeviceActions } from '../components/forms/device-actions.js';
import { messageRows, useEditorFlow, type Plan } from '../components/forms/editor-flow.js';
import { TablePage, flowPage, keyHintRow } from '../components/forms/editor-screen.js';
import type { FieldSpec, FormValues } from '../components/forms/form-model.js';
import { useSelection } from '../components/forms/use-selection.js';
import { SCOPE_CONFIG, canChangeLive, scopeField, scopeOf, scopeWords } from '../components/forms/scope-field.js';

export interface DisksScreenProps {
  details: DomainDetails;
  /** the domain's current state from the list (details may have been loaded before a start or stop) */
  state?: DomainState;
  /** live I/O per disk from the store's rates, while the domain runs */
  io?: DiskRates[];
  width: number;
  height: number;
  actions: DeviceActions;
  /** false while another component owns the keyboard; default true */
  isActive?: boolean;
  /** Esc on the table */
  onBack(): void;
}

type InfoMap = Record<string, ImageInfo | { error: string }>;

const HOTPLUG_BUSES = ['virtio', 'scsi'];
const BUSES = ['virtio', 'scsi', 'sata', 'ide'];
const TARGET_PREFIX: Record<string, string> = { virtio: 'vd', scsi: 'sd', sata: 'sd', ide: 'hd' };

function rate(v: number | undefined): string {
  if (v === undefined) return '-';
  return `${formatBytes(Math.round(v))}/s`;
}

function absolutePath(v: string): string | undefined {
  if (!v.startsWith('/')) return 'give an absolute path (starting with /)';
  return undefined;
}

function sizeProblem(v: string): string | undefined {
  try {
    parseSize(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Virtual size / allocation cells for a disk. */
function infoCells(d: DiskConfig, infos: InfoMap): [string, string] {
  if (!d.source) return ['-', '-'];
  const i = infos[d.source];
  if (!i) return ['…', '…'];
  if ('error' in i) return ['?', '?'];
  return [formatBytes(i.virtualSizeBytes), i.actualSizeBytes === undefined ? '-' : formatBytes(i.actualSizeBytes)];
}

/** Live I/O gets its own columns while the domain runs and the terminal has room (else the selected line shows it). */
function ioColumns(details: DomainDetails, width: number): boolean {
  return canChangeLive(details.state) && width >= 78;
}

/**
 * Where a disk is: in the config and the running domain, or in one of them only (a change made
 * with "running only" or "config only"). The config is what the table is built from; QEMU's
 * block stats tell which disks the running domain has.
 */
export type Presence = 'both' | 'live only' | 'config only';

export interface DiskRow {
  disk: DiskConfig;
  presence: Presence;
}

const BUS_OF_PREFIX: Record<string, string> = { vd: 'virtio', sd: 'scsi', hd: 'ide' };

/** The config's disks, marked when the running domain lacks them, then disks the running domain alone has. */
export function diskRows(details: DomainDetails, io: DiskRates[] | undefined): DiskRow[] {
  const live = canChangeLive(details.state) && io !== undefined && io.length > 0 ? new Set(io.map((r) => r.target)) : undefined;
  const rows: DiskRow[] = details.config.disks.map((disk) => ({
    disk,
    // an empty CD-ROM drive may have no block statistics: only disks are judged
    presence: live && disk.device === 'disk' && !live.has(disk.target) ? 'config only' : 'both',
  }));
  for (const target of live ?? []) {
    if (details.config.disks.some((d) => d.target === target)) continue;
    const bus = BUS_OF_PREFIX[target.slice(0, 2)];
    rows.push({ disk: { type: 'file', device: 'disk', target, bus, readonly: false, shareable: false }, presence: 'live only' });
  }
  return rows;
}

const PRESENCE_NOTE: Record<Presence, string> = {
  both: '',
  'live only': 'running domain only: not in the config, gone at shutdown',
  'config only': 'config only: not in the running domain, there from the next start',
};

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

export function diskTableRows(details: DomainDetails, infos: InfoMap, io: DiskRates[] | undefined, selected: number, width: number): Segment[][] {
  const disks = diskRows(details, io);
  const cols: Column[] = [
    { title: 'TARGET', width: 6 },
    { title: 'BUS', width: 6 },
    { title: 'DEVICE', width: 6 },
    { title: 'SOURCE', width: 0 },
    { title: 'FORMAT', width: 6 },
    { title: 'VIRTUAL', width: 8, align: 'right' },
    { title: 'ALLOC', width: 8, align: 'right' },
    { title: 'RO', width: 2 },
  ];
  const live = ioColumns(details, width);
  if (live) cols.push({ title: 'READ', width: 9, align: 'right' }, { title: 'WRITE', width: 9, align: 'right' });
  // the source takes what is left: one marker column and one space between columns
  const used = cols.reduce((a, c) => a + c.width, 0) + cols.length;
  cols[3].width = Math.max(8, width - used);
  const line = (cells: string[]) => cells.map((c, i) => fit(c, cols[i].width, cols[i].align)).join(' ');
  const rows: Segment[][] = [[{ text: ' ' + line(cols.map((c) => c.title)), bold: true, dim: true }]];
  if (disks.length === 0) rows.push([{ text: '  no disks: a adds one', dim: true }]);
  disks.forEach(({ disk: d, presence }, i) => {
    const [virt, alloc] = infoCells(d, infos);
    const r = io?.find((x) => x.target === d.target);
    const src = presence === 'live only' ? '(running domain only)' : (presence === 'config only' ? '(config only) ' : '') + (d.source ?? (d.device === 'cdrom' ? '(empty)' : '-'));
    const cells = [d.target, d.bus ?? '-', d.device, src, presence === 'live only' ? '-' : (d.format ?? 'raw'), virt, alloc, d.readonly ? 'ro' : ''];
    if (live) cells.push(rate(r?.rdBytesPerSec), rate(r?.wrBytesPerSec));
    const sel = i === selected;
    rows.push([{ text: (sel ? '›' : ' ') + line(cells), inverse: sel, dim: ((!d.source && d.device === 'cdrom') || presence !== 'both') && !sel }]);
  });
  return rows;
}

function selectedLine(row: DiskRow | undefined, infos: InfoMap, io: DiskRates | undefined): Segment[] {
  if (!row) return [];
  const d = row.disk;
  if (row.presence !== 'both') {
    const rest = row.presence === 'live only' ? ['x removes it from the running domain'] : [];
    return [{ text: `${d.target}: `, bold: true }, { text: row.presence === 'live only' ? '(running domain only)' : (d.source ?? 'no medium') }, { text: `  (${[PRESENCE_NOTE[row.presence], ...rest].join('; ')})`, color: COLORS.warn }];
  }
  const i = d.source ? infos[d.source] : undefined;
  const facts: string[] = [];
  if (i && !('error' in i)) {
    facts.push(`${i.format}, ${formatBytes(i.virtualSizeBytes)} virtual`);
    if (i.actualSizeBytes !== undefined) facts.push(`${formatBytes(i.actualSizeBytes)} on the host`);
    if (i.backingFile) facts.push(`backing file ${i.backingFile}`);
  } else if (i && 'error' in i) facts.push(i.error);
  if (io) facts.push(`read ${rate(io.rdBytesPerSec)}, write ${rate(io.wrBytesPerSec)}`);
  return [{ text: `${d.target}: `, bold: true }, { text: d.source ?? 'no medium' }, { text: facts.length ? `  (${facts.join(', ')})` : '', dim: true }];
}

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'add'],
  ['x', 'remove'],
  ['r', 'resize'],
  ['i', 'insert'],
  ['e', 'eject'],
  ['Esc', 'back'],
];

export function DisksScreen({ details: loaded, state: current, io, width, height, actions, isActive = true, onBack }: DisksScreenProps) {
  const details = current && current !== loaded.state ? { ...loaded, state: current } : loaded;
  const { ref: selRef, selected, set: setSelected } = useSelection();
  const [infos, setInfos] = useState<InfoMap>({});
  const disks = details.config.disks;
  const rows = diskRows(details, io);
  const name = details.name;
  const selRow = rows[Math.min(selected, Math.max(0, rows.length - 1))];
  const sel = selRow?.disk;

  // image facts through the driver (qemu-img for the local one): again when the XML changes or
  // after a resize (which leaves the XML alone), never on every render or poll
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  const [infoGen, setInfoGen] = useState(0);
  const sourcesKey = disks
    .filter((d) => d.source && d.type === 'file')
    .map((d) => d.source)
    .join('\n');
  useEffect(() => {
    let alive = true;
    const info = actionsRef.current.imageInfo;
    if (!info || !sourcesKey) return;
    for (const path of sourcesKey.split('\n')) {
      info(path).then(
        (i) => alive && setInfos((m) => ({ ...m, [path]: i })),
        (e: unknown) => alive && setInfos((m) => ({ ...m, [path]: { error: (e as Error).message } })),
      );
    }
    return () => {
      alive = false;
    };
  }, [sourcesKey, details.xml, infoGen]);

  const flow = useEditorFlow({
    isActive,
    onTableKey(key) {
      const row = rows[Math.min(selRef.current, Math.max(0, rows.length - 1))];
      const sel = row?.disk;
      if (key === 'escape') return onBack();
      if (key === 'down' || key === 'j') return setSelected((s) => Math.min(Math.max(0, rows.length - 1), s + 1));
      if (key === 'up' || key === 'k') return setSelected((s) => Math.max(0, s - 1));
      if (key === 'a') return openAdd();
      if (!sel) {
        if ('xrie'.includes(key)) flow.say({ kind: 'warn', text: 'no disk selected' });
        return;
      }
      if (key === 'x' || key === 'delete') return row.presence === 'live only' ? openRemoveLive(sel) : openRemove(sel);
      if (row.presence === 'live only' && 'rie'.includes(key)) return flow.say({ kind: 'warn', text: `${sel.target} is in the running domain only: its image is not known here` });
      if (key === 'r') return openResize(sel);
      if (key === 'i') return openInsert(sel);
      if (key === 'e') return openEject(sel);
    },
  });

  const state = details.state;
  // the running domain's own disks count as taken too: a new disk must not collide with them
  const targets = rows.map((r) => r.disk.target);

  function openAdd() {
    const isNew = (v: FormValues) => v.kind === 'new image';
    const fields: FieldSpec[] = [
      { id: 'kind', label: 'Image', kind: 'choice', options: ['new image', 'existing file'] },
      {
        id: 'path',
        label: 'Path',
        kind: 'text',
        placeholder: 'KVMTUI_HOME/images/NAME-TARGET.FORMAT',
        help: 'an absolute path; a new image is created there (qemu-img), an existing one must be a file',
        validate: (v, all) => (v === '' ? (isNew(all) ? undefined : 'give the path of the image to attach') : absolutePath(v)),
      },
      { id: 'size', label: 'Size', kind: 'text', placeholder: 'e.g. 10G or 512M', visible: isNew, validate: sizeProblem, help: 'K, M, G, T are powers of 1024; KB, MB, GB powers of 1000' },
      { id: 'format', label: 'Format', kind: 'choice', options: ['qcow2', 'raw'], visible: isNew },
      { id: 'device', label: 'Device', kind: 'choice', options: ['disk', 'cdrom'], visible: (v) => !isNew(v) },
      {
        id: 'bus',
        label: 'Bus',
        kind: 'choice',
        options: BUSES,
        validate: (v, all) => {
          if (all.device === 'cdrom' && !isNew(all) && v === 'virtio') return 'a CD-ROM cannot be on virtio: choose scsi, sata or ide';
          if (scopeOf(all.scope).live && !HOTPLUG_BUSES.includes(v)) return `a ${v} disk cannot be hot-plugged: choose virtio or scsi, or apply to the config only`;
          return undefined;
        },
      },
      {
        id: 'target',
        label: 'Target',
        kind: 'text',
        placeholder: 'first free',
        validate: (v, all) => {
          if (v === '') return undefined;
          const prefix = TARGET_PREFIX[all.bus] ?? 'vd';
          if (!/^[a-z]+$/.test(v) || !v.startsWith(prefix) || v.length < 3) return `a ${all.bus} target is ${prefix}a, ${prefix}b…`;
          if (targets.includes(v)) return `${v} is already used`;
          return undefined;
        },
      },
      { id: 'readonly', label: 'Read-only', kind: 'toggle', visible: (v) => isNew(v) || v.device === 'disk' },
      scopeField(state),
    ];
    flow.openForm(`Add a disk to ${name}`, fields, {}, (v) => {
      const bus = v.bus as DiskAttachSpec['bus'] & string;
      const device = isNew(v) ? 'disk' : (v.device as 'disk' | 'cdrom');
      const target = v.target || nextFreeTarget(bus, targets);
      const scope = scopeOf(v.scope);
      const spec: DiskAttachSpec = { source: v.path, target, bus, device };
      if (isNew(v)) {
        spec.format = v.format as 'qcow2' | 'raw';
        spec.createSizeBytes = parseSize(v.size);
      }
      if (v.readonly === 'yes') spec.readonly = true;
      const what = isNew(v)
        ? `a new ${formatBytes(spec.createSizeBytes!)} ${spec.format} image (${v.path || 'under KVMTUI_HOME/images'})`
        : `${v.path}${device === 'cdrom' ? ' as a CD-ROM' : ''}`;
      return {
        title: `Add disk ${target} to ${name}`,
        lines: [`Attach ${what} as ${target} on ${bus}${spec.readonly ? ', read-only' : ''}.`, `Applies to ${scopeWords(scope)}.`],
        cli: cliText.attachDisk(name, spec, scope),
        run: async () => {
          await actions.attachDisk(spec, scope);
          return `${target} added${scope.live ? ': the guest sees it now' : ''}`;
        },
      };
    });
  }

  function openRemove(d: DiskConfig) {
    const hasImage = !!d.source && d.type === 'file' && d.device === 'disk';
    const fields: FieldSpec[] = [
      {
        ...scopeField(state),
        validate: (v) => (scopeOf(v).live && !HOTPLUG_BUSES.includes(d.bus ?? '') ? `a ${d.bus} ${d.device} cannot be unplugged live: apply to the config only` : undefined),
      },
      { id: 'delete', label: 'Delete image', kind: 'toggle', visible: () => hasImage, help: 'also delete the image file after detaching (asked again)' },
    ];
    // a disk the running domain does not have can only leave the config
    const configOnly = rows.some((r) => r.disk.target === d.target && r.presence === 'config only');
    flow.openForm(`Remove ${d.target} from ${name}`, fields, configOnly ? { scope: SCOPE_CONFIG } : {}, (v) => {
      const scope = scopeOf(v.scope);
      const del = hasImage && v.delete === 'yes';
      const plan: Plan = {
        title: `Remove disk ${d.target} from ${name}`,
        lines: [`Detach ${d.target} (${d.source ?? 'no medium'}).`, `Applies to ${scopeWords(scope)}.`, ...(del ? [`Then delete ${d.source}.`] : [])],
        warning: del ? `the image ${d.source} and everything on it will be deleted` : undefined,
        cli: cliText.detachDisk(name, d.target, scope, del),
        run: async () => {
          await actions.detachDisk(d.target, scope, { deleteImage: del });
          setSelected((s) => Math.max(0, s - 1));
          return `${d.target} removed${del ? ` and ${d.source} deleted` : ''}`;
        },
      };
      if (del) plan.second = { title: `Delete ${d.source} for good?`, lines: ['Everything stored on this image is lost.', 'This cannot be undone. y deletes it, n keeps everything as it is.'] };
      return plan;
    });
  }

  /** A disk the running domain alone has: unplug it; there is no config entry or known image. */
  function openRemoveLive(d: DiskConfig) {
    const scope = { live: true, config: false };
    flow.openForm(`Remove ${d.target} from ${name}`, [{ ...scopeField(state), options: ['running only'] }], {}, () => ({
      title: `Remove disk ${d.target} from ${name}`,
      lines: [`Unplug ${d.target} from the running domain (it is not in the config).`, `Applies to ${scopeWords(scope)}.`],
      cli: cliText.detachDisk(name, d.target, scope, false),
      run: async () => {
        await actions.detachDisk(d.target, scope, { deleteImage: false });
        setSelected((s) => Math.max(0, s - 1));
        return `${d.target} removed from the running domain`;
      },
    }));
  }

  function openResize(d: DiskConfig) {
    if (d.device === 'cdrom') return flow.say({ kind: 'warn', text: `${d.target} is a CD-ROM: its size is the medium's` });
    if (!d.source) return flow.say({ kind: 'warn', text: `${d.target} has no image` });
    const info = infos[d.source];
    const current = info && !('error' in info) ? info.virtualSizeBytes : undefined;
    const running = canChangeLive(state);
    const fields: FieldSpec[] = [
      {
        id: 'size',
        label: 'New size',
        kind: 'text',
        placeholder: current === undefined ? 'e.g. 20G' : `now ${formatBytes(current)}`,
        validate: sizeProblem,
        help: running ? 'the running guest sees the new size at once (block_resize)' : 'resized with qemu-img while the domain is off',
      },
    ];
    flow.openForm(`Resize ${d.target} of ${name}`, fields, {}, (v) => {
      const size = parseSize(v.size);
      const shrink = current !== undefined && size < current;
      const grow = current !== undefined && size > current;
      return {
        title: `${shrink ? 'Shrink' : 'Resize'} ${d.target} of ${name}`,
        lines: [
          `${d.target} (${d.source}): ${current === undefined ? 'current size unknown' : formatBytes(current)} → ${formatBytes(size)}.`,
          running ? 'Online, on the running domain (block_resize).' : 'Offline, with qemu-img resize.',
        ],
        warning: shrink
          ? `Shrinking destroys everything stored past ${formatBytes(size)}: shrink the guest's filesystem and partition first, or lose data.`
          : current === undefined
            ? 'The current size is unknown: if the new size is smaller, data past it is lost.'
            : undefined,
        cli: cliText.blockResize(name, d.target, size, shrink || current === undefined),
        run: async () => {
          await actions.blockResize(d.target, size, { allowShrink: shrink || current === undefined });
          setInfoGen((g) => g + 1);
          if (running && grow) {
            return { kind: 'warn' as const, text: `${d.target} is now ${formatBytes(size)}. Grow the guest's partition and filesystem to use it (e.g. resize2fs /dev/${d.target}).` };
          }
          return `${d.target} is now ${formatBytes(size)}`;
        },
      };
    });
  }

  function openInsert(d: DiskConfig) {
    if (d.device !== 'cdrom') return flow.say({ kind: 'warn', text: `${d.target} is a ${d.device}, not a CD-ROM` });
    const fields: FieldSpec[] = [
      { id: 'path', label: 'Image (ISO)', kind: 'text', placeholder: '/path/to/disc.iso', validate: (v) => (v === '' ? 'give the path of the image' : absolutePath(v)) },
      scopeField(state),
    ];
    flow.openForm(`Insert a medium into ${d.target}`, fields, {}, (v) => {
      const scope = scopeOf(v.scope);
      return changeMediaPlan(d, v.path, scope);
    });
  }

  function openEject(d: DiskConfig) {
    if (d.device !== 'cdrom') return flow.say({ kind: 'warn', text: `${d.target} is a ${d.device}, not a CD-ROM` });
    if (!d.source && !canChangeLive(state)) return flow.say({ kind: 'warn', text: `${d.target} is already empty` });
    flow.openForm(`Eject ${d.target}`, [scopeField(state)], {}, (v) => changeMediaPlan(d, null, scopeOf(v.scope)));
  }

  function changeMediaPlan(d: DiskConfig, source: string | null, scope: ChangeScope): Plan {
    return {
      title: source === null ? `Eject ${d.target} of ${name}` : `Insert into ${d.target} of ${name}`,
      lines: [source === null ? `Take ${d.source ?? 'the medium'} out of ${d.target}.` : `Put ${source} into ${d.target}.`, `Applies to ${scopeWords(scope)}.`],
      cli: cliText.changeMedia(name, d.target, source, scope),
      run: async () => {
        await actions.changeMedia(d.target, source, scope);
        return source === null ? `${d.target} ejected` : `${source} inserted into ${d.target}`;
      },
    };
  }

  const mode = flow.mode;
  const title: Segment[] = [
    { text: `Disks of ${name}`, bold: true },
    { text: `  ${details.state}`, color: canChangeLive(details.state) ? COLORS.info : COLORS.muted },
    { text: canChangeLive(details.state) ? '  changes apply live and/or to the config' : '  changes go to the config', dim: true },
  ];
  const page = flowPage(mode, title, width, height);
  if (page) return page;

  const selIndex = Math.min(selected, Math.max(0, rows.length - 1));
  const table = diskTableRows(details, infos, io, selIndex, width);
  const footer: Segment[][] = [
    [],
    selectedLine(selRow, infos, sel && !ioColumns(details, width) ? io?.find((x) => x.target === sel.target) : undefined),
    ...(mode.kind === 'busy' ? [[{ text: mode.text, color: COLORS.warn }]] : messageRows(flow.message, width)),
    keyHintRow(KEYS),
  ];
  return <TablePage title={title} table={table} selected={selIndex} footer={footer} width={width} height={height} />;
}
