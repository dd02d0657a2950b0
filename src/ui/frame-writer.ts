// Puts Ink's frames on the terminal, rewriting only the rows that changed.
//
// Ink renders (in its debug mode) the whole frame as text into a stand-in stdout; this writer
// compares it with what the terminal shows and sends just the changed rows, each addressed
// absolutely (CUP) and cleared first, inside a synchronized-update bracket. Absolute addressing
// survives resizes and lets the app use every row, bottom one included, without scrolling.
import { EventEmitter } from 'node:events';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
/** short enough that a key press still feels immediate */
const COALESCE_MS = 25;

export interface TerminalOut {
  write(data: string): unknown;
  columns?: number;
  rows?: number;
}

export class FrameWriter {
  private shown: string[] = [];
  private pending: string | undefined;
  /** the last frame written: drawn again whole after a suspension */
  private last: string | undefined;
  private scheduled = false;
  private closed = false;
  private suspended = false;
  /** bytes sent to the terminal so far (the benchmark reads it) */
  bytesWritten = 0;

  constructor(
    private readonly out: TerminalOut,
    private rows: number,
  ) {}

  /**
   * Queue a frame. Frames arriving within a few milliseconds (a poll's list, host figures and
   * stats land one after the other) are written once, as the last of them.
   */
  frame(text: string): void {
    if (this.closed) return;
    this.pending = text;
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flush();
    }, COALESCE_MS);
  }

  /** Write the pending frame now. */
  flush(): void {
    if (this.pending === undefined || this.closed || this.suspended) return;
    this.last = this.pending;
    const lines = this.pending.split('\n');
    this.pending = undefined;
    if (lines.length > 0 && lines[lines.length - 1] === '' && lines.length > this.rows) lines.pop();
    let out = '';
    for (let i = 0; i < this.rows; i++) {
      const next = lines[i] ?? '';
      if (next === this.shown[i]) continue;
      out += `\x1b[${i + 1};1H\x1b[2K${next}\x1b[0m`;
      this.shown[i] = next;
    }
    if (out) this.send(BSU + out + ESU);
  }

  /** The terminal changed size: its content is unknown, so clear it and redraw everything. */
  resize(rows: number): void {
    this.rows = rows;
    this.shown = [];
    // while another program has the terminal, resume() clears it
    if (!this.suspended) this.send('\x1b[2J');
  }

  /**
   * Another program (the operator's editor) takes the terminal: write nothing until resume(),
   * and forget what the screen shows, since that program draws over it.
   */
  suspend(): void {
    this.suspended = true;
    this.shown = [];
  }

  /** The terminal is back: clear it and draw the latest frame whole. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.shown = [];
    this.send('\x1b[2J');
    this.pending ??= this.last;
    this.flush();
  }

  close(): void {
    this.closed = true;
  }

  private send(data: string): void {
    this.bytesWritten += Buffer.byteLength(data);
    try {
      this.out.write(data);
    } catch {
      // the terminal went away (SSH dropped): nothing left to draw on
    }
  }
}

/**
 * The stdout Ink renders into: it reports the real terminal's size, and hands every frame to
 * the FrameWriter instead of writing escape sequences of its own.
 */
export class InkStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(
    private readonly writer: FrameWriter,
    private size: { columns: number; rows: number },
  ) {
    super();
  }
  get columns(): number {
    return this.size.columns;
  }
  get rows(): number {
    return this.size.rows;
  }
  setSize(size: { columns: number; rows: number }): void {
    this.size = size;
    this.emit('resize');
  }
  write = (frame: string): boolean => {
    this.writer.frame(frame);
    return true;
  };
}
