// The serial console pane inside the app: the session of the pane's domain, opened through
// the registry on first show (it attaches in the background and keeps retrying), drawn by
// ConsolePane. Keys reach it through the app's input handler (routeConsoleKey).
import { useMemo } from 'react';
import { consoleLogPath, handleConsoleKey, type InkKeyLike } from '../../console/index.js';
import type { AppStore } from '../../store/app-store.js';
import { ConsolePane } from '../components/console-pane.js';
import { DEFAULT_ESCAPE, escapeKeyLabel } from '../../console/index.js';
import { TextLine } from '../components/line.js';
import { useConsoles, type ConsoleDeps, type ConsoleSessionLike } from '../console-context.js';
import { useApp, useAppStore } from '../store-context.js';
import { COLORS } from '../theme.js';

/** The session for the pane's domain, opened on first use; undefined without a registry or domain. */
export function consoleSessionFor(store: AppStore, deps: ConsoleDeps | null, key: string): ConsoleSessionLike | undefined {
  const e = store.getState().domains.get(key);
  const driver = e && store.getState().actions.driverFor(e.connection);
  if (!deps || !e || !driver) return undefined;
  return deps.registry.open(key, e.name, () => driver.consoleEndpoint(e.name));
}

export function ConsoleRoute({ width, height }: { width: number; height: number }) {
  const store = useAppStore();
  const deps = useConsoles();
  const pane = useApp((s) => s.consolePane);
  const focused = useApp((s) => s.focus === 'console');
  const input = useApp((s) => s.consoleInput);
  const key = pane?.key;
  const session = useMemo(() => (key === undefined ? undefined : consoleSessionFor(store, deps, key)), [store, deps, key]);
  if (!session) {
    const text = deps ? 'This domain is gone; x closes the pane.' : 'The serial console is not available here.';
    return <TextLine width={width} text={text} color={COLORS.warn} />;
  }
  const title = `${session.name} — serial console — ${escapeKeyLabel(deps?.leaveKey ?? DEFAULT_ESCAPE)} back to list`;
  return <ConsolePane session={session} width={width} height={height} focused={focused} input={focused ? input : undefined} title={title} />;
}

/** A key while the console has focus: to the guest, or the console's own keys (Ctrl-] leaves). */
export function routeConsoleKey(store: AppStore, deps: ConsoleDeps | null, input: string, key: InkKeyLike): void {
  const s = store.getState();
  const pane = s.consolePane;
  const session = pane ? consoleSessionFor(store, deps, pane.key) : undefined;
  if (!pane || !session || !deps) {
    s.actions.leaveConsole();
    return;
  }
  const r = handleConsoleKey(session, s.consoleInput, input, key, {
    leaveKey: deps.leaveKey,
    logPath: () => consoleLogPath(deps.logDir, session.name),
    onLogChange: (message) => store.getState().actions.setStatus('info', message),
  });
  s.actions.setConsoleInput(r.state);
  if (r.toggleFull) s.actions.toggleConsoleFull();
  if (r.leave) s.actions.leaveConsole();
}
