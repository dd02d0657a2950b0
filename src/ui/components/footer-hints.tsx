// The bottom row: the keys that act on this screen, from the binding table. Keys that cannot
// act now are dimmed (? says why).
import { BINDINGS, keyLabel } from '../keys.js';
import { useApp } from '../store-context.js';
import { COLORS } from '../theme.js';
import { useConsoles } from '../console-context.js';
import { DEFAULT_ESCAPE, escapeKeyLabel } from '../../console/index.js';
import { Line, type Segment } from './line.js';
import type { CommandId } from '../keys.js';

const PINNED: ReadonlySet<CommandId> = new Set(['help', 'quit']);
/** what an operator reaches for first gets the footer space first */
const PRIORITY: CommandId[] = ['start', 'shutdown', 'destroy', 'reboot', 'reset', 'pause-resume', 'open', 'console', 'graphs', 'disks', 'nics', 'snapshots', 'xml', 'edit', 'filter', 'mark', 'command', 'back'];
const rank = (id: CommandId) => (PRIORITY.includes(id) ? PRIORITY.indexOf(id) : PRIORITY.length);

const consoleHints = (leave: string): Segment[] => [
  { text: leave, bold: true, color: COLORS.accent },
  { text: ' back to the list  ' },
  { text: 'PgUp', bold: true, color: COLORS.accent },
  { text: ' scrollback (/ search, l log to a file, Esc live)   ' },
  { text: 'other keys go to the guest', dim: true },
];

export function FooterHints({ width }: { width: number }) {
  const consoles = useConsoles();
  const consoleFocused = useApp((s) => s.focus === 'console' && s.consolePane !== null && (s.screen === 'list' || s.screen === 'detail'));
  // one string of "id:enabled" flags: a primitive, so the row re-renders only when it changes
  const flags = useApp((s) =>
    BINDINGS.filter((b) => b.hint && b.screens.includes(s.screen))
      .map((b) => `${b.id}:${b.disabled?.(s) ? 0 : 1}`)
      .join(' '),
  );
  if (consoleFocused) return <Line width={width} segments={consoleHints(escapeKeyLabel(consoles?.leaveKey ?? DEFAULT_ESCAPE))} />;
  const items = flags
    .split(' ')
    .filter(Boolean)
    .map((f) => {
      const [id, on] = f.split(':');
      const b = BINDINGS.find((x) => x.id === id)!;
      return { b, on: on === '1', text: `${keyLabel(b.keys[0])} ${b.hint}` };
    });
  // help and quit are always shown, at the right end; the rest fill from the left by priority
  const pinned = items.filter((i) => PINNED.has(i.b.id));
  const rest = items.filter((i) => !PINNED.has(i.b.id)).sort((a, b) => rank(a.b.id) - rank(b.b.id));
  const cost = (i: { text: string }) => i.text.length + 2;
  let room = width - pinned.reduce((n, i) => n + cost(i), 0);
  const shown = [];
  for (const i of rest) {
    if (cost(i) > room) break;
    room -= cost(i);
    shown.push(i);
  }
  const segs: Segment[] = [];
  const push = (i: (typeof items)[number]) => {
    const key = keyLabel(i.b.keys[0]);
    segs.push({ text: key, bold: true, color: i.on ? COLORS.accent : undefined, dim: !i.on });
    segs.push({ text: ` ${i.b.hint}  `, dim: !i.on });
  };
  shown.forEach(push);
  if (room > 0) segs.push({ text: ' '.repeat(room) });
  pinned.forEach(push);
  return <Line width={width} segments={segs} />;
}
