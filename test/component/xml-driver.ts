// A FakeDriver whose domains carry a real-looking persistent XML, and whose defineXml records
// what it was given and can be made to fail, without replacing the domain (as the base fake does).
import type { DomainDetails, DomainSummary } from '../../src/driver/driver.js';
import { KvmtuiError } from '../../src/driver/errors.js';
import { FakeDriver, type FakeDomainInit } from '../helpers/fake-driver.js';

export function domainXml(name: string, vcpus = 1, extra = ''): string {
  return [
    "<domain type='qemu'>",
    `  <name>${name}</name>`,
    '  <!-- kept by kvmtui -->',
    "  <memory unit='KiB'>262144</memory>",
    `  <vcpu>${vcpus}</vcpu>`,
    extra,
    '  <devices>',
    "    <serial type='pty'>",
    "      <target type=\"isa-serial\" port='0'/>",
    '    </serial>',
    '  </devices>',
    '</domain>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export class XmlDriver extends FakeDriver {
  readonly xml = new Map<string, string>();
  readonly defined: string[] = [];
  defineError: Error | undefined;

  constructor(domains: FakeDomainInit[], xml: Record<string, string> = {}) {
    super(domains);
    for (const d of domains) this.xml.set(d.name, xml[d.name] ?? domainXml(d.name, d.vcpus ?? 1));
  }

  override async getDomain(name: string): Promise<DomainDetails> {
    const d = await super.getDomain(name);
    return { ...d, xml: this.xml.get(name) ?? d.xml };
  }

  override async defineXml(xml: string): Promise<DomainSummary> {
    this.defined.push(xml);
    if (this.defineError) throw this.defineError;
    const name = /<name>([^<]+)<\/name>/.exec(xml)?.[1];
    if (!name) throw new KvmtuiError('INVALID_XML', 'no <name>');
    this.xml.set(name, xml);
    const found = (await this.listDomains()).find((d) => d.name === name);
    if (!found) throw new KvmtuiError('NO_DOMAIN', `no domain ${name}`);
    return found;
  }
}
