// Reads QEMU's chardev logfile: everything the guest printed, whether or not a client was
// attached. The session replays it up to a limit at attach, and follows it while it has no live
// link (see console-session.ts for why not while attached).
import { open, stat, type FileHandle } from 'node:fs/promises';

export interface LogChunk {
  /** log offset of the first byte */
  offset: number;
  bytes: Buffer;
}

interface FileId {
  dev: number;
  ino: number;
}

/** Where to start reading a file: the last `windowBytes`, from the first line start in it. */
async function startOffset(fh: FileHandle, size: number, windowBytes: number): Promise<number> {
  if (size <= windowBytes) return 0;
  const from = size - windowBytes;
  // do not start in the middle of a line (or of an escape sequence)
  const probe = Buffer.alloc(Math.min(64 * 1024, size - from));
  const { bytesRead } = await fh.read(probe, 0, probe.length, from);
  const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
  return nl >= 0 ? from + nl + 1 : from;
}

export class LogTail {
  readonly path: string;
  private fh: FileHandle | null = null;
  private id: FileId | null = null;
  /** the next byte to read */
  offset = 0;
  /** bytes before the replay window that were never shown */
  skippedAtOpen = 0;
  /** read no further than this (the replay's end); infinite while following the file */
  limit = Number.POSITIVE_INFINITY;

  constructor(path: string) {
    this.path = path;
  }

  get isOpen(): boolean {
    return this.fh !== null;
  }

  /** Open the file and position at the start of the replay window. False when it does not exist. */
  async open(windowBytes: number): Promise<boolean> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch {
      return false;
    }
    const st = await fh.stat();
    await this.fh?.close().catch(() => {});
    this.fh = fh;
    this.id = { dev: st.dev, ino: st.ino };
    this.offset = await startOffset(fh, st.size, windowBytes);
    this.skippedAtOpen = this.offset;
    return true;
  }

  async size(): Promise<number> {
    if (!this.fh) return 0;
    return (await this.fh.stat()).size;
  }

  /**
   * Whether the path now names another file than the one held open (the driver renamed the log
   * and QEMU made a new one), or the held file was truncated below what was already read.
   */
  async replaced(): Promise<boolean> {
    if (!this.fh || !this.id) return true;
    let st;
    try {
      st = await stat(this.path);
    } catch {
      return false; // gone for now: keep the old one until a new one appears
    }
    if (st.dev !== this.id.dev || st.ino !== this.id.ino) return true;
    return st.size < this.offset;
  }

  /** Read up to `max` bytes at the current offset and advance past them. */
  async read(max: number): Promise<LogChunk | null> {
    if (!this.fh) return null;
    const buf = Buffer.allocUnsafe(max);
    const offset = this.offset;
    const { bytesRead } = await this.fh.read(buf, 0, max, offset);
    if (bytesRead <= 0) return null;
    this.offset = offset + bytesRead;
    return { offset, bytes: buf.subarray(0, bytesRead) };
  }

  /** Up to `length` bytes at `position`, without moving the offset. */
  async readAt(position: number, length: number): Promise<Buffer> {
    if (!this.fh || length <= 0) return Buffer.alloc(0);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  }

  /** Jump forward (flood): keep the last `keepBytes` before `size`, from a line start. */
  async skipTo(size: number, keepBytes: number): Promise<number> {
    if (!this.fh) return 0;
    const target = Math.max(this.offset, await startOffset(this.fh, size, keepBytes));
    const skipped = target - this.offset;
    this.offset = target;
    return skipped;
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    this.id = null;
    await fh?.close().catch(() => {});
  }
}
