// Draws a FormState as rows: one per visible field, the problem with a value right under it,
// help for the focused field, and the keys. Exactly `height` rows, never wider than `width`.
import { Box } from 'ink';
import { fit } from '../../format.js';
import { COLORS } from '../../theme.js';
import { Line, type Segment } from '../line.js';
import { wrapText } from './wrap.js';
import { formErrors, isVisible, shownError, type FieldSpec, type FormState } from './form-model.js';

export type Row = Segment[];

function valueSegments(f: FieldSpec, value: string, focused: boolean): Segment[] {
  if (f.kind === 'toggle') return [{ text: value === 'yes' ? '[x] yes' : '[ ] no', bold: focused }];
  if (f.kind === 'choice') {
    const out: Segment[] = [];
    for (const o of f.options ?? []) {
      const on = o === value;
      out.push({ text: on ? `[${o}]` : ` ${o} `, bold: on && focused, color: on ? COLORS.accent : undefined, dim: !on });
      out.push({ text: ' ' });
    }
    return out;
  }
  if (value === '' && f.placeholder) {
    return [...(focused ? [{ text: '▏', color: COLORS.accent }] : []), { text: f.placeholder, dim: true }];
  }
  return [{ text: value, bold: focused }, ...(focused ? [{ text: '▏', color: COLORS.accent }] : [])];
}

export function formRows(s: FormState, width: number): Row[] {
  const rows: Row[] = [[{ text: s.title, bold: true, color: COLORS.accent }], []];
  const labelWidth = Math.min(18, Math.max(...s.fields.map((f) => f.label.length)) + 2);
  for (let i = 0; i < s.fields.length; i++) {
    const f = s.fields[i];
    if (!isVisible(f, s.values)) continue;
    const focused = i === s.focus;
    rows.push([
      { text: focused ? '› ' : '  ', color: COLORS.accent, bold: true },
      { text: fit(f.label, labelWidth), bold: focused, dim: !focused },
      ...valueSegments(f, s.values[f.id] ?? '', focused),
    ]);
    const err = shownError(s, f.id);
    if (err) rows.push([{ text: ' '.repeat(labelWidth + 2) }, { text: `✖ ${err}`, color: COLORS.error }]);
  }
  rows.push([]);
  const help = s.fields[s.focus]?.help;
  if (help) for (const l of wrapText(help, width).slice(0, 2)) rows.push([{ text: l, dim: true }]);
  const problems = Object.keys(formErrors(s)).length;
  rows.push([
    { text: 'Tab/↑↓', bold: true, color: COLORS.accent },
    { text: ' field  ' },
    { text: '←→', bold: true, color: COLORS.accent },
    { text: ' choose  ' },
    { text: 'Enter', bold: true, color: COLORS.accent },
    { text: problems ? ` (${problems} to fix)  ` : ' continue  ', color: problems ? COLORS.warn : undefined },
    { text: 'Esc', bold: true, color: COLORS.accent },
    { text: ' cancel' },
  ]);
  return rows.map((r) => clipRow(r, width));
}

function clipRow(r: Row, width: number): Row {
  return r.length ? r : [{ text: ' ' }];
}

export function Rows({ rows, width, height }: { rows: Row[]; width: number; height: number }) {
  const shown = rows.slice(0, height);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {shown.map((r, i) => (
        <Line key={i} width={width} segments={r.length ? r : [{ text: ' ' }]} />
      ))}
    </Box>
  );
}

export function FormView({ state, width, height }: { state: FormState; width: number; height: number }) {
  const rows = formRows(state, width);
  // keep the focused field in view on a short terminal
  const focusRow = rows.findIndex((r) => r[0]?.text === '› ');
  const first = Math.max(0, Math.min(focusRow - Math.floor(height / 2), rows.length - height));
  return <Rows rows={rows.slice(Math.max(0, first))} width={width} height={height} />;
}
