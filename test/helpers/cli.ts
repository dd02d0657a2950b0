// Runs the built program as an operator would: `node dist/cli.js ARGS` with its own KVMTUI_HOME.
import { execa } from 'execa';
import { mkdtemp, rm, readdir, readFile, lstat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function kvmtui(home: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa('node', [CLI, ...args], {
    env: { KVMTUI_HOME: home, ...opts.env },
    reject: false,
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export async function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kvmtui-test-'));
}

/** XML for the tiny test guest (scripts/demo-domain.mjs, the same generator the demo uses). */
export function guestXml(name: string, kernel: string, initrd: string, disk?: string, mac?: string): string {
  const script = resolve(import.meta.dirname, '../../scripts/demo-domain.mjs');
  const args = [script, name, kernel, initrd];
  if (disk || mac) args.push(disk ?? '');
  if (mac) args.push(mac);
  return execFileSync('node', args, { encoding: 'utf8' });
}

/** Every file under dir with a hash of its content: to prove a failed command changed nothing. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      const st = await lstat(p);
      if (st.isDirectory()) await walk(p);
      else out[p.slice(dir.length)] = st.isFile() ? createHash('sha256').update(await readFile(p)).digest('hex') : 'special';
    }
  }
  await walk(dir);
  return out;
}

export async function removeHome(home: string): Promise<void> {
  await kvmtui(home, ['list', '--json']).then(async (r) => {
    if (r.code !== 0) return;
    for (const d of JSON.parse(r.stdout) as { name: string }[]) await kvmtui(home, ['destroy', d.name]);
  });
  await rm(home, { recursive: true, force: true });
}
