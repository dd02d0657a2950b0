// Snapshot names as the local driver accepts them: they go to qemu-img's argv and to the HMP
// command line (savevm NAME), so nothing that could split or confuse either.
import { KvmtuiError } from '../errors.js';

export const SNAPSHOT_NAME_MAX = 64;

/** Returns the name unchanged, or throws INVALID_NAME saying what is wrong with it. */
export function validateSnapshotName(name: string): string {
  if (name.length === 0) throw new KvmtuiError('INVALID_NAME', 'snapshot name is empty');
  if (name.length > SNAPSHOT_NAME_MAX) {
    throw new KvmtuiError('INVALID_NAME', `snapshot name is longer than ${SNAPSHOT_NAME_MAX} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) throw new KvmtuiError('INVALID_NAME', 'snapshot name contains a control character');
  if (name.includes('/')) throw new KvmtuiError('INVALID_NAME', `snapshot name '${name}' contains '/'`);
  // HMP splits its command line on blanks, and a name that starts with '-' reads as a qemu-img option
  if (/\s/.test(name)) throw new KvmtuiError('INVALID_NAME', `snapshot name '${name}' contains a blank`);
  if (name.startsWith('-')) throw new KvmtuiError('INVALID_NAME', `snapshot name '${name}' starts with '-'`);
  // QEMU looks a snapshot up by id as well as by name: an all-digit name could hit another's id
  if (/^\d+$/.test(name)) throw new KvmtuiError('INVALID_NAME', `snapshot name '${name}' is all digits (QEMU would take it for an id)`);
  return name;
}
