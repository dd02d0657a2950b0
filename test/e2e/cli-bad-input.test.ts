// Issue 2, "Bad input": one clear line on stderr, a non-zero exit, and nothing changed on disk.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireGuest } from '../helpers/guest.js';
import { guestXml, kvmtui, removeHome, snapshotTree, tempHome } from '../helpers/cli.js';
import { createLocalDriver } from '../../src/driver/qemu/local-driver.js';
import { KvmtuiError } from '../../src/driver/errors.js';

describe('the CLI refuses bad input cleanly', () => {
  let home: string;
  let files: string;
  let before: Record<string, string>;

  function expectOneLineError(r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }

  beforeAll(async () => {
    home = await tempHome();
    files = await tempHome();
    const g = requireGuest();
    await writeFile(join(files, 'ok.xml'), guestXml('ok', g.kernel, g.initrd, undefined, '52:54:00:00:01:01'));
    expect((await kvmtui(home, ['define', join(files, 'ok.xml')])).code).toBe(0);
  });
  afterAll(async () => {
    await removeHome(home);
    await removeHome(files);
  });
  beforeEach(async () => {
    before = await snapshotTree(home);
  });
  async function unchanged(): Promise<void> {
    expect(await snapshotTree(home)).toEqual(before);
  }

  it('not well-formed XML', async () => {
    await writeFile(join(files, 'bad.xml'), "<domain type='qemu'><name>x</name><memory>1</memory>");
    expectOneLineError(await kvmtui(home, ['define', join(files, 'bad.xml')]), /XML/i);
    await unchanged();
  });

  it('an entity expansion bomb', async () => {
    const bomb = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']>',
      "<domain type='qemu'><name>&lol9;</name><memory>65536</memory><vcpu>1</vcpu></domain>",
    ].join('\n');
    await writeFile(join(files, 'bomb.xml'), bomb);
    expectOneLineError(await kvmtui(home, ['define', join(files, 'bomb.xml')]), /entit|DOCTYPE|DTD/i);
    await unchanged();
  });

  it('a 50 MB document', async () => {
    const big = `<domain type='qemu'><name>big</name><description>${'x'.repeat(50 * 1024 * 1024)}</description></domain>`;
    await writeFile(join(files, 'big.xml'), big);
    expectOneLineError(await kvmtui(home, ['define', join(files, 'big.xml')]), /too large|size|limit/i);
    await unchanged();
  });

  it('an unknown domain', async () => {
    for (const verb of ['start', 'dumpxml', 'destroy', 'undefine', 'domstats']) {
      expectOneLineError(await kvmtui(home, [verb, 'nosuch']), /nosuch.*not defined|not defined.*nosuch/);
    }
    await unchanged();
  });

  it("a name with '../' or control characters", async () => {
    expectOneLineError(await kvmtui(home, ['start', '../ok']), /name/i);
    expectOneLineError(await kvmtui(home, ['undefine', '../../etc/passwd']), /name/i);
    expectOneLineError(await kvmtui(home, ['start', 'a\x01b']), /name/i);
    // argv cannot carry a NUL: the driver API refuses it the same way
    const d = createLocalDriver({ home });
    await expect(d.start('a\0b')).rejects.toSatisfy((e: unknown) => e instanceof KvmtuiError && e.code === 'INVALID_NAME');
    await unchanged();
  });

  it('a missing kernel or disk file', async () => {
    const g = requireGuest();
    await writeFile(join(files, 'nokernel.xml'), guestXml('nokernel', '/nonexistent/vmlinuz', g.initrd, undefined, '52:54:00:00:01:02'));
    expect((await kvmtui(home, ['define', join(files, 'nokernel.xml')])).code).toBe(0);
    before = await snapshotTree(home);
    expectOneLineError(await kvmtui(home, ['start', 'nokernel']), /kernel \/nonexistent\/vmlinuz: no such file/);
    await unchanged();

    await writeFile(join(files, 'nodisk.xml'), guestXml('nodisk', g.kernel, g.initrd, '/nonexistent/disk.qcow2', '52:54:00:00:01:03'));
    expect((await kvmtui(home, ['define', join(files, 'nodisk.xml')])).code).toBe(0);
    before = await snapshotTree(home);
    expectOneLineError(await kvmtui(home, ['start', 'nodisk']), /disk vda: \/nonexistent\/disk.qcow2: no such file/);
    await unchanged();
  });

  it('a second start of a running domain', async () => {
    expect((await kvmtui(home, ['start', 'ok'])).code).toBe(0);
    before = await snapshotTree(home);
    expectOneLineError(await kvmtui(home, ['start', 'ok']), /already running/);
    await unchanged();
    expect((await kvmtui(home, ['destroy', 'ok'])).code).toBe(0);
  }, 60_000);

  it("a QEMU that fails to start shows the last lines of its stderr", async () => {
    const g = requireGuest();
    const xml = guestXml('badmachine', g.kernel, g.initrd, undefined, '52:54:00:00:01:04').replace("machine='pc'", "machine='pc-i440fx-99.9'");
    await writeFile(join(files, 'badmachine.xml'), xml);
    expect((await kvmtui(home, ['define', join(files, 'badmachine.xml')])).code).toBe(0);
    before = await snapshotTree(home);
    const r = await kvmtui(home, ['start', 'badmachine']);
    expectOneLineError(r, /QEMU failed to start: .*machine/i);
    await unchanged();
    const list = JSON.parse((await kvmtui(home, ['list', '--all', '--json'])).stdout) as { name: string; state: string }[];
    expect(list.find((d) => d.name === 'badmachine')?.state).toBe('shutoff');
  });

  it('an unknown verb or option', async () => {
    expectOneLineError(await kvmtui(home, ['frobnicate']), /unknown verb 'frobnicate'/);
    expectOneLineError(await kvmtui(home, ['list', '--bogus']), /unknown option --bogus/);
    await unchanged();
  });
});
