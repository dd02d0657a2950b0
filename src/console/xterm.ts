// @xterm/headless ships CommonJS only: Node's ESM loader exposes it as a default export.
// One place does the unwrapping, and pins the options every console emulator needs.
import xtermHeadless from '@xterm/headless';
import type { ITerminalOptions, ITerminalInitOnlyOptions, Terminal as TerminalType } from '@xterm/headless';

export type Terminal = TerminalType;
export type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';

const { Terminal: TerminalClass } = xtermHeadless as unknown as { Terminal: typeof TerminalType };

const silentLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface EmulatorSize {
  cols: number;
  rows: number;
  scrollback: number;
}

/**
 * A headless emulator. Its logger is silenced: xterm reports parse errors on console.error,
 * and anything written to the real terminal behind Ink's back would corrupt the screen.
 */
export function createEmulator(size: EmulatorSize): Terminal {
  const opts: ITerminalOptions & ITerminalInitOnlyOptions = {
    cols: Math.max(2, Math.floor(size.cols)),
    rows: Math.max(1, Math.floor(size.rows)),
    scrollback: Math.max(0, Math.floor(size.scrollback)),
    allowProposedApi: true,
    logLevel: 'off',
    logger: silentLogger,
    // the guest's window-manipulation requests (resize, report title...) are never honoured
    windowOptions: {},
  };
  return new TerminalClass(opts);
}

/** DECTCEM state; xterm keeps it in a private service, so read it defensively. */
export function isCursorHidden(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core;
  return core?.coreService?.isCursorHidden === true;
}
