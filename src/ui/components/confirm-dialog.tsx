// The confirmation: what will happen to which domain, and the kvmtui command that does the same.
import { Box } from 'ink';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { Line, TextLine } from './line.js';

/** Rows the dialog needs for a request with `lines` effect lines and `cli` commands, capped. */
export function confirmHeight(lines: number, cli: number, max: number): number {
  return Math.min(max, 2 + 6 + lines + cli);
}

export function ConfirmDialog({ width, height }: { width: number; height: number }) {
  const c = useApp((s) => s.confirm);
  if (!c) return null;
  const inner = Math.max(10, width - 4);
  const room = Math.max(0, height - 8); // border 2, title, 2 blanks, "equivalent", blank, keys
  const lines = clip(c.lines, Math.ceil(room / 2));
  const cli = clip(c.cli, room - lines.length);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={COLORS.warn} paddingX={1} width={width} height={height} overflow="hidden">
      <TextLine width={inner} text={c.title} bold color={COLORS.warn} />
      <TextLine width={inner} text="" />
      {lines.map((l, i) => (
        <TextLine key={`l${i}`} width={inner} text={l} />
      ))}
      <TextLine width={inner} text="" />
      <TextLine width={inner} text={cli.length > 1 ? 'Equivalent commands:' : 'Equivalent command:'} dim />
      {cli.map((l, i) => (
        <TextLine key={`c${i}`} width={inner} text={`  ${l}`} color={COLORS.accent} />
      ))}
      <TextLine width={inner} text="" />
      <Line
        width={inner}
        segments={[
          { text: 'y', bold: true, color: COLORS.accent },
          { text: ' / Enter: do it    ' },
          { text: 'n', bold: true, color: COLORS.accent },
          { text: ' / Esc: cancel' },
        ]}
      />
    </Box>
  );
}

function clip(items: string[], n: number): string[] {
  if (items.length <= n) return items;
  const keep = Math.max(0, n - 1);
  return [...items.slice(0, keep), `… and ${items.length - keep} more`];
}
