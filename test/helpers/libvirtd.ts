// A private libvirtd for end-to-end tests (scripts/libvirtd-test.sh): its own mount namespace,
// sockets, state and logs in a fresh short temp dir; stop() destroys its domains, stops the
// daemons, kills any QEMU they left and removes the dir.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/libvirtd-test.sh');
const run = promisify(execFile);

export interface PrivateLibvirtd {
  /** qemu:///system?socket=DIR/sock/libvirt-sock */
  uri: string;
  dir: string;
  /** its log, for failure messages */
  logPath: string;
  stop(): Promise<void>;
}

/** Why no private libvirtd can run here, or undefined when it can. */
export function libvirtdMissing(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the private libvirtd needs root';
  const need = ['/usr/sbin/libvirtd', '/usr/sbin/virtlogd', '/usr/bin/virsh'];
  const absent = need.filter((p) => !existsSync(p));
  if (absent.length) {
    return `${absent.join(', ')} missing: apt-get install -y --no-install-recommends libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients`;
  }
  return undefined;
}

const running = new Set<string>();

// a test run that dies before its afterAll must not leave daemons or QEMUs behind
process.once('exit', () => {
  for (const dir of running) {
    try {
      execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore', timeout: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

/** Starts one; fails with a clear message (never skips) when this machine cannot run it. */
export async function startPrivateLibvirtd(): Promise<PrivateLibvirtd> {
  const missing = libvirtdMissing();
  if (missing) throw new Error(`cannot start a private libvirtd: ${missing}`);
  // short: the sockets live in DIR/sock and unix socket paths must stay under 108 bytes
  const dir = mkdtempSync(join(tmpdir(), 'kt-'));
  running.add(dir);
  const stop = async () => {
    if (!running.has(dir)) return;
    try {
      await run('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 });
    } finally {
      running.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const { stdout } = await run('bash', [SCRIPT, 'start', dir], { timeout: 60_000 });
    return { uri: stdout.trim(), dir, logPath: join(dir, 'libvirtd.log'), stop };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    await stop().catch(() => {});
    throw new Error(`private libvirtd did not start: ${(err.stderr ?? err.message).trim()}`);
  }
}
