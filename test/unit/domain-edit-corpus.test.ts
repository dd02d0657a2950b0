import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalXml } from '../../src/domain/canonical.js';
import { parseDomainXml } from '../../src/domain/document.js';
import { addDisk, removeDisk } from '../../src/domain/edit-disks.js';
import { addInterface, removeInterface, setLinkState } from '../../src/domain/edit-interfaces.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/virt-install-domains');
const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort() : [];

describe('edits on every virt-install corpus document', () => {
  if (files.length === 0) {
    it(`reports that the corpus is absent (${CORPUS})`, () => {
      console.warn(`domain edit corpus test: SKIPPED, ${CORPUS} is absent`);
      expect(existsSync(CORPUS)).toBe(false);
    });
    return;
  }

  it('add + remove of a disk and of a NIC, and link down + up, give back the original bytes', () => {
    expect(files.length).toBe(194);
    const failures: string[] = [];
    for (const file of files) {
      const xml = readFileSync(join(CORPUS, file), 'utf8');
      const doc = parseDomainXml(xml);
      try {
        const withDisk = addDisk(doc, { source: '/kvmtui-test/extra.qcow2' });
        const target = withDisk.config.disks[withDisk.config.disks.length - 1]!.target;
        // only the new disk was added: the canonical form grew, nothing else moved
        if (!canonicalXml(withDisk.toXml()).includes('<source file="/kvmtui-test/extra.qcow2"></source>')) failures.push(`${file}: disk missing`);
        if (removeDisk(withDisk, target).toXml() !== xml) failures.push(`${file}: disk add+remove changed the document`);

        const withNic = addInterface(doc, { type: 'user', mac: '52:54:00:fe:dc:ba' });
        if (removeInterface(withNic, '52:54:00:fe:dc:ba').toXml() !== xml) failures.push(`${file}: NIC add+remove changed the document`);
        const flapped = setLinkState(setLinkState(withNic, '52:54:00:fe:dc:ba', 'down'), '52:54:00:fe:dc:ba', 'up');
        if (flapped.toXml() !== withNic.toXml()) failures.push(`${file}: link down+up changed the document`);
      } catch (e) {
        failures.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
