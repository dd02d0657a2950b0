// The ordered XML tree the domain layer keeps and edits. Text and attribute values are stored
// RAW (still escaped, exactly as in the source), so an untouched part of a document is written
// back byte for byte; read them through attr()/textOf(), write them through setAttr()/setText().

export interface XElement {
  kind: 'element';
  name: string;
  /** attribute name -> raw (escaped) value, in document order */
  attrs: Array<[string, string]>;
  children: XNode[];
}
export interface XText {
  kind: 'text';
  /** raw, still escaped */
  raw: string;
}
export interface XComment {
  kind: 'comment';
  text: string;
}
export interface XCData {
  kind: 'cdata';
  text: string;
}
/** a processing instruction; the XML declaration is kept as target 'xml' */
export interface XPi {
  kind: 'pi';
  target: string;
  /** everything between the target and '?>', trimmed */
  body: string;
}
export type XNode = XElement | XText | XComment | XCData | XPi;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references. */
export function unescapeXml(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/** Escapes a value for use as element text. */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes a value for use inside a double-quoted attribute (newlines/tabs survive re-parsing). */
export function escapeAttr(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function isElement(n: XNode | undefined): n is XElement {
  return n !== undefined && n.kind === 'element';
}

export function elementChildren(el: XElement, name?: string): XElement[] {
  return el.children.filter((c): c is XElement => c.kind === 'element' && (name === undefined || c.name === name));
}

export function firstChild(el: XElement | undefined, name: string): XElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.kind === 'element' && c.name === name) return c;
  return undefined;
}

/** Follows a path of element names, taking the first match at each step. */
export function findPath(el: XElement | undefined, ...names: string[]): XElement | undefined {
  let cur = el;
  for (const n of names) cur = firstChild(cur, n);
  return cur;
}

export function attr(el: XElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  for (const [k, v] of el.attrs) if (k === name) return unescapeXml(v);
  return undefined;
}

export function setAttr(el: XElement, name: string, value: string): void {
  const raw = escapeAttr(value);
  const at = el.attrs.findIndex(([k]) => k === name);
  if (at >= 0) el.attrs[at] = [name, raw];
  else el.attrs.push([name, raw]);
}

export function removeAttr(el: XElement, name: string): void {
  el.attrs = el.attrs.filter(([k]) => k !== name);
}

/** Decoded text directly inside el (text and CDATA children, not descendants). */
export function rawTextOf(el: XElement | undefined): string {
  if (!el) return '';
  let s = '';
  for (const c of el.children) {
    if (c.kind === 'text') s += unescapeXml(c.raw);
    else if (c.kind === 'cdata') s += c.text;
  }
  return s;
}

/** Trimmed decoded text, or undefined when the element is absent. */
export function textOf(el: XElement | undefined): string | undefined {
  return el ? rawTextOf(el).trim() : undefined;
}

export function setText(el: XElement, value: string): void {
  el.children = [{ kind: 'text', raw: escapeText(value) }];
}

export function makeElement(name: string, attrs: Record<string, string | undefined> = {}, children: XNode[] = []): XElement {
  const list: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) list.push([k, escapeAttr(v)]);
  return { kind: 'element', name, attrs: list, children };
}

function cloneNode(n: XNode): XNode {
  if (n.kind !== 'element') return { ...n };
  return { kind: 'element', name: n.name, attrs: n.attrs.map(([k, v]) => [k, v]), children: n.children.map(cloneNode) };
}

/** A deep copy (much faster than structuredClone on large trees). */
export function cloneNodes(nodes: XNode[]): XNode[] {
  return nodes.map(cloneNode);
}
