// The one place that starts processes: argument arrays only, never a shell string.
import { execa } from 'execa';
import { KvmtuiError } from './errors.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  timeoutMs?: number;
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** resolve instead of throwing on a non-zero exit */
  allowFailure?: boolean;
  /**
   * Run in a process group of its own and, on timeout, kill the whole group: for programs whose
   * children would outlive them (virsh's ssh to a host that does not answer).
   */
  killTree?: boolean;
}

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  try {
    const sub = execa(file, args, {
      timeout: opts.timeoutMs ?? 60_000,
      input: opts.input,
      env: opts.env,
      cwd: opts.cwd,
      reject: false,
      stripFinalNewline: true,
      shell: false,
      detached: !!opts.killTree,
    });
    const r = await sub;
    if (opts.killTree && r.timedOut && sub.pid) {
      try {
        process.kill(-sub.pid, 'SIGKILL');
      } catch {
        /* the group is already gone */
      }
    }
    if (r.failed && r.exitCode === undefined) {
      throw new KvmtuiError('EXEC_FAILED', `${file}: ${r.shortMessage ?? 'could not run'}`);
    }
    const result = { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
    if (result.exitCode !== 0 && !opts.allowFailure) {
      const last = result.stderr.trim().split('\n').slice(-3).join(' | ');
      throw new KvmtuiError('EXEC_FAILED', `${file} exited with ${result.exitCode}${last ? `: ${last}` : ''}`);
    }
    return result;
  } catch (e) {
    if (e instanceof KvmtuiError) throw e;
    throw new KvmtuiError('EXEC_FAILED', `${file}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

/** Run a program on this terminal (an editor): it inherits stdin, stdout and stderr; no timeout. */
export async function runOnTerminal(file: string, args: readonly string[]): Promise<number> {
  const r = await execa(file, args, { stdio: 'inherit', reject: false, shell: false });
  if (r.failed && r.exitCode === undefined) {
    throw new KvmtuiError('EXEC_FAILED', `${file}: ${r.shortMessage ?? 'could not run'}`);
  }
  return r.exitCode ?? -1;
}
