// What the device editors need from the local driver, and the one way they apply a change:
// everything is checked first; then the live part; then the XML. A live part that fails leaves
// the XML as it was; an XML write that fails undoes the live part.
import type { ChangeScope, ImageInfo } from '../driver.js';
import { errorMessage, KvmtuiError } from '../errors.js';
import type { DomainFiles } from './domain-files.js';
import type { HostProbe } from './device-validate.js';
import type { ImageFormat } from './images.js';
import type { HomePaths } from './paths.js';
import type { QmpClient } from './qmp-types.js';

/** qemu-img, injectable so unit tests need no real images for every case. */
export interface ImageTool {
  info(path: string): Promise<ImageInfo>;
  create(path: string, format: ImageFormat, sizeBytes: number): Promise<void>;
  resize(path: string, format: string, sizeBytes: number, opts: { shrink?: boolean }): Promise<void>;
}

export interface DeviceEditorDeps {
  files: DomainFiles;
  hp: HomePaths;
  /** run fn on the domain's monitor; INVALID_STATE when it is not running */
  qmp: <T>(name: string, fn: (c: QmpClient) => Promise<T>) => Promise<T>;
  isRunning: (name: string) => Promise<boolean>;
  /** every domain on this host, for MAC uniqueness and shared-image checks */
  domainNames: () => Promise<string[]>;
  /** called after a change was applied (the driver may emit an event so views refresh) */
  changed?: (name: string) => void;
  /** host facts: free space, sysfs, capabilities (tests stage them) */
  probe?: HostProbe;
  images?: ImageTool;
  /** how long device_del waits for DEVICE_DELETED; default 10 s */
  unplugTimeoutMs?: number;
}

/** The deps with the host defaults filled in (DeviceEditor does that). */
export type EditorDeps = DeviceEditorDeps & { probe: HostProbe; images: ImageTool };

export interface ResolvedScope {
  live: boolean;
  config: boolean;
  running: boolean;
}

/**
 * virsh's rules: --live needs a running domain; with neither flag nothing would change. The
 * caller (CLI or UI) turns "current" / --persistent into explicit flags.
 */
export function resolveScope(name: string, scope: ChangeScope, running: boolean): ResolvedScope {
  if (!scope.live && !scope.config) {
    throw new KvmtuiError('INVALID_CONFIG', 'nothing to change: apply to the running domain (live), the config, or both');
  }
  if (scope.live && !running) {
    throw new KvmtuiError('INVALID_STATE', `domain '${name}' is not running: only the config can be changed`);
  }
  return { live: scope.live, config: scope.config, running };
}

export interface LivePart {
  apply(c: QmpClient): Promise<void>;
  /** reverses apply, used when the XML cannot be written */
  undo(c: QmpClient): Promise<void>;
}

export interface ChangePlan {
  name: string;
  live?: LivePart;
  /** the new persistent XML, when the config changes */
  xml?: string;
  /** undoes host-side preparation (an image created for this change) when anything fails */
  cleanup?: () => Promise<void>;
}

export async function applyChange(deps: DeviceEditorDeps, plan: ChangePlan): Promise<void> {
  const cleanup = async () => {
    await plan.cleanup?.().catch(() => {});
  };
  if (plan.live) {
    try {
      await deps.qmp(plan.name, plan.live.apply);
    } catch (e) {
      await cleanup();
      throw e;
    }
  }
  if (plan.xml !== undefined) {
    try {
      await deps.files.save(plan.name, plan.xml);
    } catch (e) {
      let note = 'nothing was changed';
      if (plan.live) {
        const undo = plan.live.undo;
        note = await deps.qmp(plan.name, undo).then(
          () => 'the live change was rolled back',
          (u: unknown) => `the live change could NOT be rolled back (${errorMessage(u)}): the running domain differs from its config`,
        );
      }
      await cleanup();
      throw new KvmtuiError('IO_ERROR', `${errorMessage(e)}; ${note}`, { cause: e });
    }
  }
  deps.changed?.(plan.name);
}
