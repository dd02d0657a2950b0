// define keeps the document whole and adds a uuid; a redefine keeps the uuid; undefine refuses a
// running domain and, with --remove-all-storage, deletes the disk images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { requireGuest } from '../helpers/guest.js';
import { guestXml, kvmtui, removeHome, tempHome } from '../helpers/cli.js';

describe('define, dumpxml and undefine', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('keeps unknown elements, adds a uuid once, and removes storage on request', async () => {
    const g = requireGuest();
    const img = join(home, 'u1.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', img, '16M']);
    const xml = guestXml('u1', g.kernel, g.initrd, img, '52:54:00:00:03:01').replace(
      '</domain>',
      "  <metadata><my:note xmlns:my='http://example.org/ns'>keep me</my:note></metadata>\n</domain>",
    );
    const file = join(home, 'u1.xml');
    await writeFile(file, xml);
    expect((await kvmtui(home, ['define', file])).code).toBe(0);
    const dumped = (await kvmtui(home, ['dumpxml', 'u1'])).stdout;
    expect(dumped).toMatch(/<my:note xmlns:my=["']http:\/\/example.org\/ns["']>keep me<\/my:note>/);
    const uuid = /<uuid>([^<]+)<\/uuid>/.exec(dumped)?.[1];
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);

    // redefine without a uuid: the domain keeps its identity
    await writeFile(file, xml.replace('<vcpu>1</vcpu>', '<vcpu>2</vcpu>'));
    expect((await kvmtui(home, ['define', file])).code).toBe(0);
    const again = (await kvmtui(home, ['dumpxml', 'u1'])).stdout;
    expect(again).toContain(`<uuid>${uuid}</uuid>`);
    expect(again).toContain('<vcpu>2</vcpu>');
    expect((await readFile(join(home, 'domains', 'u1.xml'), 'utf8')).trimEnd()).toBe(again.trimEnd());

    expect((await kvmtui(home, ['start', 'u1'])).code).toBe(0);
    const busy = await kvmtui(home, ['undefine', 'u1']);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toMatch(/running/);
    expect((await kvmtui(home, ['destroy', 'u1'])).code).toBe(0);

    const snap = await kvmtui(home, ['snapshot-create-as', 'u1', 'before-undefine']);
    expect(snap.code, snap.stderr).toBe(0);
    expect(existsSync(join(home, 'snapshots', 'u1.json'))).toBe(true);

    const r = await kvmtui(home, ['undefine', 'u1', '--remove-all-storage']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(img)).toBe(false);
    expect(existsSync(join(home, 'domains', 'u1.xml'))).toBe(false);
    expect(existsSync(join(home, 'snapshots', 'u1.json'))).toBe(false);
    expect((await kvmtui(home, ['dumpxml', 'u1'])).code).not.toBe(0);
  }, 60_000);
});
