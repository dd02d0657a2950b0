// Checks a document must pass before the parser sees it: size, no DOCTYPE (so no entity
// definitions, hence no expansion bombs and no external entities), only predefined or numeric
// entity references, no raw control characters. One linear pass; fails fast with INVALID_XML.

import { KvmtuiError } from '../driver/errors.js';

/** Largest domain XML accepted. Real domain documents are a few KiB. */
export const MAX_DOMAIN_XML_BYTES = 10 * 1024 * 1024;

export interface RawPi {
  target: string;
  body: string;
}

/** 1-based line and column of an offset, for error messages. */
export function lineCol(src: string, index: number): { line: number; col: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = src.indexOf('\n'); i !== -1 && i < index; i = src.indexOf('\n', i + 1)) {
    line++;
    lastNl = i;
  }
  return { line, col: index - lastNl };
}

function fail(src: string, index: number, what: string): never {
  const { line, col } = lineCol(src, index);
  throw new KvmtuiError('INVALID_XML', `invalid XML: ${what} (line ${line}, column ${col})`);
}

/** Refuses a document over the size limit without scanning it. */
export function checkXmlSize(xml: string, limit = MAX_DOMAIN_XML_BYTES): void {
  // a UTF-16 length over the limit means at least as many UTF-8 bytes: no need to count
  const bytes = xml.length > limit ? xml.length : Buffer.byteLength(xml, 'utf8');
  if (bytes > limit) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1);
    throw new KvmtuiError('INVALID_XML', `invalid XML: document is ${mib(bytes)} MiB or more, larger than the ${mib(limit)} MiB limit`);
  }
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
const MARKUP_OR_REF = /[<&\x00-\x08\x0b\x0c\x0e-\x1f]/g;

/**
 * Scans the document once outside comments, CDATA sections and processing instructions.
 * Returns the processing instructions in document order (the parser keeps only their target).
 */
export function scanXml(src: string): RawPi[] {
  const pis: RawPi[] = [];
  MARKUP_OR_REF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKUP_OR_REF.exec(src)) !== null) {
    const i = m.index;
    const ch = m[0];
    if (ch === '&') {
      REFERENCE.lastIndex = i;
      const ref = REFERENCE.exec(src);
      if (!ref) {
        const name = /^&([^\s;&<]{0,40});/.exec(src.slice(i, i + 50));
        fail(src, i, name ? `undefined entity '&${name[1]};' (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)` : "'&' must be written as &amp;");
      }
      if (ref[2] !== undefined || ref[3] !== undefined) {
        const code = ref[2] !== undefined ? parseInt(ref[2], 10) : parseInt(ref[3], 16);
        if (!isXmlChar(code)) fail(src, i, `character reference '${ref[0]}' is not an XML character`);
      }
      MARKUP_OR_REF.lastIndex = REFERENCE.lastIndex;
      continue;
    }
    if (ch !== '<') {
      fail(src, i, `control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed`);
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) fail(src, i, 'comment is not closed');
      MARKUP_OR_REF.lastIndex = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) fail(src, i, 'CDATA section is not closed');
      MARKUP_OR_REF.lastIndex = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) fail(src, i, 'processing instruction is not closed');
      const inner = src.slice(i + 2, end);
      const target = /^[^\s?]*/.exec(inner)![0];
      pis.push({ target, body: inner.slice(target.length).trim() });
      MARKUP_OR_REF.lastIndex = end + 2;
    } else if (/^<!doctype/i.test(src.slice(i, i + 9))) {
      fail(src, i, 'DOCTYPE declarations are refused (entity definitions could expand without bound or read external files)');
    } else if (src.startsWith('<!', i)) {
      fail(src, i, `unexpected markup '${src.slice(i, i + 10).split(/\s/)[0]}'`);
    }
  }
  return pis;
}
