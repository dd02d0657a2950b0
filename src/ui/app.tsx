// The app: header, the current screen, status line and key hints, exactly `height` rows of
// `width` columns. All keys go through one input handler and the binding table.
import { Box, useInput } from 'ink';
import { useCallback } from 'react';
import type { AppStore } from '../store/app-store.js';
import { completeCommandLine, runCommandLine } from './command-line.js';
import { FooterHints } from './components/footer-hints.js';
import { HeaderBar } from './components/header-bar.js';
import { StatusLine } from './components/status-line.js';
import { NowContext } from './components/use-minute-clock.js';
import { bindingFor, dispatchKey, keyName } from './keys.js';
import { DetailScreen } from './screens/detail-screen.js';
import { HelpScreen } from './screens/help-screen.js';
import { XmlScreen } from './screens/xml-screen.js';
import { ListScreen } from './screens/list-screen.js';
import { ConsoleRoute, routeConsoleKey } from './screens/console-route.js';
import { ConsolesContext, type ConsoleDeps } from './console-context.js';
import { CTRL_RIGHT_BRACKET, type InkKeyLike } from '../console/index.js';
import { DeviceRoute, GraphsRoute, SnapshotsRoute, useEditorOwnsKeys } from './screens/tool-routes.js';
import { StoreContext, useApp } from './store-context.js';
import { ThemeContext, type Theme } from './theme.js';

export interface AppProps {
  store: AppStore;
  /** the serial console registry (run-tui makes one); without it `c` says the console is unavailable */
  consoles?: ConsoleDeps;
  width: number;
  height: number;
  theme?: Theme;
  now?: () => number;
}

export function App({ store, consoles, width, height, theme = { color: true }, now = Date.now }: AppProps) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <NowContext.Provider value={now}>
          <ConsolesContext.Provider value={consoles ?? null}>
            <Frame width={width} height={height} store={store} consoles={consoles ?? null} />
          </ConsolesContext.Provider>
        </NowContext.Provider>
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}

/** Rows of the body the console pane takes (0: no pane; the whole body when full). */
export function consolePaneRows(body: number, full: boolean): number {
  if (full) return body;
  const pane = Math.max(8, Math.floor(body * 0.6));
  // a list squeezed below a few rows helps nobody: give the pane everything
  return body - pane < 5 ? body : pane;
}

function Frame({ width, height, store, consoles }: { width: number; height: number; store: AppStore; consoles: ConsoleDeps | null }) {
  const screen = useApp((s) => s.screen);
  const pane = useApp((s) => s.consolePane);
  const consoleFocused = useApp((s) => s.focus === 'console');
  const onInput = useCallback(
    (input: string, key: Parameters<typeof keyName>[1]) => handleKey(store, input, key, consoles),
    [store, consoles],
  );
  // a device editor's forms take every key while it is open; it calls back() on Esc
  const editorOwnsKeys = useEditorOwnsKeys();
  // while the terminal is handed over (the XML editor), Ink lets go of stdin and raw mode
  const suspended = useApp((s) => s.terminalSuspended);
  useInput(onInput, { isActive: !editorOwnsKeys && !suspended });
  const body = Math.max(1, height - 3);
  // the console pane sits under the list or the detail view; full size while it has the keys
  const paneRows = pane && (screen === 'list' || screen === 'detail') ? consolePaneRows(body, pane.full && consoleFocused) : 0;
  const top = body - paneRows;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <HeaderBar width={width} />
      {screen === 'list' && top > 0 ? <ListScreen width={width} height={top} /> : null}
      {screen === 'detail' && top > 0 ? <DetailScreen width={width} height={top} /> : null}
      {paneRows > 0 ? <ConsoleRoute width={width} height={paneRows} /> : null}
      {screen === 'help' ? <HelpScreen width={width} height={body} /> : null}
      {screen === 'xml' ? <XmlScreen width={width} height={body} /> : null}
      {screen === 'graphs' ? <GraphsRoute width={width} height={body} /> : null}
      {screen === 'disks' ? <DeviceRoute kind="disks" width={width} height={body} /> : null}
      {screen === 'nics' ? <DeviceRoute kind="nics" width={width} height={body} /> : null}
      {screen === 'snapshots' ? <SnapshotsRoute width={width} height={body} /> : null}
      <StatusLine width={width} />
      <FooterHints width={width} />
    </Box>
  );
}

