// What the disk and NIC editors may do to one domain. The app binds it to a driver and a domain
// (deviceActionsFor); tests hand in fakes. The screens never start processes themselves:
// image facts come through imageInfo, which the local driver answers with qemu-img.
import type { ChangeScope, DiskAttachSpec, Driver, ImageInfo, InterfaceAttachSpec, PortForward } from '../../../driver/driver.js';

export interface DeviceActions {
  attachDisk(spec: DiskAttachSpec, scope: ChangeScope): Promise<void>;
  detachDisk(target: string, scope: ChangeScope, opts?: { deleteImage?: boolean }): Promise<void>;
  blockResize(target: string, sizeBytes: number, opts?: { allowShrink?: boolean }): Promise<void>;
  changeMedia(target: string, source: string | null, scope: ChangeScope): Promise<void>;
  /** absent when the driver cannot tell (the table then shows '-') */
  imageInfo?(path: string): Promise<ImageInfo>;
  attachInterface(spec: InterfaceAttachSpec, scope: ChangeScope): Promise<{ mac: string }>;
  detachInterface(mac: string, scope: ChangeScope): Promise<void>;
  setLink(mac: string, state: 'up' | 'down', scope: ChangeScope): Promise<void>;
  addPortForward(mac: string, fwd: PortForward, scope: ChangeScope): Promise<void>;
  removePortForward(mac: string, fwd: PortForward, scope: ChangeScope): Promise<void>;
}

/** Binds the editors to one domain of a driver; `after` runs after every change that succeeded (e.g. a refresh). */
export function deviceActionsFor(driver: Driver, name: string, after?: () => void): DeviceActions {
  const then = async <T>(p: Promise<T>): Promise<T> => {
    const r = await p;
    after?.();
    return r;
  };
  return {
    attachDisk: (spec, scope) => then(driver.attachDisk(name, spec, scope)),
    detachDisk: (target, scope, opts) => then(driver.detachDisk(name, target, scope, opts)),
    blockResize: (target, size, opts) => then(driver.blockResize(name, target, size, opts)),
    changeMedia: (target, source, scope) => then(driver.changeMedia(name, target, source, scope)),
    imageInfo: driver.imageInfo ? (path) => driver.imageInfo!(path) : undefined,
    attachInterface: (spec, scope) => then(driver.attachInterface(name, spec, scope)),
    detachInterface: (mac, scope) => then(driver.detachInterface(name, mac, scope)),
    setLink: (mac, state, scope) => then(driver.setLink(name, mac, state, scope)),
    addPortForward: (mac, fwd, scope) => then(driver.addPortForward(name, mac, fwd, scope)),
    removePortForward: (mac, fwd, scope) => then(driver.removePortForward(name, mac, fwd, scope)),
  };
}
