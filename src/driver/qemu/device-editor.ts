// The local driver's disk and NIC editors (Driver.attachDisk ... removePortForward, imageInfo).
// Changes to one domain run one at a time: two edits racing on the same XML would lose one.
import type { ChangeScope, DiskAttachSpec, ImageInfo, InterfaceAttachSpec, PortForward } from '../driver.js';
import type { DeviceEditorDeps, EditorDeps, ImageTool } from './device-context.js';
import * as disks from './device-disks.js';
import * as nics from './device-nics.js';
import { realHostProbe } from './device-validate.js';
import { createImage, imageInfo, resizeImage } from './images.js';

export type { DeviceEditorDeps } from './device-context.js';

export const qemuImgTool: ImageTool = {
  info: imageInfo,
  create: createImage,
  resize: resizeImage,
};

export class DeviceEditor {
  private readonly deps: EditorDeps;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(deps: DeviceEditorDeps) {
    this.deps = { ...deps, probe: deps.probe ?? realHostProbe, images: deps.images ?? qemuImgTool };
  }

  /** Runs fn after every earlier change to this domain has finished (failed or not). */
  private serial<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.queues.set(name, tail);
    void tail.then(() => {
      if (this.queues.get(name) === tail) this.queues.delete(name);
    });
    return run;
  }

  attachDisk(name: string, spec: DiskAttachSpec, scope: ChangeScope): Promise<void> {
    return this.serial(name, () => disks.attachDisk(this.deps, name, spec, scope));
  }

  detachDisk(name: string, target: string, scope: ChangeScope, opts?: { deleteImage?: boolean }): Promise<void> {
    return this.serial(name, () => disks.detachDisk(this.deps, name, target, scope, opts));
  }

  blockResize(name: string, target: string, sizeBytes: number, opts?: { allowShrink?: boolean }): Promise<void> {
    return this.serial(name, () => disks.blockResize(this.deps, name, target, sizeBytes, opts));
  }

  changeMedia(name: string, target: string, source: string | null, scope: ChangeScope): Promise<void> {
    return this.serial(name, () => disks.changeMedia(this.deps, name, target, source, scope));
  }

  attachInterface(name: string, spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }> {
    return this.serial(name, () => nics.attachInterface(this.deps, name, spec, scope));
  }

  detachInterface(name: string, mac: string, scope: ChangeScope): Promise<void> {
    return this.serial(name, () => nics.detachInterface(this.deps, name, mac, scope));
  }

  setLink(name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void> {
    return this.serial(name, () => nics.setLink(this.deps, name, mac, state, scope));
  }

  addPortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
    return this.serial(name, () => nics.addPortForward(this.deps, name, mac, fwd, scope));
  }

  removePortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): Promise<void> {
    return this.serial(name, () => nics.removePortForward(this.deps, name, mac, fwd, scope));
  }

  /** qemu-img info for the disks table (read-only, works while QEMU holds the image). */
  imageInfo(path: string): Promise<ImageInfo> {
    return this.deps.images.info(path);
  }
}