type AnyKey = Parameters<typeof keyName>[1] & InkKeyLike;

/**
 * Route what the terminal sent. Ink hands over a run of plain characters typed ahead or pasted
 * ("jj", "web1\r") as one input: the console takes such a run whole (unless it holds the leave
 * key), everything else gets it one key at a time.
 */
export function handleKey(store: AppStore, input: string, key: AnyKey, consoles: ConsoleDeps | null = null): void {
  const chars = [...input];
  if (chars.length > 1 && !input.includes('\x1b')) {
    const s = store.getState();
    const toConsole = s.focus === 'console' && s.consolePane !== null && !s.confirm && !input.includes(consoles?.leaveKey ?? CTRL_RIGHT_BRACKET);
    if (toConsole) return handleOneKey(store, input, key, consoles);
    for (const ch of chars) {
      const code = ch.charCodeAt(0);
      // Ctrl-letter arrives as its control byte; Ink reports it as the letter with ctrl set
      if (code >= 1 && code <= 26 && !'\r\n\t\b'.includes(ch)) handleOneKey(store, String.fromCharCode(code + 96), { ...keyOfChar(ch), ctrl: true }, consoles);
      else handleOneKey(store, ch, keyOfChar(ch), consoles);
    }
    return;
  }
  handleOneKey(store, input, key, consoles);
}

/** What Ink would report for this one character typed alone. */
function keyOfChar(ch: string): AnyKey {
  const key = { ctrl: false, shift: /[A-Z]/.test(ch), meta: false } as AnyKey;
  if (ch === '\r' || ch === '\n') return { ...key, return: true };
  if (ch === '\t') return { ...key, tab: true };
  if (ch === '\x7f' || ch === '\b') return { ...key, backspace: true };
  return key;
}

/** Route one key press: dialog first, then the console, the line being typed, the binding table. */
function handleOneKey(store: AppStore, input: string, key: AnyKey, consoles: ConsoleDeps | null): void {
  const s = store.getState();
  const name = keyName(input, key);
  if (s.confirm) {
    if (name === 'y' || name === 'Y' || name === 'enter') s.actions.answerConfirm(true);
    else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') s.actions.answerConfirm(false);
    return;
  }
  if (s.focus === 'console' && s.consolePane && (s.screen === 'list' || s.screen === 'detail')) {
    routeConsoleKey(store, consoles, input, key);
    return;
  }
  if (s.input) {
    const { mode, text } = s.input;
    if (name === 'escape') {
      if (mode === 'filter') s.actions.setFilter('');
      s.actions.closeInput();
    } else if (name === 'enter') {
      s.actions.closeInput();
      if (mode === 'command') runCommandLine(store.getState(), text);
    } else if (name === 'backspace' || name === 'delete') {
      if (text === '' && mode === 'command') s.actions.closeInput();
      else s.actions.setInputText([...text].slice(0, -1).join(''));
    } else if (name === 'tab') {
      if (mode === 'command') s.actions.setInputText(completeCommandLine(s, text));
    } else if (name === 'ctrl+u') {
      s.actions.setInputText('');
    } else if (name === 'ctrl+c') {
      s.actions.closeInput();
    } else if (input && !key.ctrl && !isControl(input)) {
      s.actions.setInputText(text + input);
    }
    return;
  }
  if (name === '') return;
  // any key clears an old message, so the status line shows what this key did
  if (s.status) s.actions.clearStatus();
  // x detaches the pane's console for good, so `kvmtui console` elsewhere can have it
  const pane = s.consolePane;
  if (pane && consoles?.registry.close && bindingFor(s.screen, name)?.id === 'console-close') void consoles.registry.close(pane.key);
  dispatchKey(store.getState(), name);
}

function isControl(s: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(s);
}
