// The host summary under the header (CPU%, memory used, load), from the stats engineer's text
// renderer. One connection: one line, blank until the first two host samples give a CPU figure.
// Several: one line per connection when the list screen has room for them, else the line of the
// selected domain's connection; each line starts with the connection's label (HOST column).
import { useMemo } from 'react';
import { Box } from 'ink';
import { splitDomainKey } from '../../store/domain-key.js';
import { hostLabels } from '../../store/host-label.js';
import { selectSelectedKey } from '../../store/selectors.js';
import type { AppState } from '../../store/app-store.js';
import { hostSummaryText } from './charts/host-summary.js';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { Line, type Segment } from './line.js';

/** Rows the host summary takes: one per connection (up to 4) when the table keeps 8 rows, else one. */
export function hostSummaryRows(connections: number, height: number): number {
  if (height < 4) return 0;
  return connections > 1 && connections <= 4 && height - connections >= 8 ? connections : 1;
}

function hostText(s: AppState, uri: string, label: string): string {
  const r = s.hosts.get(uri)?.rates;
  if (r) return hostSummaryText(r, label);
  const c = s.connections.get(uri);
  if (c && !c.ok && c.error) return `${label}  unreachable: ${c.error}`;
  return `${label}  no host figures yet`;
}

export function HostLines({ width, rows }: { width: number; rows: number }) {
  const uris = useApp((s) => [...s.connections.keys()].join('\n'));
  const labels = useMemo(() => hostLabels(uris ? uris.split('\n') : []), [uris]);
  const selected = useApp((s) => {
    const k = selectSelectedKey(s);
    return k === undefined ? undefined : splitDomainKey(k).connection;
  });
  const all = [...labels.keys()];
  const several = all.length > 1;
  // the labels padded to one width, so the figures line up
  const pad = Math.max(0, ...[...labels.values()].map((l) => [...l].length));
  const shown = rows >= all.length ? all : [selected !== undefined && labels.has(selected) ? selected : all[0]].filter((u): u is string => u !== undefined);
  const texts = useApp((s) =>
    shown
      .map((uri) => {
        if (!several) {
          const r = s.hosts.get(uri)?.rates;
          return r ? hostSummaryText(r) : '';
        }
        return hostText(s, uri, labels.get(uri)!.padEnd(pad));
      })
      .join('\n'),
  );
  const lines = texts.split('\n');
  return (
    <Box flexDirection="column" height={rows} overflow="hidden">
      {Array.from({ length: rows }, (_, i) => {
        const uri = shown[i];
        const text = lines[i] ?? '';
        // with several lines, the selected domain's host is the bright one
        const mine = several && shown.length > 1 && uri === selected;
        const segs: Segment[] = text ? [{ text: ` ${text}`, dim: !mine, color: text.includes('unreachable:') ? COLORS.warn : undefined }] : [];
        return <Line key={i} width={width} segments={segs} />;
      })}
    </Box>
  );
}
