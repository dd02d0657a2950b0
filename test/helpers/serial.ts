// Talk to a guest's serial console the way an operator's terminal would: over the unix socket.
import { connect, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export async function waitForLog(path: string, text: string, timeoutMs = 90_000): Promise<string> {
  return waitFor(`"${text}" in ${path}`, async () => {
    const s = await readFile(path, 'utf8').catch(() => '');
    return s.includes(text) ? s : undefined;
  }, timeoutMs);
}

export class SerialClient {
  private buf = '';
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d) => {
      this.buf += d.toString('utf8');
      // answer the shell's cursor-position query as a terminal would
      if (this.buf.includes('\x1b[6n')) {
        this.buf = this.buf.replaceAll('\x1b[6n', '');
        sock.write('\x1b[1;1R');
      }
    });
  }

  static open(path: string): Promise<SerialClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path, () => resolve(new SerialClient(s)));
      s.once('error', reject);
    });
  }

  /** Type a command and wait until `expect` appears in the output after it. */
  async run(command: string, expect: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const start = this.buf.length;
    this.sock.write(command + '\n');
    return waitFor(`${expect} after '${command}'`, async () => {
      const out = this.buf.slice(start);
      return (typeof expect === 'string' ? out.includes(expect) : expect.test(out)) ? out : undefined;
    }, timeoutMs, 50);
  }

  close(): void {
    this.sock.destroy();
  }
}
