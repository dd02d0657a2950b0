// XML text <-> ordered tree (xml-tree.ts), through fast-xml-parser in preserveOrder mode.
// Entities are not processed (values stay raw), so serializing an unedited tree reproduces
// the source: same order, comments, namespaces, CDATA, processing instructions, unknown parts.

import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { KvmtuiError } from '../driver/errors.js';
import { checkXmlSize, scanXml, type RawPi } from './xml-guard.js';
import type { XNode } from './xml-tree.js';

const ATTR = '@_';
/** deeper nesting is refused; libvirt documents are about 6 levels deep */
const MAX_DEPTH = 200;
const TEXT = '#text';
const COMMENT = '#comment';
const CDATA = '#cdata';

const shared = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  commentPropName: COMMENT,
  cdataPropName: CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
} as const;

const parser = new XMLParser({
  ...shared,
  allowBooleanAttributes: false,
  // keep element names such as <toString> as they are (the ordered output holds them safely)
  onDangerousProperty: (name: string) => name,
  maxNestedTags: MAX_DEPTH,
});

const builder = new XMLBuilder({
  ...shared,
  format: false,
  suppressEmptyNode: true,
  // used only for processing instructions, whose raw body travels as one boolean attribute
  suppressBooleanAttributes: true,
});

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, unknown> };

function keyOf(n: FxpNode): string {
  for (const k of Object.keys(n)) if (k !== ':@') return k;
  throw new KvmtuiError('INVALID_XML', 'invalid XML: empty node from parser');
}

function fromFxp(list: FxpNode[], pis: RawPi[], piIndex: { i: number }): XNode[] {
  const out: XNode[] = [];
  for (const n of list) {
    const key = keyOf(n);
    const value = n[key];
    if (key === TEXT) {
      out.push({ kind: 'text', raw: String(value) });
    } else if (key === COMMENT || key === CDATA) {
      const inner = (value as FxpNode[])[0];
      const text = inner ? String(inner[TEXT] ?? '') : '';
      out.push(key === COMMENT ? { kind: 'comment', text } : { kind: 'cdata', text });
    } else if (key.startsWith('?')) {
      const pi = pis[piIndex.i++];
      if (!pi || pi.target !== key.slice(1)) {
        throw new KvmtuiError('INVALID_XML', `invalid XML: processing instruction '${key.slice(1)}' could not be read`);
      }
      out.push({ kind: 'pi', target: pi.target, body: pi.body });
    } else {
      const attrs: Array<[string, string]> = [];
      for (const [k, v] of Object.entries(n[':@'] ?? {})) attrs.push([k.slice(ATTR.length), String(v)]);
      out.push({ kind: 'element', name: key, attrs, children: fromFxp(value as FxpNode[], pis, piIndex) });
    }
  }
  return out;
}

function toFxp(nodes: XNode[]): FxpNode[] {
  return nodes.map((n): FxpNode => {
    switch (n.kind) {
      case 'text':
        return { [TEXT]: n.raw };
      case 'comment':
        return { [COMMENT]: [{ [TEXT]: n.text }] };
      case 'cdata':
        return { [CDATA]: [{ [TEXT]: n.text }] };
      case 'pi':
        return { ['?' + n.target]: [{ [TEXT]: '' }], ...(n.body ? { ':@': { [ATTR + n.body]: true } } : {}) };
      case 'element': {
        const attrs: Record<string, string> = {};
        for (const [k, v] of n.attrs) attrs[ATTR + k] = v;
        return { [n.name]: toFxp(n.children), ...(n.attrs.length ? { ':@': attrs } : {}) };
      }
    }
  });
}

/**
 * Parses XML text into top-level nodes. Throws KvmtuiError('INVALID_XML') with one line
 * (and line/column where known) for oversized, hostile or not well-formed input.
 */
export function parseXml(xml: string): XNode[] {
  checkXmlSize(xml);
  if (xml.trim() === '') throw new KvmtuiError('INVALID_XML', 'invalid XML: the document is empty');
  const pis = scanXml(xml);
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new KvmtuiError('INVALID_XML', `invalid XML: ${msg.replace(/\.$/, '')} (${where})`);
  }
  let ordered: FxpNode[];
  try {
    ordered = parser.parse(xml) as FxpNode[];
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // the parser refuses names that would pollute JS prototypes (__proto__, constructor...)
    const reserved = /Invalid name: "([^"]+)"/.exec(msg);
    const what = reserved
      ? `the name '${reserved[1]}' is not supported`
      : /Maximum nested tags/i.test(msg)
        ? `elements are nested more than ${MAX_DEPTH} levels deep`
        : msg.replace(/\.$/, '');
    throw new KvmtuiError('INVALID_XML', `invalid XML: ${what}`, { cause: e });
  }
  const piIndex = { i: 0 };
  const nodes = fromFxp(ordered, pis, piIndex);
  if (piIndex.i !== pis.length) {
    throw new KvmtuiError('INVALID_XML', 'invalid XML: processing instructions could not be read');
  }
  return nodes;
}

/**
 * Serializes top-level nodes, one per line (the parser does not keep whitespace outside the
 * root element, which can only be whitespace); the output ends with a newline like dumpxml.
 */
export function serializeXml(nodes: XNode[]): string {
  const lines = nodes.filter((n) => n.kind !== 'text').map((n) => builder.build(toFxp([n])) as string);
  return lines.join('\n') + '\n';
}
