// Running virsh against one connection: argument arrays through src/driver/exec.ts, a timeout on
// every call (a hung host never hangs the caller), a cap on calls in flight, C locale output, and
// virsh's error lines turned into KvmtuiErrors.
import { randomBytes } from 'node:crypto';
import { KvmtuiError, type ErrorCode } from '../errors.js';
import { run, type RunOptions, type RunResult } from '../exec.js';
import { unattendedUri } from './uri.js';
import { virshError } from './virsh-errors.js';

export type Runner = (file: string, args: readonly string[], opts: RunOptions) => Promise<RunResult>;

export interface VirshOptions {
  uri: string;
  /** reads (list, domstats, dumpxml): default 15 s */
  queryTimeoutMs?: number;
  /** actions (start, destroy, attach...): default 60 s */
  actionTimeoutMs?: number;
  /** virsh processes in flight at once; default 4 */
  maxInFlight?: number;
  /** the program, default 'virsh' */
  file?: string;
  /** replaces exec.run, for tests */
  runner?: Runner;
}

export interface CallOptions {
  /** 'query' (default) or 'action' picks the timeout; a number sets it */
  timeout?: 'query' | 'action' | number;
  /** the code for a failure whose text says nothing more specific */
  fallbackCode?: ErrorCode;
}

export class Virsh {
  readonly uri: string;
  /** what virsh gets with -c (ssh URIs with no_tty=1) */
  readonly connectUri: string;
  private readonly file: string;
  private readonly runner: Runner;
  private readonly queryTimeoutMs: number;
  private readonly actionTimeoutMs: number;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(opts: VirshOptions) {
    this.uri = opts.uri;
    this.connectUri = unattendedUri(opts.uri);
    this.file = opts.file ?? 'virsh';
    this.runner = opts.runner ?? run;
    this.queryTimeoutMs = opts.queryTimeoutMs ?? 15_000;
    this.actionTimeoutMs = opts.actionTimeoutMs ?? 60_000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
  }

  /** The argument array for `virsh -c URI ...args` (also used for the console command). */
  argv(args: readonly string[], uri = this.connectUri): string[] {
    return ['-c', uri, ...args];
  }

  private async slot(): Promise<() => void> {
    if (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.waiting.shift()?.();
    };
  }

  private timeoutOf(t: CallOptions['timeout']): number {
    if (typeof t === 'number') return t;
    return t === 'action' ? this.actionTimeoutMs : this.queryTimeoutMs;
  }

  /** Runs virsh and hands back stdout, exit code and stderr without judging them. */
  async raw(args: readonly string[], opts: CallOptions = {}): Promise<RunResult> {
    const timeoutMs = this.timeoutOf(opts.timeout);
    const release = await this.slot();
    try {
      return await this.runner(this.file, this.argv(args), {
        timeoutMs,
        allowFailure: true,
        env: { LC_ALL: 'C', LANG: 'C' },
        // a timed-out virsh must not leave its ssh child behind, once per poll
        killTree: true,
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/timed out/i.test(msg)) {
        const verb = (args[0] ?? '').split(' ')[0];
        const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
        throw new KvmtuiError('TIMEOUT', `virsh ${verb}: no answer from ${this.uri} within ${limit}`, { cause: e });
      }
      if (/ENOENT/.test(msg)) {
        throw new KvmtuiError('EXEC_FAILED', `${this.file} not found: libvirt connections need virsh (Debian: apt-get install libvirt-clients)`, { cause: e });
      }
      throw new KvmtuiError('EXEC_FAILED', `virsh: ${msg.split('\n')[0]}`, { cause: e });
    } finally {
      release();
    }
  }

  /** Runs virsh; stdout on success, a KvmtuiError from its error lines otherwise. */
  async call(args: readonly string[], opts: CallOptions = {}): Promise<string> {
    const r = await this.raw(args, opts);
    if (r.exitCode !== 0) {
      throw virshError({ stderr: r.stderr, exitCode: r.exitCode, what: `virsh ${args[0] ?? ''}`, fallbackCode: opts.fallbackCode, uri: this.uri });
    }
    return r.stdout;
  }

  /**
   * Several virsh commands in one process (one connection; over ssh, one login). virsh parses the
   * joined string itself, so commands must be made of fixed words and safe tokens only (options,
   * UUIDs): never a domain name or a path. Resolves with each command's stdout; a command that
   * failed gives '' (and its error line stays in stderr, returned too).
   */
  async batch(commands: readonly string[], opts: CallOptions = {}): Promise<{ parts: string[]; stderr: string }> {
    for (const c of commands) {
      if (!/^[A-Za-z0-9 ._=:-]+$/.test(c)) throw new KvmtuiError('EXEC_FAILED', `internal: unsafe virsh batch command '${c}'`);
    }
    const sep = `@@kvmtui-${randomBytes(6).toString('hex')}@@`;
    const script = commands.join(` ; echo ${sep} ; `);
    const r = await this.raw([script], opts);
    const parts = splitBatch(r.stdout, sep);
    if (parts.length !== commands.length) {
      // virsh could not run the script at all (connection failure, unknown command)
      throw virshError({ stderr: r.stderr, exitCode: r.exitCode || 1, what: `virsh ${commands[0]?.split(' ')[0] ?? ''}`, uri: this.uri });
    }
    return { parts, stderr: r.stderr };
  }
}

/** Splits batch output at separator lines. */
export function splitBatch(stdout: string, sep: string): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === sep) {
      parts.push(cur.join('\n'));
      cur = [];
    } else {
      cur.push(line);
    }
  }
  parts.push(cur.join('\n'));
  return parts;
}
