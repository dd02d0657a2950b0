// Renders an @xterm/headless screen (text and colours, cell by cell) to a standalone SVG that
// GitHub shows inline: a dark terminal window with the exact grid the operator saw.

const CELL_W = 8.4;
const CELL_H = 18;
const FONT_SIZE = 14;
const PAD = 12;
const BAR = 26;

const DEFAULT_FG = '#c9d1d9';
const DEFAULT_BG = '#0d1117';
// the 16 ANSI colours (a GitHub-dark-like palette)
const ANSI16 = [
  '#484f58', '#ff7b72', '#3fb950', '#d29922', '#58a6ff', '#bc8cff', '#39c5cf', '#b1bac4',
  '#6e7681', '#ffa198', '#56d364', '#e3b341', '#79c0ff', '#d2a8ff', '#56d4dd', '#f0f6fc',
];

function palette(n) {
  if (n < 16) return ANSI16[n];
  if (n < 232) {
    const i = n - 16;
    const v = [0, 95, 135, 175, 215, 255];
    return rgb(v[Math.floor(i / 36)], v[Math.floor(i / 6) % 6], v[i % 6]);
  }
  const g = 8 + (n - 232) * 10;
  return rgb(g, g, g);
}

function rgb(r, g, b) {
  return `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

function colorOf(cell, which) {
  const isDefault = which === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
  if (isDefault) return undefined;
  const v = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
  const isRgb = which === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
  if (isRgb) return rgb((v >> 16) & 255, (v >> 8) & 255, v & 255);
  return palette(v);
}

function esc(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The style of one cell, resolved (inverse applied): { fg, bg, bold, dim }. */
function styleOf(cell) {
  let fg = colorOf(cell, 'fg') ?? DEFAULT_FG;
  let bg = colorOf(cell, 'bg');
  if (cell.isInverse()) {
    const f = fg;
    fg = bg ?? DEFAULT_BG;
    bg = f;
  }
  return { fg, bg, bold: !!cell.isBold(), dim: !!cell.isDim() };
}

const same = (a, b) => a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.dim === b.dim;

/**
 * @param {import('@xterm/headless').Terminal} term
 * @param {{ title?: string }} opts
 */
export function screenToSvg(term, opts = {}) {
  const buf = term.buffer.active;
  const width = Math.round(term.cols * CELL_W + PAD * 2);
  const height = Math.round(term.rows * CELL_H + PAD * 2 + BAR);
  const rects = [];
  const texts = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line) continue;
    const top = BAR + PAD + y * CELL_H;
    let x = 0;
    while (x < term.cols) {
      const cell = line.getCell(x);
      if (!cell) break;
      const style = styleOf(cell);
      // one run: consecutive cells of one style
      let text = '';
      let end = x;
      while (end < term.cols) {
        const c = line.getCell(end);
        if (!c || !same(styleOf(c), style)) break;
        const w = c.getWidth();
        if (w === 0) {
          end++;
          continue;
        }
        text += c.getChars() || ' ';
        end += w;
      }
      const left = PAD + x * CELL_W;
      const runW = (end - x) * CELL_W;
      if (style.bg) rects.push(`<rect x="${left.toFixed(1)}" y="${top}" width="${runW.toFixed(1)}" height="${CELL_H}" fill="${style.bg}"/>`);
      if (text.trim() !== '') {
        const attrs = [`x="${left.toFixed(1)}"`, `y="${top + CELL_H - 5}"`, `fill="${style.fg}"`, `textLength="${runW.toFixed(1)}"`, 'lengthAdjust="spacingAndGlyphs"'];
        if (style.bold) attrs.push('font-weight="bold"');
        if (style.dim) attrs.push('opacity="0.6"');
        texts.push(`<text ${attrs.join(' ')}>${esc(text)}</text>`);
      }
      x = end > x ? end : x + 1;
    }
  }
  const title = opts.title ? `<text x="${width / 2}" y="17" fill="#8b949e" font-size="12" text-anchor="middle">${esc(opts.title)}</text>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${DEFAULT_BG}"/>`,
    `<rect width="${width}" height="${BAR}" rx="8" fill="#161b22"/>`,
    `<circle cx="16" cy="13" r="5" fill="#ff5f56"/><circle cx="32" cy="13" r="5" fill="#ffbd2e"/><circle cx="48" cy="13" r="5" fill="#27c93f"/>`,
    title,
    ...rects,
    `<g font-family="'DejaVu Sans Mono','Menlo','Consolas','Liberation Mono',monospace" font-size="${FONT_SIZE}" xml:space="preserve">`,
    ...texts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
