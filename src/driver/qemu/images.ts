// Disk images through qemu-img: create, info (--output=json), resize. Only for images that no
// running QEMU has open for writing: a running domain's disk grows with QMP block_resize instead.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageInfo } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { run } from '../exec.js';
import { ensurePrivateDir } from './fs-safe.js';
import type { HomePaths } from './paths.js';

export type ImageFormat = 'qcow2' | 'raw';

const QEMU_IMG = 'qemu-img';
const TIMEOUT_MS = 60_000;

/** qemu-img's own wording after its name: 'qemu-img: foo: Could not open...' -> the last line */
function qemuImgReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/^qemu-img exited with \d+: /, '').replace(/^qemu-img: /, '');
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/**
 * Facts about an image. --force-share (-U) reads an image a running QEMU holds locked, which is
 * fine for these read-only numbers.
 */
export async function imageInfo(path: string): Promise<ImageInfo> {
  const st = await statOrUndefined(path);
  if (!st) throw new KvmtuiError('FILE_MISSING', `${path}: no such file`);
  if (st.isDirectory()) throw new KvmtuiError('INVALID_CONFIG', `${path} is a directory, not a disk image`);
  let out: string;
  try {
    out = (await run(QEMU_IMG, ['info', '--force-share', '--output=json', path], { timeoutMs: TIMEOUT_MS })).stdout;
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: ${qemuImgReason(e)}`, { cause: e });
  }
  return parseImageInfo(path, out);
}

/** The JSON `qemu-img info --output=json` prints, reduced to what the editors show. */
export function parseImageInfo(path: string, json: string): ImageInfo {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: output is not JSON`);
  }
  const virtual = raw['virtual-size'];
  if (typeof virtual !== 'number') throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: no virtual-size in its output`);
  const info: ImageInfo = {
    path,
    format: typeof raw.format === 'string' ? raw.format : 'unknown',
    virtualSizeBytes: virtual,
  };
  if (typeof raw['actual-size'] === 'number') info.actualSizeBytes = raw['actual-size'];
  if (typeof raw['backing-filename'] === 'string') info.backingFile = raw['backing-filename'];
  if (raw.encrypted === true) info.encrypted = true;
  return info;
}

/** Creates a new image; refuses to overwrite anything (qemu-img create would). */
export async function createImage(path: string, format: ImageFormat, sizeBytes: number): Promise<void> {
  if (await statOrUndefined(path)) throw new KvmtuiError('INVALID_CONFIG', `${path} already exists: attach it, or choose another path`);
  try {
    await run(QEMU_IMG, ['create', '-q', '-f', format, path, String(sizeBytes)], { timeoutMs: TIMEOUT_MS });
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img create ${path}: ${qemuImgReason(e)}`, { cause: e });
  }
}

/** Offline resize. Shrinking needs shrink=true (qemu-img's --shrink): data past the end is lost. */
export async function resizeImage(path: string, format: string, sizeBytes: number, opts: { shrink?: boolean } = {}): Promise<void> {
  const args = ['resize', '-q', '-f', format];
  if (opts.shrink) args.push('--shrink');
  args.push(path, String(sizeBytes));
  try {
    await run(QEMU_IMG, args, { timeoutMs: TIMEOUT_MS });
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img resize ${path}: ${qemuImgReason(e)}`, { cause: e });
  }
}

/**
 * Where a new image for a domain's disk goes when the operator names no path:
 * KVMTUI_HOME/images/NAME-TARGET.FORMAT, with -2, -3... when that is taken. Creates nothing:
 * ensureImagesDir makes the directory once the change is known to go ahead.
 */
export async function defaultImagePath(hp: HomePaths, domain: string, target: string, format: ImageFormat): Promise<string> {
  for (let i = 1; i < 1000; i++) {
    const p = join(hp.imagesDir, `${domain}-${target}${i === 1 ? '' : `-${i}`}.${format}`);
    if (!(await statOrUndefined(p))) return p;
  }
  throw new KvmtuiError('IO_ERROR', `no free image name for ${domain}-${target} in ${hp.imagesDir}`);
}

/** The private images directory under KVMTUI_HOME. */
export async function ensureImagesDir(hp: HomePaths): Promise<void> {
  await ensurePrivateDir(hp.home);
  await ensurePrivateDir(hp.imagesDir);
}
