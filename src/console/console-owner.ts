// Who holds a domain's serial socket. QEMU's chardev serves one client at a time; a second one
// is left waiting in the listen backlog and sees nothing. So every kvmtui console (the TUI pane
// and `kvmtui console`) records itself in an owner file beside the socket, and looks there
// first: the CLI refuses a busy console as `virsh console` does ("Active console session
// exists"), or takes it over with --force; the TUI pane gives the socket up when taken over.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type ConsoleOwnerKind = 'tui' | 'cli';

export interface ConsoleOwner {
  pid: number;
  kind: ConsoleOwnerKind;
  /** ms since the epoch */
  since: number;
}

/** The owner file of a serial socket: in the domain's private runtime directory. */
export function ownerPath(socketPath: string): string {
  return join(dirname(socketPath), `${basename(socketPath)}.owner`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner recorded for this socket, or null (none, unreadable, or its process is gone). */
export function readOwner(socketPath: string): ConsoleOwner | null {
  try {
    const o = JSON.parse(readFileSync(ownerPath(socketPath), 'utf8')) as ConsoleOwner;
    if (!Number.isInteger(o.pid) || o.pid <= 0 || (o.kind !== 'tui' && o.kind !== 'cli')) return null;
    return alive(o.pid) ? o : null;
  } catch {
    return null;
  }
}

/** Another live process holds the socket (not this one). */
export function otherOwner(socketPath: string, pid = process.pid): ConsoleOwner | null {
  const o = readOwner(socketPath);
  return o && o.pid !== pid ? o : null;
}

/** Record this process as the holder (atomically: write beside, then rename). */
export function claimOwner(socketPath: string, kind: ConsoleOwnerKind, pid = process.pid): void {
  const path = ownerPath(socketPath);
  const tmp = `${path}.${pid}`;
  try {
    writeFileSync(tmp, JSON.stringify({ pid, kind, since: Date.now() }), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // the runtime directory went away with the domain: nothing to hold
  }
}

/** Remove the owner file if it still names this process. */
export function releaseOwner(socketPath: string, pid = process.pid): void {
  try {
    const o = JSON.parse(readFileSync(ownerPath(socketPath), 'utf8')) as ConsoleOwner;
    if (o.pid === pid) unlinkSync(ownerPath(socketPath));
  } catch {
    // no file, or not ours
  }
}

/** How an owner reads in a message: "the kvmtui TUI (pid 123)". */
export function describeOwner(o: ConsoleOwner): string {
  return o.kind === 'tui' ? `the kvmtui TUI (pid ${o.pid})` : `kvmtui console (pid ${o.pid})`;
}
