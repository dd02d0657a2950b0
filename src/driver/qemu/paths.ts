// Where the local driver keeps things: persistent XML under KVMTUI_HOME, sockets under a short
// private runtime root (unix socket paths must stay under 108 bytes, so not under KVMTUI_HOME).
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KVMTUI_HOME) return resolve(env.KVMTUI_HOME);
  if (env.XDG_DATA_HOME) return join(resolve(env.XDG_DATA_HOME), 'kvmtui');
  return join(homedir(), '.local', 'share', 'kvmtui');
}

function shortHash(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

export interface HomePaths {
  home: string;
  domainsDir: string;
  imagesDir: string;
  /** per-home runtime root, e.g. /run/user/1000/kvmtui/3f2a9c1b7d0e */
  runtimeRoot: string;
}

export function homePaths(home: string, env: NodeJS.ProcessEnv = process.env): HomePaths {
  const base = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR.length < 40 ? env.XDG_RUNTIME_DIR : tmpdir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return {
    home,
    domainsDir: join(home, 'domains'),
    imagesDir: join(home, 'images'),
    // hashing the home keeps several KVMTUI_HOMEs side by side apart
    runtimeRoot: join(base, `kvmtui-${uid}`, shortHash(home, 12)),
  };
}

export interface RunPaths {
  dir: string;
  /** shared monitor for short-lived clients (CLI calls, fallback) */
  qmpSocket: string;
  /** monitors a long-lived client (a TUI) may hold; QEMU serves one client per socket */
  monitorSockets: string[];
  serialSocket: string;
  consoleLog: string;
  pidFile: string;
  stateFile: string;
}

export const MONITOR_SOCKETS = 3;

export function runPaths(hp: HomePaths, name: string): RunPaths {
  const dir = join(hp.runtimeRoot, shortHash(name, 16));
  return {
    dir,
    qmpSocket: join(dir, 'qmp.sock'),
    monitorSockets: Array.from({ length: MONITOR_SOCKETS }, (_, i) => join(dir, `mon${i + 1}.sock`)),
    serialSocket: join(dir, 'serial.sock'),
    consoleLog: join(dir, 'console.log'),
    pidFile: join(dir, 'qemu.pid'),
    stateFile: join(dir, 'state.json'),
  };
}

export function domainXmlPath(hp: HomePaths, name: string): string {
  return join(hp.domainsDir, `${name}.xml`);
}
