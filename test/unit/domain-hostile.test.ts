import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../src/domain/document.js';
import { MAX_DOMAIN_XML_BYTES } from '../../src/domain/xml-guard.js';
import { KvmtuiError } from '../../src/driver/errors.js';

/** The error parseDomainXml throws for xml (fails the test when it does not throw). */
function parseError(xml: string): KvmtuiError {
  try {
    parseDomainXml(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    return e as KvmtuiError;
  }
  throw new Error('expected parseDomainXml to throw');
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<domain type="qemu"><name>&lol9;</name><memory>1024</memory></domain>`;

describe('hostile and broken XML', () => {
  it('refuses a billion-laughs entity bomb without expanding it', () => {
    const e = parseError(BILLION_LAUGHS);
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toMatch(/^invalid XML: DOCTYPE declarations are refused .* \(line 2, column 1\)$/);
  });

  it('refuses an external entity (XXE)', () => {
    const e = parseError('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><domain><name>&x;</name></domain>');
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toMatch(/DOCTYPE/);
  });

  it('refuses any DOCTYPE, even a harmless one', () => {
    expect(parseError('<!doctype domain><domain><name>a</name></domain>').message).toMatch(/DOCTYPE.*line 1, column 1/);
  });

  it('refuses an undefined entity reference and a bare ampersand, with their position', () => {
    const undef = parseError('<domain>\n  <name>&lol9;</name>\n</domain>');
    expect(undef.code).toBe('INVALID_XML');
    expect(undef.message).toBe(
      "invalid XML: undefined entity '&lol9;' (only &amp; &lt; &gt; &quot; &apos; and character references are allowed) (line 2, column 9)",
    );
    expect(parseError('<domain><name>AT&T</name></domain>').message).toMatch(/'&' must be written as &amp; \(line 1, column 17\)/);
    expect(parseError('<domain><name>&#0;</name></domain>').message).toMatch(/character reference '&#0;' is not an XML character/);
  });

  it('refuses raw control characters such as NUL', () => {
    const e = parseError('<domain><name>a\u0000b</name></domain>');
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toMatch(/control character U\+0000 .*line 1, column 16/);
  });

  it.each([
    ['unclosed element', '<domain><name>a</domain>', /closing tag/i],
    ['mismatched tags', '<domain>\n<name>a</nam>\n</domain>', /line 2/],
    ['unquoted attribute', '<domain type=qemu><name>a</name></domain>', /line 1/],
    ['duplicate attribute', '<domain type="a" type="b"><name>a</name></domain>', /repeated|duplicate/i],
    ['garbage after root', '<domain><name>a</name></domain><extra/>', /one root element, found 2 \(<domain>, <extra>\)/],
    ['empty document', ' \n', /the document is empty/],
    ['a JS-reserved element name', '<domain><constructor/></domain>', /the name 'constructor' is not supported/],
    ['unclosed comment', '<domain><!-- forever</domain>', /comment is not closed/],
  ])('refuses %s with one INVALID_XML line', (_what, xml, pattern) => {
    const e = parseError(xml);
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toMatch(/^invalid XML: /);
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toMatch(/undefined|\.\s*\(/);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    const n = 100_000;
    const e = parseError('<domain><name>d</name>' + '<a>'.repeat(n) + '</a>'.repeat(n) + '</domain>');
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toBe('invalid XML: elements are nested more than 200 levels deep');
  });

  it('keeps attributes named like JS prototype properties as plain values', () => {
    const c = parseDomainXml('<domain __proto__="x" constructor="y" toString="z"><name>p</name></domain>').config;
    expect(Object.getPrototypeOf(c.root.attrs)).toBe(Object.prototype);
    expect(Object.entries(c.root.attrs)).toEqual([['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z']]);
    expect(parseDomainXml('<domain><name>p</name><toString a="1"/></domain>').config.root.children[1]!.name).toBe('toString');
  });

  it('refuses a root element other than <domain>', () => {
    const e = parseError('<network><name>default</name></network>');
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toBe('invalid XML: root element is <network>, expected <domain>');
  });

  it('refuses a 50 MB document with one clear size error', () => {
    const big = '<domain><name>big</name><description>' + 'x'.repeat(50 * 1000 * 1000) + '</description></domain>';
    const e = parseError(big);
    expect(e.code).toBe('INVALID_XML');
    expect(e.message).toBe('invalid XML: document is 47.7 MiB or more, larger than the 10 MiB limit');
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const filler = 'é'.repeat(MAX_DOMAIN_XML_BYTES / 2); // 2 bytes each: exactly the limit alone
    expect(parseError(`<domain><name>n</name><description>${filler}</description></domain>`).message).toMatch(/larger than the 10 MiB limit/);
    const fits = 'x'.repeat(MAX_DOMAIN_XML_BYTES - 200);
    expect(parseDomainXml(`<domain><name>n</name><description>${fits}</description></domain>`).config.name).toBe('n');
  });
});
