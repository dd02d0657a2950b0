// The frame the editor screens (disks, NICs, snapshots) share around their own table: the open
// form or confirmation of the editor flow under the screen's title, the keys row, and the table
// scrolled so the selection stays in view above the screen's footer.
import { Box } from 'ink';
import type { ReactElement } from 'react';
import { Line, type Segment } from '../line.js';
import { COLORS } from '../../theme.js';
import { confirmRows, type Mode } from './editor-flow.js';
import { FormView, Rows } from './form-view.js';

/** A screen's table keys as one row: the key in the accent colour, then what it does. */
export function keyHintRow(keys: ReadonlyArray<readonly [string, string]>): Segment[] {
  return keys.flatMap(([k, what]) => [
    { text: k, bold: true, color: COLORS.accent },
    { text: ` ${what}  ` },
  ]);
}

/** The form or confirmation the flow shows in place of the table, or undefined while the table is shown. */
export function flowPage(mode: Mode, title: Segment[], width: number, height: number): ReactElement | undefined {
  if (mode.kind === 'form') {
    const err = mode.error ? [[{ text: `✖ ${mode.error}`, color: COLORS.error }] as Segment[]] : [];
    return (
      <Box flexDirection="column" height={height} overflow="hidden">
        <Line width={width} segments={title} />
        {err.map((r, i) => (
          <Line key={i} width={width} segments={r} />
        ))}
        <FormView state={mode.form} width={width} height={Math.max(1, height - 1 - err.length)} />
      </Box>
    );
  }
  if (mode.kind === 'confirm') return <Rows rows={[title, [], ...confirmRows(mode, width)]} width={width} height={height} />;
  return undefined;
}

export interface TablePageProps {
  title: Segment[];
  /** the header row first, then one row per item */
  table: Segment[][];
  /** the selected item's index (already within the items) */
  selected: number;
  /** rows under the table, at the bottom of the screen */
  footer: Segment[][];
  width: number;
  height: number;
}

/** Title, blank, the table scrolled to keep the selection in view, padding, footer. */
export function TablePage({ title, table, selected, footer, width, height }: TablePageProps) {
  const room = Math.max(1, height - 2 - footer.length);
  const dataRows = table.slice(1);
  const avail = Math.max(1, room - 1);
  const first = Math.max(0, Math.min(selected - avail + 1, dataRows.length - avail));
  const body = [table[0], ...dataRows.slice(first, first + avail)];
  const pad = Array.from({ length: Math.max(0, room - body.length) }, () => [] as Segment[]);
  return <Rows rows={[title, [], ...body, ...pad, ...footer]} width={width} height={height} />;
}
