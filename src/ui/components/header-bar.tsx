// Top row: program, domain counts, connection(s), sort and filter.
import { countByState } from '../../store/selectors.js';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { Line, type Segment } from './line.js';

export function HeaderBar({ width }: { width: number }) {
  const uris = useApp((s) => [...s.connections.keys()].join(' '));
  const total = useApp((s) => countByState(s).total);
  const running = useApp((s) => countByState(s).running);
  const sort = useApp((s) => s.sort);
  const filter = useApp((s) => s.filter);
  // most important first; what does not fit is left out rather than cut in the middle
  const counts = ` ${total} domain${total === 1 ? '' : 's'}, ${running} running `;
  const right = ` sort:${sort}${filter ? `  filter:${filter}` : ''} `;
  const optional: Segment[] = [{ text: ` ${uris || 'no connection'} `, dim: true }];
  const segs: Segment[] = [{ text: ' kvmtui ', bold: true, color: COLORS.accent }, { text: counts }];
  let used = 8 + counts.length + right.length;
  for (const o of optional) {
    if (o.text && used + [...o.text].length <= width) {
      segs.push(o);
      used += [...o.text].length;
    }
  }
  if (used <= width) segs.push({ text: ' '.repeat(width - used) }, { text: right, color: COLORS.accent });
  return <Line width={width} segments={segs} />;
}
