// `t` on a domain: its internal (qcow2) snapshots as a table (name, when taken, the domain's
// state then, description), and keys to take one, go back to one, or delete one. Revert and
// delete are confirmed with the equivalent kvmtui command first; results and errors go to the
// app's status line through onMessage. The list is read again after every action.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DomainState, SnapshotInfo } from '../../driver/driver.js';
import { errorMessage } from '../../driver/errors.js';
import { shellArg } from '../../driver/qemu/device-syntax.js';
import { validateSnapshotName } from '../../driver/qemu/snapshot-names.js';
import { fit } from '../format.js';
import type { Segment } from '../components/line.js';
import { COLORS } from '../theme.js';
import { useEditorFlow, type Message } from '../components/forms/editor-flow.js';
import { TablePage, flowPage, keyHintRow } from '../components/forms/editor-screen.js';
import type { FieldSpec } from '../components/forms/form-model.js';
import { useSelection } from '../components/forms/use-selection.js';
import type { SnapshotActions } from '../components/forms/snapshot-actions.js';

export interface SnapshotsScreenProps {
  name: string;
  /** the domain's current state from the list: it decides which snapshots can be reverted to */
  state: DomainState;
  width: number;
  height: number;
  actions: SnapshotActions;
  /** false while another component owns the keyboard; default true */
  isActive?: boolean;
  /** a result or an error, for the status line */
  onMessage(message: Message): void;
  /** Esc on the table */
  onBack(): void;
}

/** A snapshot taken while the domain ran holds its RAM (the driver's rule). */
export function holdsRam(state: DomainState): boolean {
  return state !== 'shutoff' && state !== 'crashed';
}

const isActive = (s: DomainState) => s === 'running' || s === 'paused';

/** Why `snap` cannot be reverted to while the domain is `now`, or undefined. */
export function revertProblem(name: string, snap: SnapshotInfo, now: DomainState): string | undefined {
  if (holdsRam(snap.state) && !isActive(now)) return `${snap.name} holds the running state of ${name}: start the domain, then revert`;
  if (!holdsRam(snap.state) && isActive(now)) return `${snap.name} was taken while ${name} was shut off (disks only): shut the domain down, then revert`;
  return undefined;
}

/** Local date and time, to the second: 2025-03-01 12:00:05. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The problem with a snapshot name, as the driver words it, or undefined. */
export function snapshotNameProblem(v: string): string | undefined {
  try {
    validateSnapshotName(v);
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

export const snapshotCli = {
  create: (name: string, snap: string, description?: string) =>
    ['kvmtui', 'snapshot-create-as', name, snap, ...(description ? ['--description', description] : [])].map(shellArg).join(' '),
  revert: (name: string, snap: string) => ['kvmtui', 'snapshot-revert', name, snap].map(shellArg).join(' '),
  remove: (name: string, snap: string) => ['kvmtui', 'snapshot-delete', name, snap].map(shellArg).join(' '),
};

const STATE_WORDS: Partial<Record<DomainState, string>> = { running: 'running (RAM)', paused: 'paused (RAM)', shutoff: 'shut off' };

export function snapshotTableRows(snaps: SnapshotInfo[] | undefined, selected: number, width: number): Segment[][] {
  const cols = [
    { title: 'NAME', width: 20 },
    { title: 'CREATED', width: 19 },
    { title: 'STATE', width: 13 },
    { title: 'DESCRIPTION', width: 0 },
  ];
  const used = cols.reduce((a, c) => a + c.width, 0) + cols.length;
  cols[3].width = Math.max(8, width - used);
  const line = (cells: string[]) => cells.map((c, i) => fit(c, cols[i].width)).join(' ');
  const rows: Segment[][] = [[{ text: ' ' + line(cols.map((c) => c.title)), bold: true, dim: true }]];
  if (snaps === undefined) rows.push([{ text: '  loading…', dim: true }]);
  else if (snaps.length === 0) rows.push([{ text: '  no snapshots: a takes one', dim: true }]);
  (snaps ?? []).forEach((s, i) => {
    const sel = i === selected;
    const cells = [s.name, formatDateTime(s.createdAt), STATE_WORDS[s.state] ?? s.state, s.description ?? ''];
    rows.push([{ text: (sel ? '›' : ' ') + line(cells), inverse: sel }]);
  });
  return rows;
}

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'take'],
  ['r', 'revert'],
  ['x', 'delete'],
  ['Esc', 'back'],
];

