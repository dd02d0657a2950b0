// Logging a console to a file on the operator's request. The file is private (0600): consoles
// print passwords and keys. Text format (default) strips escape sequences so the file is safe to
// `cat`; raw keeps the guest's bytes exactly, like `script` or screen's log.
import { open, type FileHandle } from 'node:fs/promises';
import { KvmtuiError, errorMessage } from '../driver/errors.js';
import { ControlStripper } from './control-stripper.js';

export type ConsoleLogFormat = 'text' | 'raw';

export class ConsoleFileLog {
  readonly path: string;
  readonly format: ConsoleLogFormat;
  private fh: FileHandle;
  private stripper = new ControlStripper();
  private chain: Promise<void> = Promise.resolve();
  /** the first write error, reported once by close() and in the session status */
  error: string | null = null;

  private constructor(path: string, format: ConsoleLogFormat, fh: FileHandle) {
    this.path = path;
    this.format = format;
    this.fh = fh;
  }

  static async open(path: string, format: ConsoleLogFormat = 'text'): Promise<ConsoleFileLog> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'a', 0o600);
      // an existing file keeps its mode on open: tighten it
      await fh.chmod(0o600);
    } catch (e) {
      throw new KvmtuiError('IO_ERROR', `cannot log the console to ${path}: ${errorMessage(e)}`, { cause: e });
    }
    return new ConsoleFileLog(path, format, fh);
  }

  /** Queue guest output; writes happen in order, off the caller's path. */
  write(bytes: Uint8Array): void {
    const data = this.format === 'raw' ? Buffer.from(bytes) : Buffer.from(this.stripper.push(bytes), 'utf8');
    if (data.length === 0) return;
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try {
        await this.fh.write(data);
      } catch (e) {
        this.error = errorMessage(e);
      }
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh.close().catch(() => {});
  }
}
