// File writes that never leave a half-written file, in directories private to the user.
import { mkdir, open, rename, rm, stat, chmod, lstat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KvmtuiError } from '../errors.js';

/** mkdir -p with 0700 on every directory we create; refuses a path owned by someone else. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new KvmtuiError('IO_ERROR', `${dir} is not a directory`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (st.uid !== uid) throw new KvmtuiError('IO_ERROR', `${dir} belongs to another user (uid ${st.uid})`);
  if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/** Write to a temp file beside the target, fsync, rename: readers see the old or the new file, never half. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'wx', 0o600);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    if (fh) await fh.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw new KvmtuiError('IO_ERROR', `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
  // fsync the directory so the rename itself survives a crash
  const dfh = await open(dir, 'r').catch(() => undefined);
  if (dfh) {
    await dfh.sync().catch(() => {});
    await dfh.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
