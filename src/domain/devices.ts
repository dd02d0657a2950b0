// Finding and creating the <devices> element of a domain.

import { insertAfterLast } from './xml-layout.js';
import { elementChildren, firstChild, makeElement, type XElement } from './xml-tree.js';

export function devicesOf(root: XElement): XElement | undefined {
  return firstChild(root, 'devices');
}

/** The <devices> element, created at the end of the domain when absent. */
export function ensureDevices(root: XElement): XElement {
  const existing = devicesOf(root);
  if (existing) return existing;
  const devices = makeElement('devices');
  insertAfterLast(root, devices, [elementChildren(root).map((e) => e.name)]);
  return devices;
}
