// Find text in the emulator's buffer (scrollback + screen), one row at a time. Case-insensitive
// unless the query has a capital letter (smart case, as in less and vim).
import type { IBufferCell, Terminal } from './xterm.js';

export interface BufferMatch {
  /** absolute buffer line */
  line: number;
  /** first cell column */
  col: number;
  /** cells covered */
  length: number;
  /** string index within the row text (where the search continues from) */
  index: number;
}

export type SearchDirection = 'prev' | 'next';

interface RowText {
  text: string;
  /** cell column of each UTF-16 index of text */
  colAt: number[];
}

/** Row text the same way translateToString builds it, with a map back to cell columns. */
function rowText(term: Terminal, line: number, scratch: IBufferCell): RowText | null {
  if (line < 0 || line >= term.buffer.active.length) return null;
  const bl = term.buffer.active.getLine(line);
  if (!bl) return null;
  let text = '';
  const colAt: number[] = [];
  let cell = scratch;
  for (let x = 0; x < term.cols; x++) {
    const c = bl.getCell(x, cell);
    if (!c) break;
    cell = c;
    if (c.getWidth() === 0) continue;
    const chars = c.getChars() || ' ';
    for (let i = 0; i < chars.length; i++) colAt.push(x);
    text += chars;
  }
  colAt.push(term.cols);
  return { text, colAt };
}

function fold(s: string, caseSensitive: boolean): string {
  return caseSensitive ? s : s.toLowerCase();
}

/**
 * The next match before ('prev', towards older output) or after ('next') a position given as
 * (line, string index). A match starting exactly at the position is not returned, so repeated
 * calls walk through all matches.
 */
export function findInBuffer(
  term: Terminal,
  query: string,
  direction: SearchDirection,
  from: { line: number; index: number },
): BufferMatch | null {
  if (!query) return null;
  const caseSensitive = query !== query.toLowerCase();
  const q = fold(query, caseSensitive);
  const buf = term.buffer.active;
  const scratch = buf.getNullCell();
  const step = direction === 'prev' ? -1 : 1;
  for (let line = from.line; line >= 0 && line < buf.length; line += step) {
    const bl = buf.getLine(line);
    if (!bl) continue;
    const hay = fold(bl.translateToString(true), caseSensitive);
    let idx: number;
    if (direction === 'prev') {
      const before = line === from.line ? from.index - 1 : hay.length;
      idx = before < 0 ? -1 : hay.lastIndexOf(q, before);
    } else {
      const after = line === from.line ? from.index + 1 : 0;
      idx = hay.indexOf(q, after);
    }
    if (idx < 0) continue;
    const row = rowText(term, line, scratch);
    if (!row) continue;
    const col = row.colAt[idx] ?? 0;
    const endCol = row.colAt[idx + q.length] ?? term.cols;
    return { line, col, length: Math.max(1, endCol - col), index: idx };
  }
  return null;
}
