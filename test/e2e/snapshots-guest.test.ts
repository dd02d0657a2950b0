// Internal snapshots end to end through the CLI (node dist/cli.js), with the real test guest:
// a shut-off domain's snapshots go through qemu-img on each disk (the image's bytes are checked
// with qemu-io); a running one's hold RAM too (savevm/loadvm), proven by a token the guest writes
// to its disk over the serial console, overwrites, and reads back after the revert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homePaths, runPaths } from '../../src/driver/qemu/paths.js';
import { GUEST_BANNER, requireGuest } from '../helpers/guest.js';
import { guestXml, kvmtui } from '../helpers/cli.js';
import { SerialClient, waitFor, waitForLog } from '../helpers/serial.js';

const NAME = 'snapguest';
let dir: string;
let home: string;
let image: string;
let serial: SerialClient | undefined;

async function ok(args: string[]): Promise<string> {
  const r = await kvmtui(home, args, { timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`kvmtui ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function fails(args: string[]): Promise<string> {
  const r = await kvmtui(home, args);
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  return r.stderr;
}

const names = async () => (JSON.parse(await ok(['snapshot-list', NAME, '--json'])) as { name: string; state: string; description?: string }[]);

/** qemu-io on the shut-off image: does sector 0 start with `pattern` bytes? */
function imageStartsWith(byte: number): boolean {
  // qemu-io exits non-zero when the pattern does not match
  const r = spawnSync('qemu-io', ['-f', 'qcow2', '-c', `read -P ${byte} 0 512`, image], { encoding: 'utf8' });
  if (r.error) throw r.error;
  const out = r.stdout + r.stderr;
  if (!/read 512\/512 bytes|Pattern verification failed/.test(out)) throw new Error(`qemu-io: ${out}`);
  return r.status === 0 && !/Pattern verification failed/.test(out);
}
const writePattern = (byte: number) => execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${byte} 0 512`, image]);

/** Runs a shell command in the guest, returns what it printed between the markers. */
async function guest(command: string, timeoutMs = 20_000): Promise<string> {
  const out = await serial!.run(`echo R''=[$( ${command} 2>&1)]=R`, /R=\[([^\]]*)\]=R/, timeoutMs);
  return /R=\[([^\]]*)\]=R/.exec(out)![1].trim();
}

async function killDomain(): Promise<void> {
  serial?.close();
  serial = undefined;
  await kvmtui(home, ['destroy', NAME]).catch(() => undefined);
  // belt and braces: whatever the pid file names must be gone
  const pidFile = runPaths(homePaths(home), NAME).pidFile;
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    /* not running */
  }
}

beforeAll(async () => {
  const g = requireGuest();
  dir = mkdtempSync(join(tmpdir(), 'kt-snap-'));
  home = join(dir, 'home');
  image = join(dir, 'vda.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M']);
  const xmlPath = join(dir, 'guest.xml');
  writeFileSync(xmlPath, guestXml(NAME, g.kernel, g.initrd, image));
  await ok(['define', xmlPath]);
}, 60_000);

