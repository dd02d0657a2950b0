import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../src/domain/document.js';
import { assertValidDomain, domainNameProblems, validateDomain, validateDomainName } from '../../src/domain/validate.js';
import { KvmtuiError } from '../../src/driver/errors.js';

const TINY = readFileSync(join(import.meta.dirname, '../fixtures/domains/tiny.xml'), 'utf8');
const tiny = () => parseDomainXml(TINY).config;
/** tiny.xml with one substring replaced */
const variant = (from: string, to: string) => {
  expect(TINY).toContain(from);
  return parseDomainXml(TINY.replace(from, to)).config;
};

describe('domain names', () => {
  it('accepts ordinary names', () => {
    for (const name of ['tiny', 'web-01', 'my vm', 'a.b_c', 'x'.repeat(64), 'ünïcödé']) {
      expect(domainNameProblems(name)).toEqual([]);
      expect(validateDomainName(name)).toBe(name);
    }
  });

  it.each([
    ['', 'domain name is empty'],
    ['x'.repeat(65), `domain name '${'x'.repeat(65)}' is 65 characters long, more than 64`],
    ['../x', "domain name '../x' contains '/'; domain name '../x' starts with '.'"],
    ['a/b', "domain name 'a/b' contains '/'"],
    ['.hidden', "domain name '.hidden' starts with '.'"],
    ['a\u0000b', "domain name 'a\\x00b' contains a control character (U+0000)"],
    ['tab\there', "domain name 'tab\\x09here' contains a control character (U+0009)"],
    ['del\u007f', "domain name 'del\\x7f' contains a control character (U+007F)"],
  ])('refuses %j with INVALID_NAME', (name, message) => {
    let error: unknown;
    try {
      validateDomainName(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KvmtuiError);
    expect((error as KvmtuiError).code).toBe('INVALID_NAME');
    expect((error as KvmtuiError).message).toBe(message);
  });
});

describe('validateDomain', () => {
  it('finds nothing wrong with tiny.xml and foreign.xml', () => {
    expect(validateDomain(tiny())).toEqual([]);
    const foreign = parseDomainXml(readFileSync(join(import.meta.dirname, '../fixtures/domains/foreign.xml'), 'utf8')).config;
    expect(validateDomain(foreign)).toEqual([]);
  });

  it.each([
    ['<name>tiny</name>', '<name>../evil</name>', ["domain name '../evil' contains '/'", "domain name '../evil' starts with '.'"]],
    ['<name>tiny</name>', '<name></name>', ['domain name is empty']],
    ['<uuid>6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b</uuid>', '<uuid>not-a-uuid</uuid>', [
      "uuid 'not-a-uuid' is not a valid UUID (32 hex digits, e.g. 6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b)",
    ]],
    ["<memory unit='MiB'>64</memory>", "<memory unit='MiB'>0</memory>", [
      'memory must be greater than 0 (set <memory unit="MiB">...</memory>)',
    ]],
    ["<memory unit='MiB'>64</memory>", "<memory unit='PiB'>1</memory>", ['memory of 1099511627776 KiB is more than the 64 TiB limit (check the unit)']],
    ["<currentMemory unit='MiB'>64</currentMemory>", "<currentMemory unit='MiB'>128</currentMemory>", [
      'currentMemory (131072 KiB) is larger than memory (65536 KiB)',
    ]],
    ['<vcpu>1</vcpu>', '<vcpu>0</vcpu>', ['vcpu count 0 is out of range (1-4096)']],
    ['<vcpu>1</vcpu>', '<vcpu>5000</vcpu>', ['vcpu count 5000 is out of range (1-4096)']],
    ["<mac address='52:54:00:12:34:56'/>", "<mac address='zz:zz:zz:zz:zz:zz'/>", [
      "MAC address 'zz:zz:zz:zz:zz:zz' is not of the form xx:xx:xx:xx:xx:xx (hex digits)",
    ]],
    ["<mac address='52:54:00:12:34:56'/>", "<mac address='01:00:5e:00:00:01'/>", [
      "MAC address '01:00:5e:00:00:01' is a multicast address (the first octet must be even)",
    ]],
    [
      '</disk>',
      "</disk>\n    <disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/></disk>",
      ["disk target 'vda' is used by more than one disk"],
    ],
    ['</disk>', "</disk>\n    <disk type='file' device='disk'><source file='/x.img'/></disk>", ['disk 2 (/x.img) has no <target dev=...>']],
    [
      '</interface>',
      "</interface>\n    <interface type='user'><mac address='52:54:00:12:34:56'/></interface>",
      ['MAC address 52:54:00:12:34:56 is used by more than one interface'],
    ],
  ])('reports %s -> %s', (from, to, messages) => {
    expect(validateDomain(variant(from, to))).toEqual(messages);
  });

  it('reports every problem, one message each', () => {
    const c = variant('<vcpu>1</vcpu>', '<vcpu>0</vcpu>');
    const bad = { ...c, name: '.x', memoryKiB: 0 };
    expect(validateDomain(bad)).toEqual([
      "domain name '.x' starts with '.'",
      'memory must be greater than 0 (set <memory unit="MiB">...</memory>)',
      'vcpu count 0 is out of range (1-4096)',
    ]);
  });

  it('refuses a name already used on the host', () => {
    expect(validateDomain(tiny(), { existingNames: ['other', 'tiny'] })).toEqual(["a domain named 'tiny' already exists"]);
    expect(validateDomain(tiny(), { existingNames: ['other'] })).toEqual([]);
  });

  it('assertValidDomain throws with the code of the first problem and all messages on one line', () => {
    expect(() => assertValidDomain(tiny())).not.toThrow();
    const err = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return e as KvmtuiError;
      }
      throw new Error('expected a throw');
    };
    const named = err(() => assertValidDomain({ ...tiny(), name: 'a/b', vcpus: 0 }));
    expect(named.code).toBe('INVALID_NAME');
    expect(named.message).toBe("domain name 'a/b' contains '/'; vcpu count 0 is out of range (1-4096)");
    expect(err(() => assertValidDomain(tiny(), { existingNames: ['tiny'] })).code).toBe('DOMAIN_EXISTS');
    expect(err(() => assertValidDomain({ ...tiny(), vcpus: 0 })).code).toBe('INVALID_CONFIG');
  });

  it('does not judge what only a driver can refuse (define accepts any well-formed domain)', () => {
    const odd = variant('</devices>', "  <hostdev mode='subsystem' type='pci'/>\n    <graphics type='spice'/>\n  </devices>");
    expect(validateDomain({ ...odd, type: 'xen' })).toEqual([]);
  });
});
