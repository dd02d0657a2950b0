// Internal (qcow2) snapshots of a local domain, virsh's snapshot-create-as / -list / -revert /
// -delete. A running domain's snapshot holds RAM and device state too (HMP savevm/loadvm/delvm,
// which write every writable disk at once); a shut-off domain's is disks only (qemu-img snapshot on
// each disk). Every writable disk must be qcow2; read-only disks and CD-ROMs are left out, as QEMU
// itself leaves them out of savevm. What qcow2 does not keep lives in snapshot-meta.ts.
import type { DomainState, SnapshotInfo } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import type { DiskConfig, DomainConfig } from '../../domain/model.js';
import type { DomainFiles } from './domain-files.js';
import type { HomePaths } from './paths.js';
import type { QmpClient } from './qmp-types.js';
import { mapQmpStatus } from './status.js';
import { imageSnapshot, listImageSnapshots, type ImageSnapshot } from './snapshot-image.js';
import { readSnapshotMeta, writeSnapshotMeta, type SnapshotMeta } from './snapshot-meta.js';
import { validateSnapshotName } from './snapshot-names.js';

export { validateSnapshotName } from './snapshot-names.js';

export interface SnapshotDeps {
  files: DomainFiles;
  hp: HomePaths;
  /** run fn on the domain's monitor; INVALID_STATE when it is not running */
  qmp: <T>(name: string, fn: (c: QmpClient) => Promise<T>) => Promise<T>;
  isRunning: (name: string) => Promise<boolean>;
  /** savevm/loadvm copy all of RAM: give them time (default 5 min) */
  hmpTimeoutMs?: number;
}

interface SnapDisk {
  target: string;
  path: string;
}

/** The disks a snapshot covers: every writable one, which must be a qcow2 file. */
export function snapshotDisks(name: string, cfg: DomainConfig): SnapDisk[] {
  const writable = cfg.disks.filter((d: DiskConfig) => d.device !== 'cdrom' && !d.readonly);
  const out: SnapDisk[] = [];
  for (const d of writable) {
    if (d.format !== 'qcow2') {
      throw new KvmtuiError(
        'INVALID_CONFIG',
        `disk ${d.target} of '${name}' (${d.source ?? 'no source'}) is ${d.format ?? 'raw'}, not qcow2: internal snapshots need every writable disk in qcow2`,
      );
    }
    if (d.type !== 'file' || !d.source) {
      throw new KvmtuiError('INVALID_CONFIG', `disk ${d.target} of '${name}' is not a qcow2 file: internal snapshots need image files`);
    }
    out.push({ target: d.target, path: d.source });
  }
  if (out.length === 0) throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' has no writable qcow2 disk to hold a snapshot`);
  return out;
}

/** HMP answers errors as text: an action (savevm, loadvm, delvm) that printed anything failed. */
export function hmpActionError(command: string, output: string): KvmtuiError | undefined {
  const text = output.trim();
  if (!text) return undefined;
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ').replace(/^Error: /, '');
  return new KvmtuiError('QMP_ERROR', `${command}: ${line}`);
}

const holdsRam = (state: DomainState) => state !== 'shutoff' && state !== 'crashed';

