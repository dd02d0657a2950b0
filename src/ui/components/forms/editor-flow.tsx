// The flow both device editors follow: table -> form -> confirmation (showing the equivalent CLI
// line; a second one for what cannot be undone) -> working… -> table with a result line.
// The screen owns every key while it is active: text typed in a form never reaches the app.
import { useInput } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../../../driver/errors.js';
import { keyName } from '../../keys.js';
import { COLORS } from '../../theme.js';
import type { Segment } from '../line.js';
import { wrapText } from './wrap.js';
import { splitKeyRun } from './key-run.js';
import { formKey, initForm, type FieldSpec, type FormState, type FormValues } from './form-model.js';

export interface Plan {
  title: string;
  /** what will happen, one line each */
  lines: string[];
  /** a risk the operator must have read (data loss), shown in red */
  warning?: string;
  /** the kvmtui command that does the same */
  cli: string;
  /** asked after the first yes: for what cannot be undone (deleting an image) */
  second?: { title: string; lines: string[] };
  /** does it; resolves to the line shown afterwards (a string is an info line) */
  run(): Promise<string | Message>;
}

export type Mode =
  | { kind: 'table' }
  | { kind: 'form'; form: FormState; error?: string; submit(values: FormValues): Plan }
  | { kind: 'confirm'; plan: Plan; stage: 1 | 2 }
  | { kind: 'busy'; text: string };

export interface Message {
  kind: 'info' | 'warn' | 'error';
  text: string;
}

export interface EditorFlow {
  mode: Mode;
  message?: Message;
  openForm(title: string, fields: FieldSpec[], initial: FormValues, submit: (values: FormValues) => Plan): void;
  confirm(plan: Plan): void;
  say(message: Message | undefined): void;
}

type Key = Parameters<typeof keyName>[1] & { shift?: boolean };

/**
 * Holds the flow's state (in a ref, so keys typed faster than renders see the latest state) and
 * handles every key while active; table keys go to onTableKey.
 */
export function useEditorFlow(opts: { isActive: boolean; onTableKey(name: string, input: string): void }): EditorFlow {
  const state = useRef<{ mode: Mode; message?: Message }>({ mode: { kind: 'table' } });
  // the latest table handler, read at key time: Ink re-subscribes input handlers only after a render
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const [, setTick] = useState(0);
  const update = useCallback((mode: Mode, message?: Message | null) => {
    state.current = { mode, message: message === null ? undefined : (message ?? state.current.message) };
    setTick((t) => t + 1);
  }, []);

  const run = useCallback(
    async (plan: Plan) => {
      update({ kind: 'busy', text: `${plan.title}…` }, null);
      try {
        const done = await plan.run();
        update({ kind: 'table' }, typeof done === 'string' ? { kind: 'info', text: done } : done);
      } catch (e) {
        update({ kind: 'table' }, { kind: 'error', text: errorMessage(e) });
      }
    },
    [update],
  );

  const onOneKey = useCallback(
    (input: string, key: Key) => {
      const name = keyName(input, key);
      const { mode } = state.current;
      if (mode.kind === 'busy') return;
      if (mode.kind === 'form') {
        const out = formKey(mode.form, name, input, !!key.shift);
        if (out.kind === 'cancel') return update({ kind: 'table' }, { kind: 'info', text: 'cancelled' });
        if (out.kind === 'edit') return update({ ...mode, form: out.state, error: undefined });
        try {
          return update({ kind: 'confirm', plan: mode.submit(out.values), stage: 1 });
        } catch (e) {
          return update({ ...mode, error: errorMessage(e) });
        }
      }
      if (mode.kind === 'confirm') {
        if (name === 'y' || name === 'Y' || name === 'enter') {
          if (mode.plan.second && mode.stage === 1) return update({ ...mode, stage: 2 });
          void run(mode.plan);
        } else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') {
          update({ kind: 'table' }, { kind: 'info', text: 'cancelled: nothing was changed' });
        }
        return;
      }
      if (name === '') return;
      optsRef.current.onTableKey(name, input);
    },
    [run, update],
  );
  const onKey = useCallback(
    (input: string, key: Key) => {
      const run = splitKeyRun(input);
      // outside a form a run of plain characters is keys typed ahead ("xy": delete, yes), not text
      const chars = [...input];
      if (!run && chars.length > 1 && !input.includes('\x1b') && state.current.mode.kind !== 'form') {
        for (const ch of chars) onOneKey(ch, {});
        return;
      }
      if (!run) return onOneKey(input, key);
      for (const k of run) onOneKey(k.input, k.key);
    },
    [onOneKey],
  );
  useInput(onKey, { isActive: opts.isActive });

  return {
    mode: state.current.mode,
    message: state.current.message,
    openForm: (title, fields, initial, submit) => update({ kind: 'form', form: initForm(title, fields, initial), submit }, null),
    confirm: (plan) => update({ kind: 'confirm', plan, stage: 1 }, null),
    say: (message) => update(state.current.mode, message ?? null),
  };
}

function wrapped(text: string, width: number, style: Omit<Segment, 'text'> = {}, indent = ''): Segment[][] {
  return wrapText(text, width - indent.length).map((t) => [{ text: indent + t, ...style }]);
}

/** The confirmation as rows: what, the risk, the equivalent command, the keys. */
export function confirmRows(mode: Extract<Mode, { kind: 'confirm' }>, width: number): Segment[][] {
  const { plan } = mode;
  if (mode.stage === 2 && plan.second) {
    return [
      ...wrapped(plan.second.title, width, { bold: true, color: COLORS.error }),
      [],
      ...plan.second.lines.flatMap((l) => wrapped(l, width)),
      [],
      keysRow(),
    ];
  }
  return [
    ...wrapped(plan.title, width, { bold: true, color: COLORS.warn }),
    [],
    ...plan.lines.flatMap((l) => wrapped(l, width)),
    ...(plan.warning ? [[], ...wrapped(`⚠ ${plan.warning}`, width, { bold: true, color: COLORS.error })] : []),
    [],
    [{ text: 'Equivalent command:', dim: true }],
    ...wrapped(plan.cli, width, { color: COLORS.accent }, '  '),
    [],
    keysRow(),
  ];
}

function keysRow(): Segment[] {
  return [
    { text: 'y', bold: true, color: COLORS.accent },
    { text: ' / Enter: do it    ' },
    { text: 'n', bold: true, color: COLORS.accent },
    { text: ' / Esc: cancel' },
  ];
}

/** The result line under a table: wrapped, at most two rows. */
export function messageRows(m: Message | undefined, width: number): Segment[][] {
  if (!m) return [[]];
  const color = m.kind === 'error' ? COLORS.error : m.kind === 'warn' ? COLORS.warn : COLORS.info;
  return wrapped(m.kind === 'error' ? `✖ ${m.text}` : m.text, width, { color }).slice(0, 2);
}