afterAll(async () => {
  await killDomain();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('snapshots of a shut-off domain (qemu-img)', () => {
  it('creates, lists, reverts the disk and deletes', async () => {
    writePattern(0x41);
    expect(await ok(['snapshot-create-as', NAME, 'off1', '--description', 'clean disk'])).toContain('Domain snapshot off1 created');
    const listed = await names();
    expect(listed).toEqual([expect.objectContaining({ name: 'off1', state: 'shutoff', description: 'clean disk' })]);
    expect(await ok(['snapshot-list', NAME])).toMatch(/off1 .* shutoff .*clean disk/);
    const meta = join(home, 'snapshots', `${NAME}.json`);
    expect(statSync(meta).mode & 0o777).toBe(0o600);

    expect(await fails(['snapshot-create-as', NAME, 'off1'])).toMatch(/already has a snapshot 'off1'/);
    expect(await fails(['snapshot-create-as', NAME, 'a/b'])).toMatch(/'\/'/);
    expect(await fails(['snapshot-revert', NAME, 'nosuch'])).toMatch(/no snapshot 'nosuch'/);

    writePattern(0x42);
    expect(imageStartsWith(0x41)).toBe(false);
    await ok(['snapshot-revert', NAME, 'off1']);
    expect(imageStartsWith(0x41)).toBe(true);

    expect(await ok(['snapshot-delete', NAME, 'off1'])).toContain('Domain snapshot off1 deleted');
    expect(await names()).toEqual([]);
    expect(await fails(['snapshot-delete', NAME, 'off1'])).toMatch(/no snapshot 'off1'/);
  }, 60_000);

  it('refuses a domain with a writable raw disk, naming it', async () => {
    const g = requireGuest();
    const raw = join(dir, 'raw.img');
    writeFileSync(raw, Buffer.alloc(1024 * 1024));
    const xml = guestXml('rawguest', g.kernel, g.initrd, raw).replace("type='qcow2'", "type='raw'");
    const xmlPath = join(dir, 'raw.xml');
    writeFileSync(xmlPath, xml);
    await ok(['define', xmlPath]);
    expect(await fails(['snapshot-create-as', 'rawguest', 's1'])).toMatch(/disk vda .*raw, not qcow2/);
  }, 30_000);
});

describe('snapshots of the running guest (savevm/loadvm)', () => {
  it('reverts RAM and disk to the token written before the snapshot', async () => {
    await ok(['snapshot-create-as', NAME, 'diskonly']);
    try {
      await runningGuestRevert();
    } finally {
      await killDomain();
    }
    // a RAM snapshot needs the domain running to revert; deleting works either way
    expect(await fails(['snapshot-revert', NAME, 'live'])).toMatch(/holds the running state .*start the domain/);
    await ok(['snapshot-delete', NAME, 'live']);
    await ok(['snapshot-delete', NAME, 'diskonly']);
    expect(await names()).toEqual([]);
  }, 240_000);

  async function runningGuestRevert(): Promise<void> {
    await ok(['start', NAME]);
    const rp = runPaths(homePaths(home), NAME);
    await waitForLog(rp.consoleLog, GUEST_BANNER, 90_000);
    serial = await SerialClient.open(rp.serialSocket);
    await waitFor('guest shell', async () => (await guest('echo up')) === 'up', 30_000, 500);

    await guest('echo TOKEN-BEFORE | dd of=/dev/vda bs=512 count=1 conv=fsync; sync');
    expect(await guest('head -c 12 /dev/vda')).toBe('TOKEN-BEFORE');
    await ok(['snapshot-create-as', NAME, 'live', '--description', 'with RAM']);
    expect(await names()).toEqual([
      expect.objectContaining({ name: 'diskonly', state: 'shutoff' }),
      expect.objectContaining({ name: 'live', state: 'running', description: 'with RAM' }),
    ]);
    expect(await fails(['snapshot-create-as', NAME, 'live'])).toMatch(/already has a snapshot 'live'/);

    await guest('echo TOKEN-AFTER! | dd of=/dev/vda bs=512 count=1 conv=fsync; sync');
    expect(await guest('head -c 12 /dev/vda')).toBe('TOKEN-AFTER!');
    // a disk-only snapshot cannot be loaded into a running guest
    expect(await fails(['snapshot-revert', NAME, 'diskonly'])).toMatch(/shut off .*shut the domain down/);

    await ok(['snapshot-revert', NAME, 'live']);
    // the page cache came back with RAM; drop it so the bytes are read from the disk itself
    await waitFor('guest shell after loadvm', async () => (await guest('echo back')) === 'back', 30_000, 500);
    await guest('sync; echo 3 > /proc/sys/vm/drop_caches');
    expect(await guest('head -c 12 /dev/vda')).toBe('TOKEN-BEFORE');
  }

  it('deletes a snapshot of the running domain with delvm', async () => {
    try {
      await ok(['start', NAME]);
      await ok(['snapshot-create-as', NAME, 'tmp']);
      expect((await names()).map((s) => s.name)).toEqual(['tmp']);
      await ok(['snapshot-delete', NAME, 'tmp']);
      expect(await names()).toEqual([]);
    } finally {
      await killDomain();
    }
  }, 120_000);
});