export class SnapshotManager {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SnapshotDeps) {}

  /** One snapshot change per domain at once: two savevm racing on the same images would fail. */
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

  private async disks(name: string): Promise<SnapDisk[]> {
    return snapshotDisks(name, (await this.deps.files.load(name)).doc.config);
  }

  private async hmp(name: string, line: string): Promise<void> {
    const out = await this.deps.qmp(name, (c) =>
      c.execute<string>('human-monitor-command', { 'command-line': line }, { timeoutMs: this.deps.hmpTimeoutMs ?? 300_000 }),
    );
    const err = hmpActionError(line, typeof out === 'string' ? out : '');
    if (err) throw err;
  }

  /** Join the first disk's table (where savevm keeps RAM; the truth) with the records. */
  private async table(name: string, disks: SnapDisk[]): Promise<{ snaps: SnapshotInfo[]; image: ImageSnapshot[]; meta: SnapshotMeta[] }> {
    const image = await listImageSnapshots(disks[0].path);
    const meta = await readSnapshotMeta(this.deps.hp, name);
    const snaps = image.map((s): SnapshotInfo => {
      const m = meta.find((x) => x.name === s.name);
      return {
        name: s.name,
        description: m?.description,
        createdAt: m?.createdAt ?? s.date,
        state: m?.state ?? (s.vmStateSize > 0 ? 'running' : 'shutoff'),
      };
    });
    return { snaps, image, meta };
  }

  private async find(name: string, disks: SnapDisk[], snapshot: string) {
    const t = await this.table(name, disks);
    const snap = t.snaps.find((s) => s.name === snapshot);
    if (!snap) throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' has no snapshot '${snapshot}'`);
    const ram = holdsRam(snap.state) || (t.image.find((s) => s.name === snapshot)?.vmStateSize ?? 0) > 0;
    return { ...t, snap, ram };
  }

  async list(name: string): Promise<SnapshotInfo[]> {
    const disks = await this.disks(name);
    return (await this.table(name, disks)).snaps.sort((a, b) => a.createdAt - b.createdAt);
  }

  create(name: string, snapshot: string, opts: { description?: string } = {}): Promise<SnapshotInfo> {
    validateSnapshotName(snapshot);
    if (opts.description !== undefined && /[\x00-\x08\x0b-\x1f\x7f]/.test(opts.description)) {
      throw new KvmtuiError('INVALID_CONFIG', 'snapshot description contains a control character');
    }
    return this.serial(name, async () => {
      const disks = await this.disks(name);
      // qemu-img would add a second snapshot of the same name, savevm would replace it: refuse both
      for (const d of disks) {
        if ((await listImageSnapshots(d.path)).some((s) => s.name === snapshot)) {
          throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' already has a snapshot '${snapshot}' (on disk ${d.target})`);
        }
      }
      let state: DomainState = 'shutoff';
      if (await this.deps.isRunning(name)) {
        const s = await this.deps.qmp(name, (c) => c.execute<{ status: string; running: boolean }>('query-status'));
        state = mapQmpStatus(s.status, s.running).state;
        await this.hmp(name, `savevm ${snapshot}`);
      } else {
        const done: SnapDisk[] = [];
        try {
          for (const d of disks) {
            await imageSnapshot('create', d.path, snapshot);
            done.push(d);
          }
        } catch (e) {
          // all disks or none: a half-made snapshot could never be reverted
          for (const d of done) await imageSnapshot('delete', d.path, snapshot).catch(() => {});
          throw e;
        }
      }
      const info: SnapshotInfo = { name: snapshot, createdAt: Date.now(), state };
      if (opts.description) info.description = opts.description;
      const meta = (await readSnapshotMeta(this.deps.hp, name)).filter((m) => m.name !== snapshot);
      await writeSnapshotMeta(this.deps.hp, name, [...meta, info]);
      return info;
    });
  }

  revert(name: string, snapshot: string): Promise<void> {
    validateSnapshotName(snapshot);
    return this.serial(name, async () => {
      const disks = await this.disks(name);
      const { ram } = await this.find(name, disks, snapshot);
      const running = await this.deps.isRunning(name);
      if (ram && !running) {
        throw new KvmtuiError('INVALID_STATE', `snapshot '${snapshot}' holds the running state of '${name}': start the domain, then revert`);
      }
      if (!ram && running) {
        throw new KvmtuiError('INVALID_STATE', `snapshot '${snapshot}' was taken while '${name}' was shut off (disks only): shut the domain down, then revert`);
      }
      if (running) return this.hmp(name, `loadvm ${snapshot}`);
      // check every disk first: applying to some and then failing would mix two points in time
      for (const d of disks) {
        if (!(await listImageSnapshots(d.path)).some((s) => s.name === snapshot)) {
          throw new KvmtuiError('INVALID_CONFIG', `snapshot '${snapshot}' is missing from disk ${d.target} (${d.path}): cannot revert`);
        }
      }
      for (const d of disks) await imageSnapshot('apply', d.path, snapshot);
    });
  }

  delete(name: string, snapshot: string): Promise<void> {
    validateSnapshotName(snapshot);
    return this.serial(name, async () => {
      const disks = await this.disks(name);
      const { meta } = await this.find(name, disks, snapshot);
      if (await this.deps.isRunning(name)) {
        await this.hmp(name, `delvm ${snapshot}`);
      } else {
        for (const d of disks) {
          if ((await listImageSnapshots(d.path)).some((s) => s.name === snapshot)) await imageSnapshot('delete', d.path, snapshot);
        }
      }
      await writeSnapshotMeta(this.deps.hp, name, meta.filter((m) => m.name !== snapshot));
    });
  }
}
