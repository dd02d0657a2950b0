// Public API of the domain layer (libvirt domain XML): parse, typed view, validate, edit.
// Only this layer imports the XML parser. Documents are immutable: edits return new ones.
export type * from './model.js';
export { DomainDocument, parseDomainXml, editDocument, ensureUuid } from './document.js';
export { canonicalXml } from './canonical.js';
export { MAX_DOMAIN_XML_BYTES } from './xml-guard.js';
export { toKiB, unitBytes, parseSize, formatBytes } from './units.js';
export { generateUuid, isValidUuid } from './uuid.js';
export { generateMac, isValidMac, macProblem, normalizeMac, assertValidMac } from './mac.js';
export {
  validateDomain,
  validateDomainName,
  domainNameProblems,
  domainProblems,
  assertValidDomain,
  MAX_NAME_LENGTH,
  MAX_VCPUS,
  type DomainProblem,
  type ValidateOptions,
} from './validate.js';
export { nextFreeTarget, busForTarget, targetSuffix, BUS_PREFIX } from './targets.js';
export { addDisk, removeDisk, setCdromSource, diskPathProblem, type DiskSpec } from './edit-disks.js';
export {
  addInterface,
  removeInterface,
  pinInterfaceMac,
  setLinkState,
  addPortForward,
  removePortForward,
  type InterfaceSpec,
  type InterfaceType,
  type PortForwardSpec,
  type AddInterfaceOptions,
} from './edit-interfaces.js';
