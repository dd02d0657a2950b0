// Public API of the domain layer (libvirt domain XML): parse, typed view, validate, edit.
export type * from './model.js';
export { DomainDocument, parseDomainXml, editDocument } from './document.js';
export { canonicalXml } from './canonical.js';
export { MAX_DOMAIN_XML_BYTES } from './xml-guard.js';
export { toKiB, unitBytes, parseSize, formatBytes } from './units.js';
