// The confirmation: what will happen to which domain, and the kvmtui command that does the same.
// In a short terminal the blank lines go first, then the effect lines; the title, a command and
// the y/n line always stay.
import { Box } from 'ink';
import type { ConfirmRequest } from '../../store/types.js';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { Line, type Segment } from './line.js';

/** Rows the dialog wants for a request, capped at `max`. */
export function confirmHeight(c: ConfirmRequest, max: number): number {
  return Math.min(max, 2 + 6 + c.lines.length + c.cli.length);
}

const KEYS: Segment[] = [
  { text: 'y', bold: true, color: COLORS.accent },
  { text: ' / Enter: do it    ' },
  { text: 'n', bold: true, color: COLORS.accent },
  { text: ' / Esc: cancel' },
];

/** The dialog's rows for `rows` rows of content. */
export function confirmRows(c: ConfirmRequest, rows: number): Segment[][] {
  const title: Segment[] = [{ text: c.title, bold: true, color: COLORS.warn }];
  const label: Segment[] = [{ text: c.cli.length > 1 ? 'Equivalent commands:' : 'Equivalent command:', dim: true }];
  const cmd = (t: string): Segment[] => [{ text: `  ${t}`, color: COLORS.accent }];
  const text = (t: string): Segment[] => [{ text: t }];
  const blank: Segment[] = [];
  const full = [title, blank, ...c.lines.map(text), blank, label, ...c.cli.map(cmd), blank, KEYS];
  if (full.length <= rows) return full;
  // without blank lines, room for effects and commands shared out
  const room = Math.max(1, rows - 3); // title, label, keys
  const cliRows = Math.max(1, Math.min(c.cli.length, room - Math.min(c.lines.length, Math.floor(room / 2))));
  const lineRows = Math.max(0, room - cliRows);
  const out = [title, ...clip(c.lines, lineRows).map(text), label, ...clip(c.cli, cliRows).map(cmd), KEYS];
  // still too tall: keep the title, the first command and the keys
  return out.length <= rows ? out : [title, cmd(c.cli[0] ?? ''), KEYS].slice(0, Math.max(1, rows));
}

export function ConfirmDialog({ width, height }: { width: number; height: number }) {
  const c = useApp((s) => s.confirm);
  if (!c || height < 3) return null;
  const inner = Math.max(1, width - 4);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={COLORS.warn} paddingX={1} width={width} height={height} overflow="hidden">
      {confirmRows(c, height - 2).map((segs, i) => (
        <Line key={i} width={inner} segments={segs} />
      ))}
    </Box>
  );
}

function clip(items: string[], n: number): string[] {
  if (n <= 0) return [];
  if (items.length <= n) return items;
  const keep = Math.max(0, n - 1);
  return [...items.slice(0, keep), `… and ${items.length - keep} more`];
}
