// What qcow2 does not keep about a snapshot (description, the domain's state when taken), one
// small JSON file per domain: KVMTUI_HOME/snapshots/NAME.json, 0600, written atomically.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DomainState } from '../driver.js';
import { ensurePrivateDir, writeFileAtomic } from './fs-safe.js';
import type { HomePaths } from './paths.js';

export interface SnapshotMeta {
  name: string;
  description?: string;
  createdAt: number;
  state: DomainState;
}

export function snapshotsDir(hp: HomePaths): string {
  return join(hp.home, 'snapshots');
}

export function snapshotMetaPath(hp: HomePaths, domain: string): string {
  return join(snapshotsDir(hp), `${domain}.json`);
}

/** The domain's snapshot records; a missing or unreadable file is no records (the images are the truth). */
export async function readSnapshotMeta(hp: HomePaths, domain: string): Promise<SnapshotMeta[]> {
  let text: string;
  try {
    text = await readFile(snapshotMetaPath(hp, domain), 'utf8');
  } catch {
    return [];
  }
  try {
    const raw = JSON.parse(text) as { snapshots?: unknown };
    if (!Array.isArray(raw.snapshots)) return [];
    return raw.snapshots.filter(
      (s): s is SnapshotMeta => typeof s?.name === 'string' && typeof s?.createdAt === 'number' && typeof s?.state === 'string',
    );
  } catch {
    return [];
  }
}

export async function writeSnapshotMeta(hp: HomePaths, domain: string, list: SnapshotMeta[]): Promise<void> {
  if (list.length === 0) {
    await rm(snapshotMetaPath(hp, domain), { force: true });
    return;
  }
  await ensurePrivateDir(hp.home);
  await ensurePrivateDir(snapshotsDir(hp));
  await writeFileAtomic(snapshotMetaPath(hp, domain), JSON.stringify({ snapshots: list }, null, 2) + '\n');
}
