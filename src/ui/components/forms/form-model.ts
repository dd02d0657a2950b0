// Keyboard forms as data: fields, values, inline validation and what each key does. Pure
// functions, so the disk and NIC editors (and their tests) share one behaviour:
//   Tab / ↓ next field, Shift-Tab / ↑ previous; ← → (or Space) change a choice or a toggle;
//   typing edits a text field (Backspace, Ctrl-U clears); Enter submits when nothing is
//   invalid (else it jumps to the first problem); Esc cancels.

export type FieldKind = 'text' | 'choice' | 'toggle';

export type FormValues = Record<string, string>;

export interface FieldSpec {
  id: string;
  label: string;
  kind: FieldKind;
  /** choice: the values to cycle through (toggle uses 'yes'/'no') */
  options?: string[];
  /** shown dim in an empty text field: what an empty value means */
  placeholder?: string;
  /** one short line under the form while the field is focused */
  help?: string;
  /** the problem with this value, or undefined; may look at the other values */
  validate?(value: string, all: FormValues): string | undefined;
  /** hidden fields are skipped and not validated */
  visible?(all: FormValues): boolean;
}

export interface FormState {
  title: string;
  fields: FieldSpec[];
  values: FormValues;
  focus: number;
  /** set by a refused submit: every problem is shown, not only those of touched fields */
  submitted: boolean;
  touched: Record<string, boolean>;
}

export function initForm(title: string, fields: FieldSpec[], initial: FormValues = {}): FormState {
  const values: FormValues = {};
  for (const f of fields) {
    values[f.id] = initial[f.id] ?? (f.kind === 'choice' ? (f.options?.[0] ?? '') : f.kind === 'toggle' ? 'no' : '');
  }
  const state: FormState = { title, fields, values, focus: 0, submitted: false, touched: {} };
  return { ...state, focus: visibleIndexes(state)[0] ?? 0 };
}

export function isVisible(f: FieldSpec, values: FormValues): boolean {
  return f.visible ? f.visible(values) : true;
}

function visibleIndexes(s: FormState): number[] {
  return s.fields.map((f, i) => (isVisible(f, s.values) ? i : -1)).filter((i) => i >= 0);
}

/** Problems of the visible fields, by field id. */
export function formErrors(s: FormState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of s.fields) {
    if (!isVisible(f, s.values) || !f.validate) continue;
    const p = f.validate(s.values[f.id] ?? '', s.values);
    if (p) out[f.id] = p;
  }
  return out;
}

/** The message to show beside a field: after it was edited, or after a refused submit. */
export function shownError(s: FormState, id: string): string | undefined {
  if (!s.submitted && !s.touched[id]) return undefined;
  return formErrors(s)[id];
}

export type FormOutcome = { kind: 'edit'; state: FormState } | { kind: 'submit'; values: FormValues } | { kind: 'cancel' };

function moveFocus(s: FormState, delta: number): FormState {
  const vis = visibleIndexes(s);
  if (vis.length === 0) return s;
  const at = Math.max(0, vis.indexOf(s.focus));
  const next = vis[(at + delta + vis.length) % vis.length];
  return { ...s, focus: next };
}

function setValue(s: FormState, id: string, value: string): FormState {
  const values = { ...s.values, [id]: value };
  let next: FormState = { ...s, values, touched: { ...s.touched, [id]: true } };
  // a change may hide the focused field (e.g. switching the type): keep focus on a visible one
  if (!isVisible(next.fields[next.focus], values)) next = moveFocus(next, 1);
  return next;
}

function cycle(f: FieldSpec, value: string, delta: number): string {
  const opts = f.kind === 'toggle' ? ['no', 'yes'] : (f.options ?? []);
  if (opts.length === 0) return value;
  const i = opts.indexOf(value);
  return opts[(i + delta + opts.length) % opts.length];
}

/**
 * One key press. `name` is the key's name as keys.ts keyName() gives it ('tab', 'enter', 'left',
 * 'backspace', 'ctrl+u', 'space', or the typed text); shift marks Shift-Tab.
 */
export function formKey(s: FormState, name: string, input: string, shift = false): FormOutcome {
  const field = s.fields[s.focus];
  switch (name) {
    case 'escape':
      return { kind: 'cancel' };
    case 'tab':
      return { kind: 'edit', state: moveFocus(s, shift ? -1 : 1) };
    case 'down':
      return { kind: 'edit', state: moveFocus(s, 1) };
    case 'up':
      return { kind: 'edit', state: moveFocus(s, -1) };
    case 'enter': {
      const errors = formErrors(s);
      const bad = s.fields.findIndex((f) => errors[f.id] !== undefined);
      if (bad >= 0) return { kind: 'edit', state: { ...s, submitted: true, focus: bad } };
      const values: FormValues = {};
      for (const f of s.fields) if (isVisible(f, s.values)) values[f.id] = s.values[f.id];
      return { kind: 'submit', values };
    }
  }
  if (!field) return { kind: 'edit', state: s };
  if (field.kind !== 'text') {
    if (name === 'left') return { kind: 'edit', state: setValue(s, field.id, cycle(field, s.values[field.id], -1)) };
    if (name === 'right' || name === 'space') return { kind: 'edit', state: setValue(s, field.id, cycle(field, s.values[field.id], 1)) };
    return { kind: 'edit', state: s };
  }
  const value = s.values[field.id] ?? '';
  if (name === 'backspace' || name === 'delete') return { kind: 'edit', state: setValue(s, field.id, [...value].slice(0, -1).join('')) };
  if (name === 'ctrl+u') return { kind: 'edit', state: setValue(s, field.id, '') };
  if (name === 'space') return { kind: 'edit', state: setValue(s, field.id, value + ' ') };
  // printable text (a paste may bring several characters at once)
  if (input && !/[\u0000-\u001f\u007f]/.test(input) && !name.startsWith('ctrl+') && name.length > 0) {
    if (['left', 'right', 'pageup', 'pagedown', 'home', 'end'].includes(name)) return { kind: 'edit', state: s };
    return { kind: 'edit', state: setValue(s, field.id, value + input) };
  }
  return { kind: 'edit', state: s };
}
