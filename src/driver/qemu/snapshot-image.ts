// Internal snapshots of one qcow2 image through qemu-img (snapshot -c/-a/-d, info for the list).
// Only for images no running QEMU has open for writing; a running domain uses savevm/loadvm/delvm.
import { KvmtuiError } from '../errors.js';
import { run } from '../exec.js';

const QEMU_IMG = 'qemu-img';
const TIMEOUT_MS = 120_000;

/** One entry of an image's snapshot table. */
export interface ImageSnapshot {
  id: string;
  name: string;
  /** bytes of saved RAM/device state; 0 for a disk-only snapshot */
  vmStateSize: number;
  /** ms since epoch */
  date: number;
}

/** qemu-img's wording without its own prefix: 'qemu-img: Could not ...' -> 'Could not ...' */
function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/^qemu-img exited with \d+: /, '').replace(/^qemu-img: /, '');
}

/** The snapshot table from `qemu-img info --output=json` (no "snapshots" key: none). */
export function parseImageSnapshots(path: string, json: string): ImageSnapshot[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: output is not JSON`);
  }
  if (typeof raw !== 'object' || raw === null) throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: unexpected output`);
  const list = (raw as Record<string, unknown>).snapshots;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: "snapshots" is not a list`);
  return list.map((s: Record<string, unknown>) => {
    if (typeof s?.name !== 'string') throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: a snapshot without a name`);
    const sec = typeof s['date-sec'] === 'number' ? s['date-sec'] : 0;
    const nsec = typeof s['date-nsec'] === 'number' ? s['date-nsec'] : 0;
    return {
      id: String(s.id ?? ''),
      name: s.name,
      vmStateSize: typeof s['vm-state-size'] === 'number' ? s['vm-state-size'] : 0,
      date: sec * 1000 + Math.floor(nsec / 1e6),
    };
  });
}

/** The image's snapshot table; -U reads it even while a running QEMU holds the image. */
export async function listImageSnapshots(path: string): Promise<ImageSnapshot[]> {
  let out: string;
  try {
    out = (await run(QEMU_IMG, ['info', '-U', '--output=json', path], { timeoutMs: TIMEOUT_MS })).stdout;
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img info ${path}: ${reason(e)}`, { cause: e });
  }
  return parseImageSnapshots(path, out);
}

export type ImageSnapshotOp = 'create' | 'apply' | 'delete';
const FLAG: Record<ImageSnapshotOp, string> = { create: '-c', apply: '-a', delete: '-d' };

/** qemu-img snapshot -c/-a/-d NAME PATH (the name is validated before it gets here). */
export async function imageSnapshot(op: ImageSnapshotOp, path: string, snapshot: string): Promise<void> {
  try {
    await run(QEMU_IMG, ['snapshot', FLAG[op], snapshot, path], { timeoutMs: TIMEOUT_MS });
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `qemu-img snapshot ${FLAG[op]} ${snapshot} ${path}: ${reason(e)}`, { cause: e });
  }
}
