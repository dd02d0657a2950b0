// `kvmtui` with no verb: the full-screen app. Owns the terminal for its lifetime and gives it
// back on every way out; quitting never stops a domain, it only closes the drivers.
import { render } from 'ink';
import { useEffect, useState } from 'react';
import { createConsoleRegistry } from '../console/index.js';
import type { Driver } from '../driver/driver.js';
import { KvmtuiError, errorMessage } from '../driver/errors.js';
import { createAppStore, type AppStore } from '../store/app-store.js';
import { withTimeout } from '../store/with-timeout.js';
import { App } from './app.js';
import { ErrorBoundary } from './error-boundary.js';
import { FrameWriter, InkStdout } from './frame-writer.js';
import { createTerminalHandoff, type TerminalHandoff } from './terminal-handoff.js';
import { enterFullScreen } from './terminal.js';
import { themeFromEnv } from './theme.js';

export interface RunTuiOptions {
  drivers: Driver[];
  /** poll interval, ms */
  interval: number;
  /** samples kept per history series */
  historyCapacity?: number;
  /** console pane scrollback, lines (default 10000) */
  consoleScrollback?: number;
  /** the key that leaves the console pane (default Ctrl-]) */
  consoleLeaveKey?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** where the console pane's `l` writes logs (default: the current directory) */
  consoleLogDir?: string;
  /**
   * Opens a domain's XML in the operator's editor on this terminal (the CLI's $VISUAL/$EDITOR):
   * the edited text, or null when it was saved unchanged. The TUI hands the terminal over around
   * the call. Without it, `e` is disabled.
   */
  editXml?: (name: string, xml: string) => Promise<string | null>;
  /** called once the store exists (the benchmark and tests peek at it) */
  onStore?(store: AppStore): void;
}

interface Size {
  columns: number;
  rows: number;
}

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export async function runTui(opts: RunTuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const stderr = opts.stderr ?? process.stderr;
  if (!stdout.isTTY || !stdin.isTTY) {
    throw new KvmtuiError('UNSUPPORTED', 'the TUI needs a terminal on stdin and stdout; for scripts use a verb (kvmtui --help)');
  }
  // set once the screen is set up, before the first key can call it
  let handoff: TerminalHandoff | undefined;
  const editXml = opts.editXml;
  const store = createAppStore({
    drivers: opts.drivers,
    interval: opts.interval,
    historyCapacity: opts.historyCapacity,
    editXml: editXml && ((name, xml) => handoff!.lend(() => editXml(name, xml))),
  });
  opts.onStore?.(store);
  const theme = themeFromEnv(opts.env ?? process.env);
  const registry = createConsoleRegistry(opts.consoleScrollback ? { scrollback: opts.consoleScrollback } : {});
  const consoles = { registry, logDir: opts.consoleLogDir ?? process.cwd(), leaveKey: opts.consoleLeaveKey };
  const size = (): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  let dims = size();

  const screen = enterFullScreen(stdout, stdin);
  const writer = new FrameWriter(stdout, dims.rows);
  const inkOut = new InkStdout(writer, dims);
  handoff = createTerminalHandoff({
    writer,
    screen,
    setInput: (active) => store.getState().actions.setTerminalSuspended(!active),
    inputReleased: () => stdin.listenerCount('readable') === 0,
  });
  // a stray console.log would scribble over the screen: keep them quiet while the TUI runs
  const savedConsole = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const m of CONSOLE_METHODS) console[m] = () => {};

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let finishing: Promise<void> | undefined;
  let setSize: ((s: Size) => void) | undefined;

  const finish = (message?: string): Promise<void> => {
    finishing ??= (async () => {
      store.getState().actions.stop();
      writer.close();
      try {
        ink.unmount();
      } catch {
        // already gone
      }
      screen.restore();
      detach();
      for (const [m, f] of savedConsole) console[m] = f;
      if (message) {
        try {
          stderr.write(`kvmtui: ${message}\n`);
        } catch {
          // no terminal left to tell
        }
      }
      // let go of consoles and monitors; never stop a domain
      await withTimeout(registry.closeAll(), 3000, 'close consoles').catch(() => undefined);
      await Promise.all(opts.drivers.map((d) => withTimeout(d.close(), 3000, 'close').catch(() => undefined)));
      resolveDone();
    })();
    return finishing;
  };

  const exitWith = (code: number, message?: string) => {
    void finish(message).finally(() => process.exit(code));
  };
  const onSignal = (sig: NodeJS.Signals) => {
    // Ctrl-C typed in the editor reaches this process too: it is the editor's to handle
    if (sig === 'SIGINT' && handoff?.lent) return;
    exitWith(SIGNAL_EXIT[sig] ?? 1);
  };
  const onCrash = (e: unknown) => exitWith(1, `crashed: ${errorMessage(e)}`);
  const onResize = () => {
    const next = size();
    if (next.columns === dims.columns && next.rows === dims.rows) return;
    dims = next;
    writer.resize(next.rows);
    inkOut.setSize(next);
    setSize?.(next);
  };
  const onHangup = () => exitWith(SIGNAL_EXIT.SIGHUP);

  for (const sig of Object.keys(SIGNAL_EXIT)) process.on(sig, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  stdout.on('resize', onResize);
  stdout.on('error', onHangup);
  stdin.on('end', onHangup);
  const unsubscribe = store.subscribe((s) => {
    if (s.quitRequested) void finish();
  });
  function detach(): void {
    // Later, not now: when a signal brought us here, Ink's signal-exit handler still runs in
    // this same emit and re-raises the signal if it finds no other listener, killing the
    // process before the drivers are closed and the exit code set.
    setImmediate(() => {
      for (const sig of Object.keys(SIGNAL_EXIT)) process.removeListener(sig, onSignal);
    });
    process.removeListener('uncaughtException', onCrash);
    process.removeListener('unhandledRejection', onCrash);
    stdout.removeListener('resize', onResize);
    stdout.removeListener('error', onHangup);
    stdin.removeListener('end', onHangup);
    unsubscribe();
  }

  function Root() {
    const [s, set] = useState(dims);
    useEffect(() => {
      setSize = set;
      return () => {
        setSize = undefined;
      };
    }, []);
    return (
      <ErrorBoundary onError={onCrash}>
        <App store={store} consoles={consoles} width={s.columns} height={s.rows} theme={theme} />
      </ErrorBoundary>
    );
  }

  const ink = render(<Root />, {
    stdout: inkOut as unknown as NodeJS.WriteStream,
    stdin,
    stderr,
    // debug: Ink hands over whole frames; FrameWriter decides what reaches the terminal
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  store.getState().actions.start();
  await done;
}
