// Full-screen terminal setup and, above all, its undoing: the alternate screen, hidden cursor
// and raw mode are restored on every way out (quit, crash, SIGTERM, SIGHUP, process exit).

const ENTER = '\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H';
// leave the alternate screen, show the cursor, reset colours; also end a synchronized update
// a crash may have left open
const LEAVE = '\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l';

export interface TtyIn {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  pause?(): unknown;
}

/** node's tty.ReadStream keeps its libuv handle here (not public API; used only when present) */
interface ReadHandle {
  reading?: boolean;
  readStop?(): unknown;
  readStart?(): unknown;
}

/**
 * Stop this process reading the terminal at all. Removing the stream's listeners is not enough:
 * a stream that has read once keeps its handle reading into its buffer, and would take the
 * lines typed into the editor. Returns how to start again.
 */
function stopReading(input: TtyIn): () => void {
  const h = (input as { _handle?: ReadHandle })._handle;
  if (!h || !h.reading || typeof h.readStop !== 'function' || typeof h.readStart !== 'function') return () => {};
  h.reading = false;
  h.readStop();
  return () => {
    // as net.Socket's own read path does: the stream's pending read is answered by the next data
    h.reading = true;
    h.readStart!();
  };
}

export interface TtyOut {
  write(data: string): unknown;
}

export interface FullScreen {
  /** idempotent: only the first call writes */
  restore(): void;
  /** hand the terminal to another program for a while: normal screen, cursor shown, raw mode off */
  suspend(): void;
  /** take it back: alternate screen, cursor hidden, cleared (raw mode: Ink turns it on with its input) */
  resume(): void;
  readonly restored: boolean;
}

export function enterFullScreen(out: TtyOut, input: TtyIn): FullScreen {
  let restored = false;
  safeWrite(out, ENTER);
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (input.isTTY) input.setRawMode?.(false);
    } catch {
      // stdin already gone
    }
    safeWrite(out, LEAVE);
  };
  // the last resort: whatever ends the process, the terminal comes back
  process.once('exit', restore);
  let suspended = false;
  let startReading = () => {};
  return {
    restore() {
      restore();
      process.removeListener('exit', restore);
    },
    suspend() {
      if (restored || suspended) return;
      suspended = true;
      try {
        if (input.isTTY) input.setRawMode?.(false);
        startReading = stopReading(input);
      } catch {
        // stdin already gone
      }
      safeWrite(out, LEAVE);
    },
    resume() {
      if (restored || !suspended) return;
      suspended = false;
      safeWrite(out, ENTER);
      try {
        startReading();
      } catch {
        // stdin gone meanwhile: the 'end' handler deals with it
      }
      startReading = () => {};
    },
    get restored() {
      return restored;
    },
  };
}

function safeWrite(out: TtyOut, data: string): void {
  try {
    out.write(data);
  } catch {
    // EIO/EPIPE after the terminal hung up
  }
}
