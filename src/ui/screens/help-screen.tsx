// The help overlay (?): every binding from the key table, marked when it asks first, and the
// reason a key cannot act right now; then the : commands and the state symbols.
import type { DomainState } from '../../driver/driver.js';
import type { AppState } from '../../store/app-store.js';
import { COMMANDS } from '../command-line.js';
import { BINDINGS, keyLabel } from '../keys.js';
import { fit } from '../format.js';
import { type Segment } from '../components/line.js';
import { ScrolledRows } from '../components/scrolled-rows.js';
import { useApp, useAppStore } from '../store-context.js';
import { COLORS, stateLook } from '../theme.js';

type Row = Segment[];

const STATES: DomainState[] = ['running', 'paused', 'shutoff', 'crashed', 'pmsuspended', 'starting', 'shutting down'];

export function helpRows(s: AppState): Row[] {
  // reasons are those of the screen help was opened from
  const ctx: AppState = { ...s, screen: s.previousScreen };
  const keyW = 14;
  const rows: Row[] = [[{ text: 'Keys', bold: true, color: COLORS.accent }, { text: '  (Esc or ? closes; j/k scroll)', dim: true }]];
  for (const b of BINDINGS) {
    const reason = b.screens.includes(ctx.screen) ? b.disabled?.(ctx) : undefined;
    const row: Row = [{ text: '  ' + fit(b.keys.map(keyLabel).join(' '), keyW), bold: true }, { text: b.description }];
    if (b.destructive) row.push({ text: '  (asks first)', color: COLORS.warn });
    if (reason) row.push({ text: `  now: ${reason}`, dim: true });
    rows.push(row);
  }
  rows.push([]);
  rows.push([{ text: 'Commands', bold: true, color: COLORS.accent }, { text: '  (type : then one of these)', dim: true }]);
  const cmdW = Math.min(32, Math.max(...COMMANDS.map((c) => c.usage.length)) + 2);
  // a usage wider than its column still keeps a space before the description
  for (const c of COMMANDS) rows.push([{ text: '  ' + fit(c.usage, cmdW - 1) + ' ', bold: true }, { text: c.description }]);
  rows.push([]);
  const legend: Row = [{ text: 'States  ', bold: true, color: COLORS.accent }];
  for (const st of STATES) {
    const l = stateLook(st);
    legend.push({ text: `${l.symbol} ${st}`, color: l.color }, { text: '  ' });
  }
  rows.push(legend);
  rows.push([{ text: 'Bulk: Space marks domains; a lifecycle key then acts on all marked ones after one confirmation.', dim: true }]);
  return rows;
}

export function HelpScreen({ width, height }: { width: number; height: number }) {
  const store = useAppStore();
  // subscribed so that the reasons follow the selection, the marks and the domains' states
  useApp((s) => s.selectedKey);
  useApp((s) => s.marks);
  useApp((s) => s.domains);
  return <ScrolledRows rows={helpRows(store.getState())} width={width} height={height} />;
}
