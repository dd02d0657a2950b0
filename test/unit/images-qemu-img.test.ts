// images.ts against the real qemu-img: create, info (--output=json), resize, and the refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImage, defaultImagePath, ensureImagesDir, imageInfo, parseImageInfo, resizeImage } from '../../src/driver/qemu/images.js';
import { homePaths } from '../../src/driver/qemu/paths.js';
import { KvmtuiError } from '../../src/driver/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-img-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

describe('qemu-img', () => {
  it('creates a qcow2 image whose info reports its virtual size and format', async () => {
    const p = join(dir, 'a.qcow2');
    await createImage(p, 'qcow2', 64 * MiB);
    const info = await imageInfo(p);
    expect(info).toMatchObject({ path: p, format: 'qcow2', virtualSizeBytes: 64 * MiB });
    // a fresh qcow2 holds only metadata
    expect(info.actualSizeBytes).toBeGreaterThan(0);
    expect(info.actualSizeBytes).toBeLessThan(4 * MiB);
  });

  it('grows and, only with shrink, shrinks an image', async () => {
    const p = join(dir, 'b.raw');
    await createImage(p, 'raw', 8 * MiB);
    await resizeImage(p, 'raw', 16 * MiB);
    expect((await imageInfo(p)).virtualSizeBytes).toBe(16 * MiB);
    await expect(resizeImage(p, 'raw', 4 * MiB)).rejects.toThrow(/qemu-img resize .*shrink/i);
    await resizeImage(p, 'raw', 4 * MiB, { shrink: true });
    expect((await imageInfo(p)).virtualSizeBytes).toBe(4 * MiB);
  });

  it('refuses to create over an existing file', async () => {
    const p = join(dir, 'c.qcow2');
    writeFileSync(p, 'data');
    await expect(createImage(p, 'qcow2', MiB)).rejects.toThrow(`${p} already exists`);
  });

  it('names a missing image and a directory clearly', async () => {
    await expect(imageInfo(join(dir, 'none.qcow2'))).rejects.toMatchObject({ code: 'FILE_MISSING', message: `${join(dir, 'none.qcow2')}: no such file` });
    await expect(imageInfo(dir)).rejects.toThrow(`${dir} is a directory, not a disk image`);
  });

  it('reports qemu-img failures as one line naming the image', async () => {
    const p = join(dir, 'broken.qcow2');
    // a qcow2 magic and version 3 with a zero cluster size: qemu-img refuses it
    const header = Buffer.alloc(112);
    header.write('QFI\xfb', 0, 'latin1');
    header.writeUInt32BE(3, 4);
    writeFileSync(p, header);
    const e = await imageInfo(p).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(KvmtuiError);
    expect((e as KvmtuiError).message).toMatch(new RegExp(`^qemu-img info ${p}: `));
    expect((e as KvmtuiError).message).not.toContain('\n');
  });
});

describe('parseImageInfo', () => {
  it('reads the fields the editors show', () => {
    const json = JSON.stringify({ 'virtual-size': 1073741824, filename: 'x', format: 'qcow2', 'actual-size': 200704, 'backing-filename': 'base.qcow2', encrypted: true });
    expect(parseImageInfo('x', json)).toEqual({
      path: 'x',
      format: 'qcow2',
      virtualSizeBytes: 1073741824,
      actualSizeBytes: 200704,
      backingFile: 'base.qcow2',
      encrypted: true,
    });
  });
  it('refuses output without a virtual size', () => {
    expect(() => parseImageInfo('x', '{}')).toThrow('no virtual-size');
    expect(() => parseImageInfo('x', 'not json')).toThrow('not JSON');
  });
});

describe('defaultImagePath', () => {
  it('puts new images under KVMTUI_HOME/images and skips taken names', async () => {
    const hp = homePaths(join(dir, 'home'));
    const first = await defaultImagePath(hp, 'vm1', 'vdb', 'qcow2');
    expect(first).toBe(join(dir, 'home', 'images', 'vm1-vdb.qcow2'));
    expect(existsSync(hp.imagesDir)).toBe(false); // nothing is created before a change goes ahead
    await ensureImagesDir(hp);
    writeFileSync(first, '');
    expect(await defaultImagePath(hp, 'vm1', 'vdb', 'qcow2')).toBe(join(dir, 'home', 'images', 'vm1-vdb-2.qcow2'));
  });
});
