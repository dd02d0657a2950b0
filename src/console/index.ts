// The console module's public surface. The UI imports types and the pane-facing methods from
// here; the session itself is made by the app's deps (createConsoleSession), since only
// driver/ and console/ may open sockets.
import type { ConsoleSnapshot } from './console-session.js';

export {
  ConsoleSession,
  createConsoleSession,
  type ConsoleSessionOptions,
  type ConsoleSnapshot,
  type ConsoleStatus,
} from './console-session.js';
export { ConsoleRegistry, createConsoleRegistry, type ConsoleDefaults } from './console-registry.js';
export { lineText, type ConsoleLine, type ConsoleSpan, type ConsoleStyle } from './screen-lines.js';
export { keyToBytes, type InkKeyLike, type KeyModes } from './key-bytes.js';
export {
  handleConsoleKey,
  consoleModeLine,
  LIVE_CONSOLE_INPUT,
  type ConsoleControls,
  type ConsoleInputMode,
  type ConsoleInputState,
  type ConsoleKeyOptions,
  type ConsoleKeyResult,
} from './console-keys.js';
export { safeText, isSafeText } from './safe-text.js';
export { consoleLogPath } from './log-path.js';
export type { ConsoleLogFormat } from './file-log.js';
export type { SearchDirection } from './buffer-search.js';

/** What Ink's useInput reports for Ctrl-]: the raw GS byte as `input` (key.ctrl is false). */
export const CTRL_RIGHT_BRACKET = '\x1d';
export { DEFAULT_ESCAPE, parseEscapeKey, escapeKeyLabel } from './escape-key.js';

/** The part of a session the pane needs: lets the UI take a fake in tests. */
export interface ConsoleView {
  readonly name: string;
  snapshot(): ConsoleSnapshot;
  subscribe(listener: () => void): () => void;
  resize(cols: number, rows: number): void;
}
