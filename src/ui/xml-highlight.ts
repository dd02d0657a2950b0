// Light syntax colouring for the XML view: the document becomes rows of segments (tags, attribute
// names, values, comments), one row per line. The XML may carry guest-controlled text (title,
// description), so every piece is made safe to print: no control characters, no bidi overrides.
import { safeText } from '../console/index.js';
import type { Segment } from './components/line.js';
import { COLORS } from './theme.js';

type Kind = 'text' | 'tag' | 'attr' | 'value' | 'comment' | 'meta';

const STYLE: Record<Kind, Omit<Segment, 'text'>> = {
  text: {},
  tag: { color: COLORS.accent },
  attr: { color: 'yellow' },
  value: { color: 'green' },
  // dim rather than coloured: it reads the same under NO_COLOR
  comment: { dim: true },
  meta: { dim: true },
};

interface Token {
  kind: Kind;
  text: string;
}

/** up to and including `end`, or the rest of the text when it never comes */
function through(xml: string, from: number, end: string): number {
  const i = xml.indexOf(end, from);
  return i < 0 ? xml.length : i + end.length;
}

/** the match of a sticky pattern at `at` (sticky: no copy of the rest of the text per token) */
function matchAt(re: RegExp, xml: string, at: number): string {
  re.lastIndex = at;
  return re.exec(xml)?.[0] ?? xml[at];
}

const TAG_OPEN = /<\/?[^\s/>]*/y;
const SPACE = /[\s=]+/y;
const NAME = /[^\s=/>"']+/y;

function tokenize(xml: string): Token[] {
  const out: Token[] = [];
  const push = (kind: Kind, text: string) => {
    if (text) out.push({ kind, text });
  };
  let i = 0;
  let inTag = false;
  while (i < xml.length) {
    if (!inTag) {
      if (xml.startsWith('<!--', i)) {
        const j = through(xml, i + 4, '-->');
        push('comment', xml.slice(i, j));
        i = j;
      } else if (xml.startsWith('<![CDATA[', i)) {
        const j = through(xml, i, ']]>');
        push('meta', xml.slice(i, j));
        i = j;
      } else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) {
        const j = through(xml, i, '>');
        push('meta', xml.slice(i, j));
        i = j;
      } else if (xml[i] === '<') {
        const m = matchAt(TAG_OPEN, xml, i);
        push('tag', m);
        i += m.length;
        inTag = true;
      } else {
        const j = xml.indexOf('<', i);
        const end = j < 0 ? xml.length : j;
        push('text', xml.slice(i, end));
        i = end;
      }
      continue;
    }
    const ch = xml[i];
    if (ch === '>' || xml.startsWith('/>', i)) {
      const t = ch === '>' ? '>' : '/>';
      push('tag', t);
      i += t.length;
      inTag = false;
    } else if (ch === '"' || ch === "'") {
      const j = through(xml, i + 1, ch);
      push('value', xml.slice(i, j));
      i = j;
    } else if (/[\s=]/.test(ch)) {
      const m = matchAt(SPACE, xml, i);
      push('text', m);
      i += m.length;
    } else {
      // a lone '/' not followed by '>' is taken as it comes
      const m = matchAt(NAME, xml, i);
      push('attr', m);
      i += m.length;
    }
  }
  return out;
}

/** One piece of a line, printable: tabs as two spaces, controls and bidi overrides dropped. */
export function printable(text: string): string {
  return safeText(text.replace(/\t/g, '  '));
}

/** The document as rows of coloured segments, one row per line. */
export function highlightXml(xml: string): Segment[][] {
  const rows: Segment[][] = [[]];
  for (const tok of tokenize(xml.replace(/\r\n?/g, '\n'))) {
    const parts = tok.text.split('\n');
    parts.forEach((p, n) => {
      if (n > 0) rows.push([]);
      const text = printable(p);
      if (text) rows[rows.length - 1].push({ text, ...STYLE[tok.kind] });
    });
  }
  // a final newline ends the last line; it does not start an empty one
  if (rows.length > 1 && rows[rows.length - 1].length === 0 && xml.endsWith('\n')) rows.pop();
  return rows;
}
