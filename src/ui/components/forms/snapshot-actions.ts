// What the snapshots screen may do to one domain. The app binds it to a driver and a domain
// (snapshotActionsFor); tests hand in fakes. Undefined when the driver has no snapshots.
import type { Driver, SnapshotInfo } from '../../../driver/driver.js';

export interface SnapshotActions {
  list(): Promise<SnapshotInfo[]>;
  create(snapshot: string, opts?: { description?: string }): Promise<SnapshotInfo>;
  revert(snapshot: string): Promise<void>;
  remove(snapshot: string): Promise<void>;
}

/** Why `driver` cannot take snapshots, or undefined when it can. */
export function snapshotsUnsupported(driver: Driver | undefined): string | undefined {
  if (!driver) return 'snapshots: no domain selected';
  const ok = driver.snapshotCreate && driver.snapshotList && driver.snapshotRevert && driver.snapshotDelete;
  return ok ? undefined : `snapshots: not supported on ${driver.uri}`;
}

/** Binds the screen to one domain; `after` runs after every change that succeeded (revert changes the state). */
export function snapshotActionsFor(driver: Driver, name: string, after?: () => void): SnapshotActions | undefined {
  if (snapshotsUnsupported(driver)) return undefined;
  const then = async <T>(p: Promise<T>): Promise<T> => {
    const r = await p;
    after?.();
    return r;
  };
  return {
    list: () => driver.snapshotList!(name),
    create: (snapshot, opts) => then(driver.snapshotCreate!(name, snapshot, opts)),
    revert: (snapshot) => then(driver.snapshotRevert!(name, snapshot)),
    remove: (snapshot) => then(driver.snapshotDelete!(name, snapshot)),
  };
}
