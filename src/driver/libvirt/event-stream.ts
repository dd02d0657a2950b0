// A long-running child whose stdout is read line by line (virsh event --loop), restarted with a
// growing delay when it ends, until stop(). exec.ts only runs processes to completion; this is the
// one other way the libvirt driver starts a process: execa, argument array, no shell.
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';

export interface LineStreamOptions {
  file: string;
  args: readonly string[];
  env?: Record<string, string>;
  onLine(line: string): void;
  /** the child is up (spawned); `restarted` is true after the first time */
  onStart?(info: { restarted: boolean }): void;
  /** the child ended; stderr is its last lines */
  onExit?(info: { exitCode?: number; signal?: string; stderr: string; restartInMs?: number }): void;
  /** first restart delay, doubled each time up to maxDelayMs; default 1 s and 30 s */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A child that lived this long was healthy: the next restart starts from the first delay again. */
const HEALTHY_MS = 10_000;

export class LineStream {
  private child: ResultPromise | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private started = 0;
  private delay: number;

  constructor(private readonly opts: LineStreamOptions) {
    this.delay = opts.initialDelayMs ?? 1000;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.spawn(false);
  }

  private spawn(restarted: boolean): void {
    if (this.stopped) return;
    const startedAt = Date.now();
    this.started++;
    let child: ResultPromise;
    try {
      child = execa(this.opts.file, this.opts.args, {
        buffer: { stdout: false, stderr: true },
        stdin: 'ignore',
        reject: false,
        env: this.opts.env,
        cleanup: true,
        forceKillAfterDelay: 2000,
        shell: false,
      });
    } catch (e) {
      this.ended(startedAt, { stderr: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        this.opts.onLine(line);
      } catch {
        /* a consumer's bug must not end the stream */
      }
    });
    child.once('spawn', () => this.opts.onStart?.({ restarted }));
    void child.then((r) => {
      lines.close();
      if (this.child === child) this.child = undefined;
      const stderr = String(r.stderr ?? '').trim().split('\n').slice(-3).join('\n');
      this.ended(startedAt, { exitCode: r.exitCode, signal: r.signal ?? undefined, stderr });
    });
  }

  private ended(startedAt: number, info: { exitCode?: number; signal?: string; stderr: string }): void {
    if (this.stopped) {
      this.opts.onExit?.(info);
      return;
    }
    if (Date.now() - startedAt >= HEALTHY_MS) this.delay = this.opts.initialDelayMs ?? 1000;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 30_000);
    this.opts.onExit?.({ ...info, restartInMs: wait });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.spawn(true);
    }, wait);
    this.timer.unref?.();
  }

  /** Ends the child (if any) and any pending restart; resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.kill('SIGTERM');
    await child.catch(() => undefined);
  }

  /** how many times a child was started (tests) */
  get starts(): number {
    return this.started;
  }
}
