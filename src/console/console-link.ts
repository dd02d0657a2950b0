// The live connection of a console session: the serial chardev's unix socket (local driver), or a
// program that attaches to the console (`virsh console` for the libvirt driver) run on a
// pseudo-terminal, since virsh refuses to run a console without a controlling TTY.
import { createConnection, type Socket } from 'node:net';
import { KvmtuiError, errorMessage } from '../driver/errors.js';

export interface ConsoleLink {
  readonly kind: 'unix' | 'command';
  write(bytes: Buffer): void;
  /** stop reading (back-pressure: the guest waits) and start again */
  pause(): void;
  resume(): void;
  resize(cols: number, rows: number): void;
  /** close from our side; onClose is not called */
  close(): void;
}

export interface LinkHandlers {
  onData(chunk: Buffer): void;
  /** the other side went away (QEMU exited, the program ended); `why` for the notice */
  onClose(why?: string): void;
}

export function connectUnixLink(path: string, h: LinkHandlers): Promise<ConsoleLink> {
  return new Promise((resolve, reject) => {
    const sock: Socket = createConnection({ path });
    let closedByUs = false;
    const fail = (e: Error) => {
      sock.destroy();
      reject(e);
    };
    sock.once('error', fail);
    sock.once('connect', () => {
      sock.off('error', fail);
      sock.on('error', () => {});
      sock.on('data', (d: Buffer) => h.onData(d));
      sock.on('close', () => {
        if (!closedByUs) h.onClose();
      });
      resolve({
        kind: 'unix',
        write: (b) => void sock.write(b),
        pause: () => void sock.pause(),
        resume: () => void sock.resume(),
        resize: () => {},
        close: () => {
          closedByUs = true;
          sock.destroy();
        },
      });
    });
  });
}

interface PtyLike {
  onData(cb: (d: string) => void): unknown;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): unknown;
  write(d: string | Buffer): void;
  pause(): void;
  resume(): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

type PtySpawn = (file: string, args: string[], opts: Record<string, unknown>) => PtyLike;

let ptySpawn: Promise<PtySpawn> | null = null;

/** node-pty, loaded on first use (only command consoles need it). */
function loadPty(): Promise<PtySpawn> {
  ptySpawn ??= import('node-pty').then(
    (m) => ((m as unknown as { spawn?: PtySpawn; default?: { spawn: PtySpawn } }).spawn ?? (m as unknown as { default: { spawn: PtySpawn } }).default.spawn),
    (e) => {
      ptySpawn = null;
      throw new KvmtuiError('NOT_SUPPORTED_BY_DRIVER', `this console needs a pseudo-terminal, and node-pty is not available: ${errorMessage(e)}`);
    },
  );
  return ptySpawn;
}

export async function spawnCommandLink(file: string, args: string[], size: { cols: number; rows: number }, h: LinkHandlers): Promise<ConsoleLink> {
  const spawn = await loadPty();
  let pty: PtyLike;
  try {
    pty = spawn(file, args, { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd: process.cwd(), env: process.env, encoding: null });
  } catch (e) {
    throw new KvmtuiError('EXEC_FAILED', `${file}: ${errorMessage(e)}`);
  }
  let closedByUs = false;
  let exited = false;
  pty.onData((d: string | Buffer) => h.onData(typeof d === 'string' ? Buffer.from(d, 'utf8') : d));
  pty.onExit(({ exitCode, signal }) => {
    exited = true;
    if (closedByUs) return;
    h.onClose(signal ? `${file} ended by signal ${signal}` : `${file} exited with code ${exitCode}`);
  });
  return {
    kind: 'command',
    write: (b) => pty.write(b),
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    resize: (cols, rows) => {
      if (!exited) pty.resize(cols, rows);
    },
    close: () => {
      closedByUs = true;
      if (!exited) pty.kill();
    },
  };
}
