// Pure chart renderers: numbers in, rows of text out. The Ink components only lay these out,
// so every pixel decision is testable without a terminal.
import { formatAxis, formatValue, niceCeil } from './format.js';

export const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The scale top: the given max, else the largest finite value, else 1 (all zero or empty). */
export function scaleMax(data: readonly number[], max?: number): number {
  if (max !== undefined && Number.isFinite(max) && max > 0) return max;
  let m = 0;
  for (const v of data) if (Number.isFinite(v) && v > m) m = v;
  return m > 0 ? m : 1;
}

/**
 * One row of block characters, exactly `width` wide, newest value at the right; older
 * values beyond the width are dropped, missing ones (NaN) and the unfilled left part are spaces.
 */
export function sparklineRow(data: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const shown = data.slice(-width);
  const top = scaleMax(shown, max);
  const cells = shown.map((v) => {
    if (!Number.isFinite(v)) return ' ';
    const level = Math.round((Math.min(Math.max(v, 0), top) / top) * (BLOCKS.length - 1));
    return BLOCKS[level]!;
  });
  return ' '.repeat(width - cells.length) + cells.join('');
}

// Braille cell: 2 dot columns x 4 dot rows. Bit of each dot, indexed [column][row from top].
const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
] as const;

/**
 * An area chart in braille: `cols` x `rows` cells, 2 values per cell column, newest at the
 * right. Each value fills its dot column from the bottom; a value above zero always shows at
 * least one dot, so activity never disappears into rounding. Missing values (NaN) draw nothing.
 */
export function brailleRows(data: readonly number[], cols: number, rows: number, max?: number): string[] {
  if (cols <= 0 || rows <= 0) return [];
  const dotsHigh = rows * 4;
  const dotCols = cols * 2;
  const shown = data.slice(-dotCols);
  const top = scaleMax(shown, max);
  const offset = dotCols - shown.length; // empty dot columns on the left
  const bits: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  shown.forEach((v, i) => {
    if (!Number.isFinite(v) || v <= 0) return;
    const height = Math.max(1, Math.round((Math.min(v, top) / top) * dotsHigh));
    const x = offset + i;
    const cell = x >> 1;
    const side = x & 1;
    for (let d = 0; d < height; d++) {
      const fromTop = dotsHigh - 1 - d;
      bits[Math.floor(fromTop / 4)]![cell]! |= DOT_BITS[side]![fromTop % 4]!;
    }
  });
  return bits.map((row) => row.map((b) => String.fromCodePoint(0x2800 + b)).join(''));
}

export interface ChartTextOptions {
  data: readonly number[];
  /** total width in cells, axis included */
  width: number;
  /** total height in rows, title included */
  height: number;
  /** scale top; default: the peak rounded up to a tidy number */
  max?: number;
  unit: string;
  label: string;
}

/** Largest finite value, for "peak". */
export function peakOf(data: readonly number[]): number | undefined {
  let m: number | undefined;
  for (const v of data) if (Number.isFinite(v) && (m === undefined || v > m)) m = v;
  return m;
}

/** Last finite value, for "now". */
export function currentOf(data: readonly number[]): number | undefined {
  for (let i = data.length - 1; i >= 0; i--) if (Number.isFinite(data[i]!)) return data[i];
  return undefined;
}

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? chars.slice(0, width).join('') : text + ' '.repeat(width - chars.length);
}

/**
 * A whole chart as rows of exactly `width` characters: a title row
 * ("label  now X  peak Y", tighter when narrow), then `height - 1` plot rows, each behind a y-axis label
 * (the scale top on the first, 0 on the last).
 */
export function chartText(o: ChartTextOptions): string[] {
  const width = Math.max(1, Math.floor(o.width));
  const height = Math.max(1, Math.floor(o.height));
  const peak = peakOf(o.data);
  const now = currentOf(o.data);
  const [n, p] = [formatValue(now, o.unit), formatValue(peak, o.unit)];
  // the roomiest title that fits; narrow charts keep the figures and lose the spacing
  const titles = [`${o.label}  now ${n}  peak ${p}`, `${o.label} now ${n} peak ${p}`, `${o.label} ${n} ▲${p}`];
  const title = titles.find((t) => [...t].length <= width) ?? titles[0]!;
  const out = [fit(title, width)];
  const plotRows = height - 1;
  if (plotRows <= 0) return out;
  const top = o.max !== undefined && o.max > 0 ? o.max : niceCeil(peak ?? 0, o.unit);
  const topLabel = formatAxis(top, o.unit);
  const axisWidth = Math.max(topLabel.length, 1);
  const plotCols = Math.max(0, width - axisWidth - 1);
  const plot = brailleRows(o.data, plotCols, plotRows, top);
  plot.forEach((row, i) => {
    const label = i === 0 ? topLabel : i === plotRows - 1 ? '0' : '';
    const tick = i === 0 || i === plotRows - 1 ? '┤' : '│';
    out.push(fit(label.padStart(axisWidth) + tick + row, width));
  });
  return out;
}
