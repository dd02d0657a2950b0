// Deleting a disk image after its disk was detached (detach-disk --delete-image), for every driver.
import { rm } from 'node:fs/promises';
import { KvmtuiError } from './errors.js';

/** The detach already happened: a failure here says so, so the operator knows what state things are in. */
export async function deleteDetachedImage(target: string, source: string): Promise<void> {
  try {
    await rm(source, { force: true });
  } catch (e) {
    throw new KvmtuiError('IO_ERROR', `${target} was detached, but ${source} could not be deleted: ${(e as Error).message}`);
  }
}
