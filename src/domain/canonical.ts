// A canonical form of an XML document, to compare two documents for equivalence (round-trip
// tests, "did this edit change anything else?"). Deliberately independent of fast-xml-parser,
// so it can catch the parser losing something. Expects well-formed input without a DOCTYPE.
//
// Normalized: whitespace-only text between markup is dropped; CRLF -> LF; <a></a> == <a/>;
// attribute quoting and escaping (values decoded, then re-escaped one way); whitespace inside
// tags and processing instructions. Kept exactly: element and attribute names (with prefixes),
// attribute order, namespaces declarations, other text, comments, CDATA sections, PIs.

import { unescapeXml } from './xml-tree.js';

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escAttr(s: string): string {
  return escText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/gy;

function canonicalTag(tag: string): { text: string; name: string; selfClosing: boolean } {
  const selfClosing = tag.endsWith('/>');
  const inner = tag.slice(1, selfClosing ? -2 : -1);
  const name = /^[^\s/>]+/.exec(inner)?.[0] ?? '';
  let out = `<${name}`;
  let rest = inner.slice(name.length);
  ATTRIBUTE.lastIndex = 0;
  rest = rest.trim();
  let pos = 0;
  while (pos < rest.length) {
    ATTRIBUTE.lastIndex = pos;
    const m = ATTRIBUTE.exec(rest);
    if (!m) throw new Error(`canonicalXml: cannot read attributes in ${tag.slice(0, 80)}`);
    // attribute-value normalization: literal whitespace characters become spaces
    const raw = (m[3] ?? m[4] ?? '').replace(/[\t\n\r]/g, ' ');
    out += ` ${m[1]}="${escAttr(unescapeXml(raw))}"`;
    pos = ATTRIBUTE.lastIndex;
    while (pos < rest.length && /\s/.test(rest[pos]!)) pos++;
  }
  return { text: out + '>', name, selfClosing };
}

/** The canonical form of an XML document (see the header comment). */
export function canonicalXml(xml: string): string {
  const src = xml.replace(/\r\n?/g, '\n');
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    if (src[i] !== '<') {
      const next = src.indexOf('<', i);
      const text = src.slice(i, next < 0 ? src.length : next);
      if (text.trim() !== '') out.push(escText(unescapeXml(text)));
      i = next < 0 ? src.length : next;
      continue;
    }
    const closeAt = (marker: string, from: number) => {
      const end = src.indexOf(marker, from);
      if (end < 0) throw new Error(`canonicalXml: unterminated markup at offset ${i}`);
      return end;
    };
    if (src.startsWith('<!--', i)) {
      const end = closeAt('-->', i + 4);
      out.push(src.slice(i, end + 3));
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = closeAt(']]>', i + 9);
      out.push(src.slice(i, end + 3));
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = closeAt('?>', i + 2);
      const body = src.slice(i + 2, end).trim().replace(/\s+/g, ' ');
      out.push(`<?${body}?>`);
      i = end + 2;
    } else if (src.startsWith('<!', i)) {
      throw new Error('canonicalXml: DOCTYPE and other declarations are not supported');
    } else if (src.startsWith('</', i)) {
      const end = closeAt('>', i);
      out.push(`</${src.slice(i + 2, end).trim()}>`);
      i = end + 1;
    } else {
      // a start tag ends at the first '>' outside quotes
      let j = i + 1;
      let quote = '';
      for (; j < src.length; j++) {
        const c = src[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (j >= src.length) throw new Error(`canonicalXml: unterminated tag at offset ${i}`);
      const tag = canonicalTag(src.slice(i, j + 1));
      out.push(tag.text);
      if (tag.selfClosing) out.push(`</${tag.name}>`);
      i = j + 1;
    }
  }
  return out.join('');
}
