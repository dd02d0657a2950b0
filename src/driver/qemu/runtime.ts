// What is on disk about a domain's QEMU process, and whether that process still lives.
// QEMU removes its pid file when it exits cleanly (guest poweroff, quit) and cannot when it is
// killed: a dead pid with its pid file still present means the emulator crashed.
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, writeFileAtomic } from './fs-safe.js';
import type { RunPaths } from './paths.js';

export interface RuntimeState {
  name: string;
  uuid: string;
  pid: number;
  startedAt: number;
  /** set just before kvmtui itself stops the process, so whoever sees it gone knows why */
  intent?: 'destroy';
  /** set once the process is known to have ended */
  ended?: { at: number; reason: 'shutdown' | 'destroyed' | 'crashed'; message?: string };
}

export type ProcessStatus =
  | { kind: 'none' } // never started here, or cleaned up
  | { kind: 'alive'; state: RuntimeState }
  | { kind: 'ended'; state: RuntimeState; ended: NonNullable<RuntimeState['ended']> };

export async function readRuntimeState(rp: RunPaths): Promise<RuntimeState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(rp.stateFile, 'utf8')) as RuntimeState;
    if (typeof parsed.pid !== 'number') return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

export async function writeRuntimeState(rp: RunPaths, state: RuntimeState): Promise<void> {
  await writeFileAtomic(rp.stateFile, JSON.stringify(state, null, 2) + '\n');
}

/** True when pid runs and is our QEMU for this run directory (guards against pid reuse). */
export async function isOurQemu(pid: number, rp: RunPaths): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(rp.pidFile);
  } catch {
    return false;
  }
}

export async function processStatus(rp: RunPaths): Promise<ProcessStatus> {
  const state = await readRuntimeState(rp);
  if (!state) return { kind: 'none' };
  if (state.ended) return { kind: 'ended', state, ended: state.ended };
  if (await isOurQemu(state.pid, rp)) return { kind: 'alive', state };
  // The process is gone and nobody recorded why: decide from the intent and the pid file.
  const latest = (await readRuntimeState(rp)) ?? state;
  if (latest.ended) return { kind: 'ended', state: latest, ended: latest.ended };
  let ended: NonNullable<RuntimeState['ended']>;
  if (latest.intent === 'destroy') ended = { at: Date.now(), reason: 'destroyed' };
  else if (await exists(rp.pidFile)) {
    ended = { at: Date.now(), reason: 'crashed', message: `QEMU (pid ${state.pid}) died unexpectedly` };
  } else ended = { at: Date.now(), reason: 'shutdown' };
  await markEnded(rp, latest, ended);
  return { kind: 'ended', state: latest, ended };
}

export async function markEnded(rp: RunPaths, state: RuntimeState, ended: NonNullable<RuntimeState['ended']>): Promise<void> {
  await writeRuntimeState(rp, { ...state, ended }).catch(() => {});
  await removeSockets(rp);
}

export async function removeSockets(rp: RunPaths): Promise<void> {
  for (const p of [rp.qmpSocket, ...rp.monitorSockets, rp.serialSocket, rp.pidFile]) {
    await rm(p, { force: true }).catch(() => {});
  }
  // display and channel sockets the argv builder puts in the run directory (vnc, spice, agent...)
  for (const f of await readdir(rp.dir).catch(() => [] as string[])) {
    if (f.endsWith('.sock')) await rm(join(rp.dir, f), { force: true }).catch(() => {});
  }
}

export async function waitForExit(pid: number, rp: RunPaths, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isOurQemu(pid, rp))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !(await isOurQemu(pid, rp));
}

/**
 * QEMU appends to the console log for as long as the domain runs (O_APPEND), so a guest that
 * floods its console would fill the disk. Past maxBytes, keep the last keepBytes as console.log.1
 * and truncate the live log: QEMU's next write lands at the new end, and readers that follow the
 * log notice it shrank.
 */
export async function capConsoleLog(rp: RunPaths, maxBytes: number, keepBytes = 1024 * 1024): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(rp.consoleLog)).size;
  } catch {
    return false;
  }
  if (size <= maxBytes) return false;
  const fh = await open(rp.consoleLog, 'r+');
  try {
    const keep = Math.min(keepBytes, size);
    const buf = Buffer.alloc(keep);
    await fh.read(buf, 0, keep, size - keep);
    await writeFileAtomic(rp.consoleLog + '.1', buf);
    await fh.truncate(0);
  } finally {
    await fh.close();
  }
  return true;
}
