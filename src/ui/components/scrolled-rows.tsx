// A page of pre-built rows scrolled by the store's scroll offset, kept in range when the content
// shrinks (detail, help and XML views share it).
import { useEffect } from 'react';
import { Box } from 'ink';
import { useApp, useAppStore } from '../store-context.js';
import { Line, type Segment } from './line.js';

/** The first visible row for `count` rows in `visible` lines; pulls the store's scroll back in range. */
export function useClampedScroll(count: number, visible: number): number {
  const store = useAppStore();
  const scroll = useApp((s) => s.scroll);
  const max = Math.max(0, count - visible);
  useEffect(() => {
    if (scroll > max) store.getState().actions.scrollBy(0, max);
  }, [scroll, max, store]);
  return Math.min(scroll, max);
}

export function ScrolledRows({ rows, width, height }: { rows: Segment[][]; width: number; height: number }) {
  const first = useClampedScroll(rows.length, height);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {rows.slice(first, first + height).map((r, i) => (
        <Line key={i} width={width} segments={r.length ? r : [{ text: ' ' }]} />
      ))}
    </Box>
  );
}
