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
import { dispatchKey, keyName } from './keys.js';
import { DetailScreen } from './screens/detail-screen.js';
import { HelpScreen } from './screens/help-screen.js';
import { ListScreen } from './screens/list-screen.js';
import { DisksRoute, GraphsRoute, useEditorOwnsKeys } from './screens/tool-routes.js';
import { StoreContext, useApp } from './store-context.js';
import { ThemeContext, type Theme } from './theme.js';

export interface AppProps {
  store: AppStore;
  width: number;
  height: number;
  theme?: Theme;
  now?: () => number;
}

export function App({ store, width, height, theme = { color: true }, now = Date.now }: AppProps) {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={theme}>
        <NowContext.Provider value={now}>
          <Frame width={width} height={height} store={store} />
        </NowContext.Provider>
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}

function Frame({ width, height, store }: { width: number; height: number; store: AppStore }) {
  const screen = useApp((s) => s.screen);
  const onInput = useCallback((input: string, key: Parameters<typeof keyName>[1]) => handleKey(store, input, key), [store]);
  // a device editor's forms take every key while it is open; it calls back() on Esc
  const editorOwnsKeys = useEditorOwnsKeys();
  useInput(onInput, { isActive: !editorOwnsKeys });
  const body = Math.max(1, height - 3);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <HeaderBar width={width} />
      {screen === 'list' ? <ListScreen width={width} height={body} /> : null}
      {screen === 'detail' ? <DetailScreen width={width} height={body} /> : null}
      {screen === 'help' ? <HelpScreen width={width} height={body} /> : null}
      {screen === 'graphs' ? <GraphsRoute width={width} height={body} /> : null}
      {screen === 'disks' ? <DisksRoute width={width} height={body} /> : null}
      <StatusLine width={width} />
      <FooterHints width={width} />
    </Box>
  );
}

/** Route one key press: dialog first, then the line being typed, then the binding table. */
export function handleKey(store: AppStore, input: string, key: Parameters<typeof keyName>[1]): void {
  const s = store.getState();
  const name = keyName(input, key);
  if (s.confirm) {
    if (name === 'y' || name === 'Y' || name === 'enter') s.actions.answerConfirm(true);
    else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') s.actions.answerConfirm(false);
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
  if (s.status && s.status.kind === 'error') s.actions.clearStatus();
  dispatchKey(store.getState(), name);
}

function isControl(s: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(s);
}
