// The serial console pane: draws a console session's snapshot — printable text and colour
// attributes taken from the emulator's cells — never bytes from the guest. Keys are not handled
// here: the app routes them (Ctrl-] back, PageUp/PageDown, search) and sends the rest to the
// session.
import { useEffect, useSyncExternalStore } from 'react';
import { Box, Text } from 'ink';
import { consoleModeLine, safeText, type ConsoleInputState, type ConsoleSnapshot, type ConsoleView } from '../../console/index.js';
import { tint, useTheme, COLORS } from '../theme.js';
import { ConsoleLineView } from './console-line.js';

export interface ConsolePaneProps {
  /** a live session (re-renders on its updates and is resized to the pane) */
  session?: ConsoleView;
  /** or a fixed snapshot (tests, screenshots) */
  snapshot?: ConsoleSnapshot;
  width: number;
  height: number;
  /** title bar text; defaults to "NAME — serial console — Ctrl-] back to list" */
  title?: string;
  /** whether keys go to this pane (brighter border, cursor shown) */
  focused?: boolean;
  /** the key state from handleConsoleKey(): scrollback/search mode line over the last row */
  input?: ConsoleInputState;
}

/** Rows and columns of emulator screen a pane of this size shows (border and title bar aside). */
export function consolePaneContentSize(width: number, height: number): { cols: number; rows: number } {
  return { cols: Math.max(2, width - 2), rows: Math.max(1, height - 3) };
}

const noSubscribe = () => () => {};

function searchText({ query, found, end }: NonNullable<ConsoleSnapshot['search']>): string {
  if (!found) return `/${query}: not found`;
  // the highlighted match was the last one that way: say so, it is still shown
  return end ? `/${query}: no ${end === 'prev' ? 'older' : 'newer'} match` : `/${query}`;
}

function statusText(s: ConsoleSnapshot): { text: string; color?: string } {
  const parts: string[] = [];
  let color: string | undefined;
  if (s.search) parts.push(searchText(s.search));
  if (s.scrollOffset > 0) parts.push(`↑${s.scrollOffset}/${s.scrollbackLines}`);
  if (s.loggingTo) parts.push('● logging');
  if (s.status === 'connecting') parts.push('connecting…');
  if (s.status === 'disconnected') {
    parts.push(s.message ?? 'disconnected');
    color = COLORS.warn;
  }
  if (s.status === 'closed') parts.push('closed');
  return { text: parts.join('  '), color };
}

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

export function ConsolePane({ session, snapshot, width, height, title, focused = true, input }: ConsolePaneProps) {
  const theme = useTheme();
  const live = useSyncExternalStore(
    session ? session.subscribe : noSubscribe,
    session ? session.snapshot : () => snapshot ?? null,
  );
  const snap = session ? live : (snapshot ?? null);
  const { cols, rows } = consolePaneContentSize(width, height);

  useEffect(() => {
    session?.resize(cols, rows);
  }, [session, cols, rows]);

  const name = snap?.name ?? session?.name ?? 'console';
  const left = safeText(title ?? `${name} — serial console — Ctrl-] back to list`);
  const raw = snap ? statusText(snap) : { text: 'connecting…' };
  const status = { ...raw, text: safeText(raw.text) };
  // the title (which says how to leave) comes first; the status gets what is left, at least 10
  const titleMin = Math.min([...left].length, Math.max(Math.ceil(cols / 2), cols - 12));
  const statusShown = status.text ? fit(status.text, Math.max(0, cols - titleMin - 2)) : '';
  const titleText = fit(left, Math.max(1, cols - (statusShown ? [...statusShown].length + 2 : 0)));
  const gap = Math.max(1, cols - [...titleText].length - [...statusShown].length);

  const lines = snap?.lines ?? [];
  const mode = safeText(consoleModeLine(input));
  const body = [];
  for (let r = 0; r < rows; r++) {
    if (mode && r === rows - 1) {
      body.push(
        <Text key={r} inverse wrap="truncate">
          {fit(mode, cols).padEnd(cols)}
        </Text>,
      );
      break;
    }
    const line = lines[r] ?? [];
    body.push(<ConsoleLineView key={r} line={line} showCursor={focused && input?.mode !== 'search'} />);
  }
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="round"
      borderColor={tint(theme, focused ? COLORS.accent : COLORS.muted)}
    >
      <Text wrap="truncate">
        <Text bold>{titleText}</Text>
        {statusShown ? (
          <Text>
            {' '.repeat(gap)}
            <Text color={tint(theme, status.color)}>{statusShown}</Text>
          </Text>
        ) : null}
      </Text>
      {body}
    </Box>
  );
}