export function SnapshotsScreen({ name, state, width, height, actions, isActive: active = true, onMessage, onBack }: SnapshotsScreenProps) {
  const [snaps, setSnaps] = useState<SnapshotInfo[] | undefined>(undefined);
  const { ref: selRef, selected, set: setSelected } = useSelection();
  const snapsRef = useRef(snaps);
  snapsRef.current = snaps;
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;

  const reload = useCallback(async () => {
    try {
      const list = await actionsRef.current.list();
      setSnaps(list);
      const last = Math.max(0, list.length - 1);
      if (selRef.current > last) setSelected(() => last);
    } catch (e) {
      setSnaps((s) => s ?? []);
      onMessageRef.current({ kind: 'error', text: errorMessage(e) });
    }
  }, [selRef, setSelected]);
  useEffect(() => {
    void reload();
  }, [reload, name]);

  /** Runs an action, then reads the list again whether it worked or not. */
  const thenReload = async <T,>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } finally {
      void reload();
    }
  };

  const flow = useEditorFlow({
    isActive: active,
    onTableKey(key) {
      const list = snapsRef.current ?? [];
      const sel = list[Math.min(selRef.current, Math.max(0, list.length - 1))];
      if (key === 'escape') return onBack();
      if (key === 'down' || key === 'j') return setSelected((s) => Math.min(Math.max(0, list.length - 1), s + 1));
      if (key === 'up' || key === 'k') return setSelected((s) => Math.max(0, s - 1));
      if (key === 'a') return openCreate(list);
      if (key !== 'r' && key !== 'x' && key !== 'delete') return;
      if (!sel) return flow.say({ kind: 'warn', text: 'no snapshot selected' });
      if (key === 'r') return openRevert(sel);
      return openDelete(sel);
    },
  });

  // results and errors go to the app's status line, once each
  const shown = useRef<Message | undefined>(undefined);
  useEffect(() => {
    const m = flow.message;
    if (!m || m === shown.current) return;
    shown.current = m;
    onMessageRef.current(m);
  });

  function openCreate(list: SnapshotInfo[]) {
    const fields: FieldSpec[] = [
      {
        id: 'name',
        label: 'Name',
        kind: 'text',
        placeholder: 'e.g. before-upgrade',
        help: 'no blanks or /, not all digits, not starting with -, at most 64 characters',
        validate: (v) => snapshotNameProblem(v) ?? (list.some((s) => s.name === v) ? `${name} already has a snapshot ${v}` : undefined),
      },
      { id: 'description', label: 'Description', kind: 'text', placeholder: 'optional' },
    ];
    flow.openForm(`Take a snapshot of ${name}`, fields, {}, (v) => {
      const description = v.description.trim() || undefined;
      const running = isActive(state);
      return {
        title: `Take snapshot ${v.name} of ${name}`,
        lines: [
          running
            ? `${name} is ${state}: the snapshot holds its disks and RAM, and can be reverted to while it runs.`
            : `${name} is ${state}: the snapshot holds its disks only, and can be reverted to while it is shut off.`,
          ...(description ? [`Description: ${description}`] : []),
        ],
        cli: snapshotCli.create(name, v.name, description),
        run: async () => {
          await thenReload(actions.create(v.name, description ? { description } : undefined));
          return `snapshot ${v.name} of ${name} taken`;
        },
      };
    });
  }

  function openRevert(s: SnapshotInfo) {
    const problem = revertProblem(name, s, state);
    if (problem) return flow.say({ kind: 'error', text: problem });
    flow.confirm({
      title: `Revert ${name} to snapshot ${s.name}`,
      lines: [
        `Taken ${formatDateTime(s.createdAt)} while ${name} was ${STATE_WORDS[s.state] ?? s.state}${s.description ? `: ${s.description}` : ''}.`,
        holdsRam(s.state) ? 'The running domain jumps back to that moment: disks, RAM and devices.' : 'The disks go back to that moment.',
      ],
      warning: `everything ${name} did since then is thrown away (take a snapshot first to keep it)`,
      cli: snapshotCli.revert(name, s.name),
      run: async () => {
        await thenReload(actions.revert(s.name));
        return `${name} reverted to snapshot ${s.name}`;
      },
    });
  }

  function openDelete(s: SnapshotInfo) {
    flow.confirm({
      title: `Delete snapshot ${s.name} of ${name}`,
      lines: [`Taken ${formatDateTime(s.createdAt)}${s.description ? `: ${s.description}` : ''}.`, `${name} itself is not touched; the snapshot can no longer be reverted to.`],
      cli: snapshotCli.remove(name, s.name),
      run: async () => {
        await thenReload(actions.remove(s.name));
        return `snapshot ${s.name} of ${name} deleted`;
      },
    });
  }

  const mode = flow.mode;
  const title: Segment[] = [
    { text: `Snapshots of ${name}`, bold: true },
    { text: `  ${state}`, color: isActive(state) ? COLORS.info : COLORS.muted },
    { text: isActive(state) ? '  new snapshots hold disks and RAM' : '  new snapshots hold the disks', dim: true },
  ];
  const page = flowPage(mode, title, width, height);
  if (page) return page;

  const list = snaps ?? [];
  const sel = Math.min(selected, Math.max(0, list.length - 1));
  const table = snapshotTableRows(snaps, sel, width);
  const footer: Segment[][] = [[], mode.kind === 'busy' ? [{ text: mode.text, color: COLORS.warn }] : [], keyHintRow(KEYS)];
  return <TablePage title={title} table={table} selected={sel} footer={footer} width={width} height={height} />;
}
