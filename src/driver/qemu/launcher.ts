// Starting a domain's QEMU: check what the XML points at, build the argv, run QEMU daemonized
// (stopped with -S so post-start settings land before the guest runs), record the pid.
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { KvmtuiError } from '../errors.js';
import type { DomainConfig } from '../../domain/model.js';
import { buildQemuArgv, type QemuCommandLine } from './command-line.js';
import { ensurePrivateDir } from './fs-safe.js';
import type { HomePaths, RunPaths } from './paths.js';
import { removeSockets } from './runtime.js';

export interface Launched {
  pid: number;
  postStart: QemuCommandLine['postStart'];
}

async function checkFile(what: string, path: string | undefined): Promise<void> {
  if (!path) return;
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new KvmtuiError('FILE_MISSING', `${what} ${path}: no such file`);
  }
  if (st.isDirectory()) throw new KvmtuiError('FILE_MISSING', `${what} ${path}: is a directory, not a file`);
}

/** Every file the domain needs must exist before QEMU runs: a clear message beats QEMU's. */
export async function checkDomainFiles(cfg: DomainConfig): Promise<void> {
  await checkFile('kernel', cfg.os.kernel);
  await checkFile('initrd', cfg.os.initrd);
  await checkFile('loader', cfg.os.loader?.path);
  await checkFile('nvram', cfg.os.nvram);
  for (const d of cfg.disks) {
    if (d.source && (d.type === 'file' || d.type === 'block')) await checkFile(`disk ${d.target}:`, d.source);
  }
}

/** QEMU's -daemonize sets umask 027; the run directory is 0700 already, make the files 0600 too. */
async function tightenModes(rp: RunPaths): Promise<void> {
  for (const f of await readdir(rp.dir).catch(() => [] as string[])) {
    await chmod(join(rp.dir, f), 0o600).catch(() => {});
  }
}

function lastLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}

export async function launchQemu(cfg: DomainConfig, hp: HomePaths, rp: RunPaths): Promise<Launched> {
  const built = buildQemuArgv(cfg, {
    qmpSockets: [rp.qmpSocket, ...rp.monitorSockets],
    serialSocket: rp.serialSocket,
    serialLog: rp.consoleLog,
    pidFile: rp.pidFile,
    runtimeDir: rp.dir,
    startPaused: true,
    emulatorExists: (path) => existsSync(path),
  });
  await checkDomainFiles(cfg);
  await ensurePrivateDir(hp.runtimeRoot);
  await ensurePrivateDir(rp.dir);
  await removeSockets(rp);
  // keep the previous run's console output one generation back; the new run starts a fresh log
  await rename(rp.consoleLog, rp.consoleLog + '.1').catch(() => {});

  const args = [...built.args];
  // sockets and files QEMU creates are private to the user
  const oldMask = process.umask(0o077);
  let r;
  try {
    r = await execa(built.file, args, { reject: false, timeout: 60_000, stdin: 'ignore', shell: false, env: built.env });
  } finally {
    process.umask(oldMask);
  }
  if ((r as { code?: string }).code === 'ENOENT') {
    throw new KvmtuiError('START_FAILED', `${built.file} not found: install qemu-system-x86 (apt-get install qemu-system-x86)`);
  }
  if (r.exitCode !== 0) {
    const why = lastLines(String(r.stderr ?? ''), 3) || r.shortMessage || `exit ${r.exitCode}`;
    throw new KvmtuiError('START_FAILED', `QEMU failed to start: ${why}`);
  }
  const pid = Number((await readFile(rp.pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new KvmtuiError('START_FAILED', `QEMU started but wrote no pid file at ${rp.pidFile}`);
  }
  await tightenModes(rp);
  return { pid, postStart: built.postStart ?? [] };
}
