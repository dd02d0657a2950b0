// Identity edits: a domain defined without a <uuid> gets one, as libvirt gives it one.

import { KvmtuiError } from '../driver/errors.js';
import { editDocument, type DomainDocument } from './document.js';
import { insertAfterLast } from './xml-layout.js';
import { firstChild, makeElement, setText } from './xml-tree.js';
import { generateUuid, isValidUuid } from './uuid.js';

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
