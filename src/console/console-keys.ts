// What a key does while the console pane has focus. Live: every key goes to the guest, except
// the leave key (Ctrl-]) and PageUp, which enters scrollback mode. Scrollback mode (like tmux's
// copy mode or screen's scrollback): keys move the view, `/` searches, n/N repeat the search,
// `l` starts or stops logging to a file, Esc or q returns to live output. No key is taken from
// the guest except Ctrl-] and PageUp/PageDown.
//
// Pure state machine: the app calls handleConsoleKey() from its one input handler, keeps the
// returned state, and passes it to <ConsolePane input={...}> which shows the mode line.
import { errorMessage } from '../driver/errors.js';
import type { InkKeyLike } from './key-bytes.js';
import type { ConsoleLogFormat } from './file-log.js';
import type { SearchDirection } from './buffer-search.js';

export type ConsoleInputMode = 'live' | 'scrollback' | 'search';

export interface ConsoleInputState {
  mode: ConsoleInputMode;
  /** the search query being typed (mode 'search') or last searched */
  query: string;
  /** one line to show in the pane until the next key (logging started, not found...) */
  notice?: string;
  /** the query has found a match (still highlighted): a repeat that finds no more says so, not "not found" */
  matched?: boolean;
}

export const LIVE_CONSOLE_INPUT: ConsoleInputState = { mode: 'live', query: '' };

/** The session methods the keys drive (ConsoleSession has them all). */
export interface ConsoleControls {
  readonly name: string;
  sendKey(input: string, key: InkKeyLike): boolean;
  scrollPages(pages: number): void;
  scrollLines(lines: number): void;
  scrollToTop(): void;
  scrollToBottom(): void;
  find(query: string, direction?: SearchDirection): boolean;
  clearSearch(): void;
  toggleLogging(path: string, format?: ConsoleLogFormat): Promise<string | null>;
  readonly loggingTo: string | null;
  /** lines the view is scrolled back (0: live) */
  readonly scrollOffset: number;
  /** the guest shows a full-screen program (no scrollback: paging keys go to it) */
  readonly alternateScreen: boolean;
}

export interface ConsoleKeyOptions {
  /** what Ink reports for the leave key; default Ctrl-] ('\x1d') */
  leaveKey?: string;
  /** where `l` logs to (called when logging starts); without it `l` says logging is unavailable */
  logPath?: () => string;
  /** told when logging starts, stops or fails (the state's notice is already set for starts) */
  onLogChange?: (message: string) => void;
}

export interface ConsoleKeyResult {
  state: ConsoleInputState;
  /** the operator asked to go back to the list */
  leave: boolean;
  /** the operator asked to switch the pane between full and half size (z in scrollback) */
  toggleFull?: boolean;
}

const CTRL_RIGHT_BRACKET = '\x1d';

function isLeave(input: string, key: InkKeyLike, leaveKey: string): boolean {
  if (input === leaveKey) return true;
  // Ink reports Ctrl-letter leave keys as the letter with ctrl set
  return leaveKey.length === 1 && leaveKey < ' ' && key.ctrl === true && input.length === 1 &&
    input.toLowerCase().charCodeAt(0) - 0x60 === leaveKey.charCodeAt(0);
}

function toggleLog(session: ConsoleControls, opts: ConsoleKeyOptions, state: ConsoleInputState): ConsoleInputState {
  if (!session.loggingTo && !opts.logPath) return { ...state, notice: 'logging is not available here' };
  const path = session.loggingTo ?? opts.logPath!();
  const stopping = session.loggingTo !== null;
  session.toggleLogging(path).then(
    (now) => opts.onLogChange?.(now ? `logging ${session.name} to ${now}` : `stopped logging ${session.name} (${path})`),
    (e) => opts.onLogChange?.(errorMessage(e)),
  );
  return { ...state, notice: stopping ? `logging stopped: ${path}` : `logging to ${path}` };
}

function search(session: ConsoleControls, state: ConsoleInputState, direction: SearchDirection): ConsoleInputState {
  if (!state.query) return { ...state, notice: 'no search yet: press /' };
  const found = session.find(state.query, direction);
  if (found) return { ...state, mode: 'scrollback', notice: undefined, matched: true };
  // a repeat past the last match keeps that match in view: it is the end, not a miss
  const notice = state.matched ? `${state.query}: no ${direction === 'prev' ? 'older' : 'newer'} match` : `${state.query}: not found`;
  return { ...state, mode: 'scrollback', notice };
}

