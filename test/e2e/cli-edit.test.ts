// `kvmtui edit NAME` (virsh edit) with $EDITOR standing in for the operator's editor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireGuest } from '../helpers/guest.js';
import { guestXml, kvmtui, removeHome, snapshotTree, tempHome } from '../helpers/cli.js';

describe('kvmtui edit', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempHome();
    const g = requireGuest();
    await writeFile(join(home, 'e1.xml'), guestXml('e1', g.kernel, g.initrd, undefined, '52:54:00:00:04:01'));
    expect((await kvmtui(home, ['define', join(home, 'e1.xml')])).code).toBe(0);
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('defines what the editor saved', async () => {
    const r = await kvmtui(home, ['edit', 'e1'], { env: { EDITOR: 'sed -i s|<vcpu>1</vcpu>|<vcpu>2</vcpu>|' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Domain 'e1' XML configuration edited.");
    expect((await kvmtui(home, ['dumpxml', 'e1'])).stdout).toContain('<vcpu>2</vcpu>');
  });

  it('changes nothing when the file is saved unchanged', async () => {
    const before = await snapshotTree(home);
    const r = await kvmtui(home, ['edit', 'e1'], { env: { EDITOR: 'true' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not changed');
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('refuses broken XML, a rename and a failed editor, leaving the domain as it was', async () => {
    const before = await snapshotTree(home);
    const broken = await kvmtui(home, ['edit', 'e1'], { env: { EDITOR: 'sed -i s|</domain>||' } });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/XML/);
    const renamed = await kvmtui(home, ['edit', 'e1'], { env: { VISUAL: 'sed -i s|<name>e1</name>|<name>e2</name>|' } });
    expect(renamed.code).not.toBe(0);
    expect(renamed.stderr).toMatch(/cannot rename/);
    const failed = await kvmtui(home, ['edit', 'e1'], { env: { EDITOR: 'false' } });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/exited with 1/);
    expect(await snapshotTree(home)).toEqual(before);
  });
});
