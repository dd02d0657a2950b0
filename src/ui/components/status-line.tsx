// The one-line status area: the line being typed (filter or command), else the last message,
// else a failing connection, else what the marks mean. Never more than one line.
import { selectConnectionError } from '../../store/selectors.js';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { Line, type Segment } from './line.js';

export function StatusLine({ width }: { width: number }) {
  const input = useApp((s) => s.input);
  const status = useApp((s) => s.status);
  const connError = useApp((s) => selectConnectionError(s));
  const marks = useApp((s) => s.marks.size);
  let segs: Segment[];
  if (input) {
    const prompt = input.mode === 'filter' ? '/' : ':';
    const hint = input.mode === 'filter' ? '  (Enter keeps, Esc clears)' : '  (Tab completes, Enter runs, Esc cancels)';
    segs = [{ text: prompt, bold: true, color: COLORS.accent }, { text: input.text }, { text: ' ', inverse: true }, { text: hint, dim: true }];
  } else if (status) {
    segs =
      status.kind === 'error'
        ? [{ text: '✖ ', color: COLORS.error, bold: true }, { text: oneLine(status.text), color: COLORS.error }]
        : [{ text: '✔ ', color: COLORS.info }, { text: oneLine(status.text) }];
  } else if (connError) {
    segs = [{ text: '✖ ', color: COLORS.error, bold: true }, { text: oneLine(connError), color: COLORS.error }];
  } else if (marks > 0) {
    segs = [{ text: `${marks} marked: lifecycle keys act on all of them (Esc clears)`, color: COLORS.warn }];
  } else {
    segs = [];
  }
  return <Line width={width} segments={segs} />;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
