import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalXml } from '../../src/domain/canonical.js';
import { parseDomainXml } from '../../src/domain/document.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/virt-install-domains');
const FIXTURES = join(import.meta.dirname, '../fixtures/domains');
const corpusFiles = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort() : [];

describe('virt-install corpus', () => {
  if (corpusFiles.length === 0) {
    it(`reports that the corpus is absent (${CORPUS})`, () => {
      console.warn(`domain corpus test: SKIPPED, ${CORPUS} is absent`);
      expect(existsSync(CORPUS)).toBe(false);
    });
    return;
  }

  it('holds the 194 documents the round-trip test expects', () => {
    expect(corpusFiles.length).toBe(194);
  });

  it('parses every document and round-trips it without loss', () => {
    const failures: string[] = [];
    let byteIdentical = 0;
    for (const file of corpusFiles) {
      const xml = readFileSync(join(CORPUS, file), 'utf8');
      try {
        const doc = parseDomainXml(xml);
        const out = doc.toXml();
        if (canonicalXml(out) !== canonicalXml(xml)) failures.push(`${file}: canonical forms differ`);
        if (out === xml) byteIdentical++;
        // the output must itself parse to the same thing
        if (parseDomainXml(out).toXml() !== out) failures.push(`${file}: second round trip differs`);
        expect(doc.config.root.name).toBe('domain');
      } catch (e) {
        failures.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
    // libvirt-written documents come back byte for byte
    expect(byteIdentical).toBe(corpusFiles.length);
  });
});

describe('round trip of things the model does not cover', () => {
  it('keeps declaration, comments, PIs, namespaces, CDATA and entities of foreign.xml byte for byte', () => {
    const xml = readFileSync(join(FIXTURES, 'foreign.xml'), 'utf8');
    const out = parseDomainXml(xml).toXml();
    expect(out).toBe(xml);
    expect(out).toContain('<?kvmtui-note keep this processing instruction?>');
    expect(out).toContain('<![CDATA[if (a < b && c > d) { run(); }]]>');
  });

  it('keeps unusual but legal forms equivalent (quotes, empty elements, char refs, CRLF)', () => {
    const xml = "<domain type='qemu'>\r\n<name>a&#x41;&#66;</name><x a='say \"hi\"' b=\"it's\"></x>  <y:z xmlns:y='urn:y' y:k='1'/>\r\n</domain>";
    const out = parseDomainXml(xml).toXml();
    expect(canonicalXml(out)).toBe(canonicalXml(xml));
    expect(parseDomainXml(out).config.name).toBe('aAB');
  });
});

describe('canonicalXml', () => {
  it('treats formatting differences as equal', () => {
    expect(canonicalXml('<a  x = "1" >\n  <b></b>\n</a>')).toBe(canonicalXml("<a x='1'><b/></a>"));
    expect(canonicalXml('<a x="&#38;"/>')).toBe(canonicalXml('<a x="&amp;"/>'));
  });

  it('tells real differences apart', () => {
    const base = canonicalXml('<a x="1"><b>t</b><!--c--></a>');
    expect(canonicalXml('<a x="2"><b>t</b><!--c--></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><b>u</b><!--c--></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><b>t</b></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><c>t</c><!--c--></a>')).not.toBe(base);
    expect(canonicalXml('<a y="1" x="1"><b>t</b><!--c--></a>')).not.toBe(base);
  });
});