/** Ink hands typed-ahead keys over as one string; outside live mode take them one by one. */
function isTypedAhead(input: string, key: InkKeyLike): boolean {
  return [...input].length > 1 && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.pageUp && !key.pageDown;
}

function keyOfChar(ch: string): [string, InkKeyLike] {
  if (ch === '\r' || ch === '\n') return ['', { return: true }];
  if (ch === '\x1b') return ['', { escape: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { backspace: true }];
  return [ch, {}];
}

export function handleConsoleKey(
  session: ConsoleControls,
  state: ConsoleInputState,
  input: string,
  key: InkKeyLike,
  opts: ConsoleKeyOptions = {},
): ConsoleKeyResult {
  if (state.mode !== 'live' && isTypedAhead(input, key)) {
    let r: ConsoleKeyResult = { state, leave: false };
    const chars = [...input];
    for (let i = 0; i < chars.length; i++) {
      const [ch, k] = keyOfChar(chars[i]);
      r = handleConsoleKey(session, r.state, ch, k, opts);
      if (r.leave) break;
      // what follows a return to live output goes to the guest as typed
      if (r.state.mode === 'live') {
        const rest = chars.slice(i + 1).join('');
        if (rest) session.sendKey(rest, {});
        break;
      }
    }
    return r;
  }
  const leaveKey = opts.leaveKey ?? CTRL_RIGHT_BRACKET;
  const base: ConsoleInputState = { mode: state.mode, query: state.query };
  if (state.matched) base.matched = true;
  if (isLeave(input, key, leaveKey)) return { state: { ...base, mode: base.mode === 'search' ? 'scrollback' : base.mode }, leave: true };

  if (state.mode === 'search') {
    if (key.escape) return { state: { ...base, mode: 'scrollback' }, leave: false };
    if (key.return) return { state: search(session, { ...base, mode: 'scrollback' }, 'prev'), leave: false };
    if (key.backspace || key.delete) return { state: { ...base, query: [...base.query].slice(0, -1).join('') }, leave: false };
    if (key.ctrl || key.meta || !input || /[\x00-\x1f\x7f]/.test(input)) return { state: base, leave: false };
    return { state: { ...base, query: base.query + input }, leave: false };
  }

  if (state.mode === 'live') {
    // PageUp looks back, unless a full-screen program (which has no scrollback) wants it
    if (key.pageUp && !session.alternateScreen) {
      session.scrollPages(-1);
      return { state: { ...base, mode: 'scrollback' }, leave: false };
    }
    session.sendKey(input, key);
    return { state: base, leave: false };
  }

  // scrollback mode
  const back = (): ConsoleKeyResult => {
    session.clearSearch();
    session.scrollToBottom();
    return { state: { mode: 'live', query: base.query }, leave: false };
  };
  if (key.pageUp) {
    session.scrollPages(-1);
    return { state: base, leave: false };
  }
  if (key.pageDown) {
    session.scrollPages(1);
    // paging down past the end is back to live output
    return session.scrollOffset === 0 ? back() : { state: base, leave: false };
  }
  if (key.escape || input === 'q') return back();
  if (key.upArrow || input === 'k') session.scrollLines(-1);
  else if (key.downArrow || input === 'j') session.scrollLines(1);
  else if (key.home || input === 'g') session.scrollToTop();
  else if (key.end || input === 'G') return back();
  else if (input === '/') return { state: { mode: 'search', query: '' }, leave: false };
  else if (input === 'n') return { state: search(session, base, 'prev'), leave: false };
  else if (input === 'N') return { state: search(session, base, 'next'), leave: false };
  else if (input === 'l') return { state: toggleLog(session, opts, base), leave: false };
  else if (input === 'z') return { state: base, leave: false, toggleFull: true };
  return { state: base, leave: false };
}

/** The mode line the pane shows for a state ('' in live mode with nothing to say). */
export function consoleModeLine(state: ConsoleInputState | undefined): string {
  if (!state) return '';
  if (state.mode === 'search') return `search older: ${state.query}▏  Enter find · Esc cancel`;
  if (state.notice) return state.notice;
  if (state.mode === 'scrollback') return 'SCROLLBACK  ↑↓ PgUp PgDn · / search · n/N older/newer · l log · z size · Esc live';
  return '';
}
