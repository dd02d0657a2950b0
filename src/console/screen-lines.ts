// Turns the emulator's cell buffer into lines of styled, printable text for the pane. Only cell
// contents and cell attributes cross this boundary: never a byte the guest sent.
import type { IBufferCell, Terminal } from './xterm.js';
import { safeText } from './safe-text.js';

export interface ConsoleStyle {
  /** Ink colour: a chalk name ("red", "blueBright"), "ansi256(n)" or "#rrggbb" */
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  inverse?: boolean;
  /** inside the current search match */
  match?: boolean;
  /** the cursor cell */
  cursor?: boolean;
}

export interface ConsoleSpan extends ConsoleStyle {
  text: string;
}

export type ConsoleLine = ConsoleSpan[];

export interface ViewportRequest {
  /** absolute buffer line shown on the first row */
  top: number;
  rows: number;
  /** absolute cursor position to mark, if it should be shown */
  cursor?: { line: number; col: number } | null;
  /** a span of cells to mark as the search match */
  highlight?: { line: number; col: number; length: number } | null;
}

const PALETTE16 = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

function colour(isDefault: boolean, isRgb: boolean, value: number): string | undefined {
  if (isDefault) return undefined;
  if (isRgb) return `#${(value & 0xffffff).toString(16).padStart(6, '0')}`;
  if (value >= 0 && value < 16) return PALETTE16[value];
  if (value >= 16 && value < 256) return `ansi256(${value})`;
  return undefined;
}

function cellStyle(cell: IBufferCell): ConsoleStyle {
  const s: ConsoleStyle = {};
  const fg = colour(cell.isFgDefault(), cell.isFgRGB(), cell.getFgColor());
  const bg = colour(cell.isBgDefault(), cell.isBgRGB(), cell.getBgColor());
  if (fg) s.fg = fg;
  if (bg) s.bg = bg;
  if (cell.isBold()) s.bold = true;
  if (cell.isDim()) s.dim = true;
  if (cell.isItalic()) s.italic = true;
  if (cell.isUnderline()) s.underline = true;
  if (cell.isStrikethrough()) s.strikethrough = true;
  if (cell.isInverse()) s.inverse = true;
  return s;
}

const STYLE_KEYS = ['fg', 'bg', 'bold', 'dim', 'italic', 'underline', 'strikethrough', 'inverse', 'match', 'cursor'] as const;

function sameStyle(a: ConsoleStyle, b: ConsoleStyle): boolean {
  return STYLE_KEYS.every((k) => a[k] === b[k]);
}

function isPlain(s: ConsoleStyle): boolean {
  return STYLE_KEYS.every((k) => s[k] === undefined);
}

/** Printable text for one cell, always as many columns wide as the cell. */
function cellText(cell: IBufferCell, width: number): string {
  if (cell.isInvisible()) return ' '.repeat(width);
  const chars = safeText(cell.getChars());
  if (chars === '') return ' '.repeat(width);
  return chars;
}

export function renderLine(term: Terminal, line: number, req: ViewportRequest, scratch?: IBufferCell): ConsoleLine {
  const buf = term.buffer.active;
  // getLine() wraps around its ring buffer instead of failing outside it
  if (line < 0 || line >= buf.length) return [];
  const bl = buf.getLine(line);
  if (!bl) return [];
  const spans: ConsoleLine = [];
  let cur: ConsoleSpan | null = null;
  const cols = term.cols;
  let cell = scratch;
  for (let x = 0; x < cols; x++) {
    cell = bl.getCell(x, cell);
    if (!cell) break;
    const width = cell.getWidth();
    if (width === 0) continue; // the right half of a wide character
    const style = cellStyle(cell);
    const h = req.highlight;
    if (h && h.line === line && x >= h.col && x < h.col + h.length) style.match = true;
    const c = req.cursor;
    if (c && c.line === line && c.col === x) style.cursor = true;
    const text = cellText(cell, width);
    if (cur && sameStyle(cur, style)) {
      cur.text += text;
    } else {
      cur = { ...style, text };
      spans.push(cur);
    }
  }
  // trailing blanks without any styling carry nothing
  const last = spans[spans.length - 1];
  if (last && isPlain(last)) {
    last.text = last.text.replace(/ +$/, '');
    if (last.text === '') spans.pop();
  }
  return spans;
}

/** The rows of the viewport starting at an absolute buffer line, as safe styled text. */
export function renderViewport(term: Terminal, req: ViewportRequest): ConsoleLine[] {
  const out: ConsoleLine[] = [];
  const scratch = term.buffer.active.getNullCell();
  for (let r = 0; r < req.rows; r++) out.push(renderLine(term, req.top + r, req, scratch));
  return out;
}

/** Plain text of a rendered line (tests, search, screenshots). */
export function lineText(line: ConsoleLine): string {
  return line.map((s) => s.text).join('');
}
