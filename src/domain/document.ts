// A parsed libvirt domain document: the full ordered tree (everything, modelled or not) plus
// its typed view. Immutable: edits return a new DomainDocument (see editDocument).

import { KvmtuiError } from '../driver/errors.js';
import { buildDomainConfig } from './config.js';
import type { DomainConfig } from './model.js';
import { generateUuid, isValidUuid } from './uuid.js';
import { parseXml, serializeXml } from './xml-codec.js';
import { insertAfterLast } from './xml-layout.js';
import { cloneNodes, firstChild, makeElement, setText, type XElement, type XNode } from './xml-tree.js';

export class DomainDocument {
  /** the typed view, computed once */
  readonly config: DomainConfig;
  readonly #nodes: XNode[];

  /** Use parseDomainXml or editDocument; the nodes must not be shared with anyone else. */
  private constructor(nodes: XNode[]) {
    this.#nodes = nodes;
    this.config = buildDomainConfig(rootOf(nodes));
  }

  static fromNodes(nodes: XNode[]): DomainDocument {
    return new DomainDocument(nodes);
  }

  /** The document as XML text; unedited parts come back byte for byte. */
  toXml(): string {
    return serializeXml(this.#nodes);
  }

  /** This document with a <uuid> (generated unless given) when it has none; itself otherwise. */
  withUuid(uuid?: string): DomainDocument {
    return ensureUuid(this, uuid);
  }

  /** A private copy of the tree, for building an edited document. */
  cloneNodes(): XNode[] {
    return cloneNodes(this.#nodes);
  }
}

/** The single <domain> root element; INVALID_XML when the root is anything else. */
export function rootOf(nodes: XNode[]): XElement {
  const roots = nodes.filter((n): n is XElement => n.kind === 'element');
  const root = roots[0];
  if (!root) throw new KvmtuiError('INVALID_XML', 'invalid XML: no root element');
  if (roots.length > 1) {
    const names = roots.map((r) => `<${r.name}>`).join(', ');
    throw new KvmtuiError('INVALID_XML', `invalid XML: a document has one root element, found ${roots.length} (${names})`);
  }
  if (root.name !== 'domain') {
    throw new KvmtuiError('INVALID_XML', `invalid XML: root element is <${root.name}>, expected <domain>`);
  }
  return root;
}

/**
 * Parses a libvirt domain XML document. Throws KvmtuiError INVALID_XML (not well-formed,
 * hostile, too large, root not <domain>) or INVALID_CONFIG (unreadable memory unit, vcpu...).
 */
export function parseDomainXml(xml: string): DomainDocument {
  return DomainDocument.fromNodes(parseXml(xml));
}

/**
 * Applies `mutate` to a private copy of the document's <domain> element and returns the new
 * document. If mutate throws, the original document is untouched (it is never mutated).
 */
export function editDocument(doc: DomainDocument, mutate: (root: XElement) => void): DomainDocument {
  const nodes = doc.cloneNodes();
  mutate(rootOf(nodes));
  return DomainDocument.fromNodes(nodes);
}

/** Adds <uuid> after <name> when the document has none; returns doc itself when it has one. */
export function ensureUuid(doc: DomainDocument, uuid: string = generateUuid()): DomainDocument {
  if (doc.config.uuid !== undefined) return doc;
  if (!isValidUuid(uuid)) throw new KvmtuiError('INVALID_CONFIG', `uuid '${uuid}' is not a valid UUID`);
  return editDocument(doc, (root) => {
    // an empty <uuid/> is filled in rather than joined by a second one
    const empty = firstChild(root, 'uuid');
    if (empty) return setText(empty, uuid);
    const el = makeElement('uuid');
    setText(el, uuid);
    insertAfterLast(root, el, [['name']]);
  });
}
