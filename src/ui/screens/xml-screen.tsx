// `v`: a domain's persistent XML, read-only, as `virsh dumpxml` prints it; lightly coloured,
// scrolled with j/k, PgUp/PgDn, Home/End; `e` edits it, Esc goes back.
import { Box } from 'ink';
import { useMemo } from 'react';
import { Line, type Segment } from '../components/line.js';
import { useApp } from '../store-context.js';
import { useClampedScroll } from '../components/scrolled-rows.js';
import { COLORS } from '../theme.js';
import { highlightXml, printable } from '../xml-highlight.js';

export function XmlScreen({ width, height }: { width: number; height: number }) {
  const key = useApp((s) => s.detailKey);
  const name = useApp((s) => (key === undefined ? undefined : s.domains.get(key)?.name));
  const details = useApp((s) => (key === undefined ? undefined : s.details.get(key)));
  const hasDraft = useApp((s) => key !== undefined && s.xmlDrafts.has(key));
  const xml = details?.details?.xml;
  const rows = useMemo(() => (xml === undefined ? [] : highlightXml(xml)), [xml]);
  const notes: Segment[][] = [];
  if (hasDraft) notes.push([{ text: 'Your edit that did not define is kept: e opens it again (an emptied file drops it).', color: COLORS.warn }]);
  const bodyRows = Math.max(1, height - 1 - notes.length);
  const first = useClampedScroll(rows.length, bodyRows);

  let body: Segment[][];
  if (name === undefined) body = [[{ text: 'This domain is gone. Esc goes back.', color: COLORS.error }]];
  else if (xml === undefined) body = [details?.error ? [{ text: `XML: ${details.error}`, color: COLORS.error }] : [{ text: 'loading…', dim: true }]];
  else body = rows.slice(first, first + bodyRows);
  const range = rows.length === 0 ? '' : `lines ${first + 1}-${Math.min(rows.length, first + bodyRows)} of ${rows.length}`;
  const title = `${printable(name ?? '')} — XML, read-only (virsh dumpxml)`;
  const gap = Math.max(2, width - [...title].length - range.length);
  const header: Segment[] = [{ text: title, bold: true }, { text: ' '.repeat(gap) }, { text: range, dim: true }];
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Line width={width} segments={header} />
      {notes.map((r, i) => (
        <Line key={`n${i}`} width={width} segments={r} />
      ))}
      {body.map((r, i) => (
        <Line key={i} width={width} segments={r.length ? r : [{ text: ' ' }]} />
      ))}
    </Box>
  );
}
