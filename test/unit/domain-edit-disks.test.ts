import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalXml } from '../../src/domain/canonical.js';
import { ensureUuid, parseDomainXml, type DomainDocument } from '../../src/domain/document.js';
import { addDisk, removeDisk, setCdromSource, type DiskSpec } from '../../src/domain/edit-disks.js';
import { KvmtuiError } from '../../src/driver/errors.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/domains');
const load = (name: string) => parseDomainXml(readFileSync(join(FIXTURES, name), 'utf8'));

/** Runs an edit that must fail: returns its error and checks the document did not change. */
function refused(doc: DomainDocument, edit: (d: DomainDocument) => unknown): KvmtuiError {
  const before = doc.toXml();
  try {
    edit(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    expect((e as KvmtuiError).code).toBe('INVALID_CONFIG');
    expect(doc.toXml()).toBe(before);
    return e as KvmtuiError;
  }
  throw new Error('expected the edit to be refused');
}

describe('addDisk', () => {
  it('adds a virtio disk after the last disk, indented like its neighbours, and nothing else', () => {
    const doc = load('tiny.xml');
    const out = addDisk(doc, { source: '/images/new.qcow2' });
    const block = [
      '',
      '    <disk type="file" device="disk">',
      '      <driver name="qemu" type="qcow2"/>',
      '      <source file="/images/new.qcow2"/>',
      '      <target dev="vdb" bus="virtio"/>',
      '    </disk>',
    ].join('\n');
    expect(out.toXml()).toContain(`</disk>${block}\n    <interface`);
    expect(out.toXml().replace(block, '')).toBe(doc.toXml());
    expect(out.config.disks.map((d) => [d.target, d.bus, d.format, d.source])).toEqual([
      ['vda', 'virtio', 'qcow2', '/var/lib/kvmtui/images/tiny.qcow2'],
      ['vdb', 'virtio', 'qcow2', '/images/new.qcow2'],
    ]);
  });

  it('keeps foreign metadata, cpu, comments and PIs, and remove gives back the same bytes', () => {
    const xml = readFileSync(join(FIXTURES, 'foreign.xml'), 'utf8');
    const doc = parseDomainXml(xml);
    const added = addDisk(doc, { source: '/images/data.raw', bus: 'scsi', readonly: true });
    const out = added.toXml();
    for (const kept of [
      '<app:owner team="ops">Jane &lt;ops@example.com&gt;</app:owner>',
      '<![CDATA[if (a < b && c > d) { run(); }]]>',
      '<cpu mode="custom" match="exact" check="partial">',
      '<?kvmtui-note keep this processing instruction?>',
      '<!-- a comment inside a disk -->',
      '<qemu:arg value="-no-user-config"/>',
    ]) {
      expect(out).toContain(kept);
    }
    expect(added.config.disks[2]).toMatchObject({ target: 'sdc', bus: 'scsi', format: 'raw', readonly: true });
    expect(removeDisk(added, 'sdc').toXml()).toBe(xml);
  });

  it('adds an empty CD-ROM (sata on q35, ide on pc), always read-only', () => {
    const q35 = addDisk(load('foreign.xml'), { device: 'cdrom' });
    expect(q35.config.disks[2]).toMatchObject({ device: 'cdrom', target: 'sdc', bus: 'sata', source: undefined, readonly: true });
    const pc = addDisk(load('tiny.xml'), { device: 'cdrom', source: '/isos/boot.iso' });
    expect(pc.config.disks[1]).toMatchObject({ device: 'cdrom', target: 'hda', bus: 'ide', source: '/isos/boot.iso', format: 'raw', readonly: true });
  });

  it('takes the bus from the target and accepts block devices', () => {
    const out = addDisk(load('tiny.xml'), { source: '/dev/vg0/data', sourceType: 'block', target: 'sdc' });
    expect(out.config.disks[1]).toMatchObject({ type: 'block', source: '/dev/vg0/data', target: 'sdc', bus: 'sata' });
    expect(out.toXml()).toContain('<source dev="/dev/vg0/data"/>');
  });

  it('creates <devices> when the domain has none', () => {
    const doc = parseDomainXml('<domain type="qemu">\n  <name>bare</name>\n  <memory>1024</memory>\n</domain>\n');
    const out = addDisk(doc, { source: '/a.img' });
    expect(out.toXml()).toBe(
      [
        '<domain type="qemu">',
        '  <name>bare</name>',
        '  <memory>1024</memory>',
        '  <devices>',
        '    <disk type="file" device="disk">',
        '      <driver name="qemu" type="raw"/>',
        '      <source file="/a.img"/>',
        '      <target dev="vda" bus="virtio"/>',
        '    </disk>',
        '  </devices>',
        '</domain>',
        '',
      ].join('\n'),
    );
  });

  it('fills an empty <devices/> with the right indentation', () => {
    const doc = parseDomainXml('<domain type="qemu">\n  <name>e</name>\n  <devices/>\n</domain>\n');
    expect(addDisk(doc, { source: '/a.img' }).toXml()).toContain('  <devices>\n    <disk type="file" device="disk">\n      <driver');
  });

  it.each<[string, DiskSpec, string]>([
    ['a duplicate target', { source: '/b.img', target: 'vda' }, "disk target 'vda' is already used by /var/lib/kvmtui/images/tiny.qcow2"],
    ['a relative path', { source: 'images/b.img' }, "the disk path 'images/b.img' is not absolute"],
    ['an empty path', { source: '' }, 'the disk path is empty'],
    ['a NUL in the path', { source: '/a\u0000b' }, 'the disk path contains a control character'],
    ['a disk without a source', {}, 'a disk needs a source path (only a CD-ROM may be empty)'],
    ['an unknown bus', { source: '/b.img', bus: 'pci' }, "unknown disk bus 'pci' (use virtio, sata, scsi, usb, ide, xen, fdc)"],
    ['a target that does not fit the bus', { source: '/b.img', target: 'sdb', bus: 'virtio' }, "disk target 'sdb' does not fit bus virtio (its targets are vda, vdb...)"],
    ['a malformed target', { source: '/b.img', target: 'vd-b', bus: 'virtio' }, "invalid disk target 'vd-b' (e.g. vdb, sda, hdc)"],
    ['a bad format', { source: '/b.img', format: 'QCOW 2' }, "invalid disk format 'QCOW 2' (e.g. qcow2 or raw)"],
    ['a virtio CD-ROM', { device: 'cdrom', bus: 'virtio' }, 'a CD-ROM cannot be on the virtio bus (use sata, scsi or ide)'],
  ])('refuses %s with a specific message and no change', (_what, spec, message) => {
    expect(refused(load('tiny.xml'), (d) => addDisk(d, spec)).message).toBe(message);
  });
});

describe('removeDisk', () => {
  it('removes the disk and its leading whitespace only', () => {
    const doc = load('foreign.xml');
    const out = removeDisk(doc, 'sda').toXml();
    expect(out).not.toContain('foreign.img');
    expect(out).toContain('<!-- kept: a comment before the root -->');
    expect(out).toMatch(/<emulator>\/usr\/bin\/qemu-system-x86_64<\/emulator>\n {4}<disk type="file" device="cdrom">/);
  });

  it('refuses an unknown target and names the existing ones', () => {
    expect(refused(load('tiny.xml'), (d) => removeDisk(d, 'vdz')).message).toBe("no disk with target 'vdz' (disks: vda)");
  });
});

describe('setCdromSource', () => {
  it('inserts media into an empty CD-ROM after its <driver>, and ejecting restores the bytes', () => {
    const xml = readFileSync(join(FIXTURES, 'foreign.xml'), 'utf8');
    const doc = parseDomainXml(xml);
    const inserted = setCdromSource(doc, 'sdb', '/isos/install.iso');
    expect(inserted.config.disks[1]).toMatchObject({ target: 'sdb', source: '/isos/install.iso' });
    expect(inserted.toXml()).toContain('<driver name="qemu" type="raw"/>\n      <source file="/isos/install.iso"/>\n      <target dev="sdb" bus="sata"/>');
    const changed = setCdromSource(inserted, 'sdb', '/isos/other.iso');
    expect(changed.config.disks[1]!.source).toBe('/isos/other.iso');
    expect(setCdromSource(changed, 'sdb', undefined).toXml()).toBe(xml);
  });

  it('escapes special characters in paths', () => {
    const out = setCdromSource(load('foreign.xml'), 'sdb', '/isos/a&b "x".iso');
    expect(out.toXml()).toContain('<source file="/isos/a&amp;b &quot;x&quot;.iso"/>');
    expect(parseDomainXml(out.toXml()).config.disks[1]!.source).toBe('/isos/a&b "x".iso');
  });

  it('refuses a disk that is not a CD-ROM, an unknown target and a bad path', () => {
    const doc = load('foreign.xml');
    expect(refused(doc, (d) => setCdromSource(d, 'sda', '/x.iso')).message).toBe("disk 'sda' is a disk, not a CD-ROM: its media cannot be changed");
    expect(refused(doc, (d) => setCdromSource(d, 'hdc', '/x.iso')).message).toBe("no disk with target 'hdc' (disks: sda, sdb)");
    expect(refused(doc, (d) => setCdromSource(d, 'sdb', 'x.iso')).message).toBe("the disk path 'x.iso' is not absolute");
  });
});

describe('ensureUuid', () => {
  it('adds a uuid after <name> when missing and leaves a document that has one alone', () => {
    const doc = parseDomainXml('<domain type="qemu">\n  <name>n</name>\n  <memory>1024</memory>\n</domain>\n');
    const out = ensureUuid(doc, '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b');
    expect(out.toXml()).toBe('<domain type="qemu">\n  <name>n</name>\n  <uuid>6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b</uuid>\n  <memory>1024</memory>\n</domain>\n');
    expect(ensureUuid(out)).toBe(out);
    expect(doc.withUuid().config.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fills an empty <uuid/> instead of adding a second one', () => {
    const out = ensureUuid(parseDomainXml('<domain><name>n</name><uuid/></domain>'), '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b');
    expect(out.config.root.children.filter((c) => c.name === 'uuid')).toHaveLength(1);
    expect(out.config.uuid).toBe('6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b');
  });

  it('refuses a malformed uuid', () => {
    expect(refused(parseDomainXml('<domain><name>n</name></domain>'), (d) => ensureUuid(d, 'nope')).message).toBe("uuid 'nope' is not a valid UUID");
  });
});

describe('edits keep every corpus-style document equivalent apart from the change', () => {
  it('add then remove a disk is the identity on foreign.xml in canonical form too', () => {
    const doc = load('foreign.xml');
    const round = removeDisk(addDisk(doc, { source: '/x.qcow2' }), 'vda');
    expect(canonicalXml(round.toXml())).toBe(canonicalXml(doc.toXml()));
  });
});
