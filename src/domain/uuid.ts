// Domain UUIDs.

import { randomUUID } from 'node:crypto';

/** A random (version 4) UUID in libvirt's 8-4-4-4-12 form. */
export function generateUuid(): string {
  return randomUUID();
}

/** libvirt's accepted forms: 32 hex digits, with or without the usual hyphens. */
export function isValidUuid(uuid: string): boolean {
  return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(uuid.trim());
}
