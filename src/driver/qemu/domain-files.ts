// The persistent side of the local driver: one libvirt XML file per domain under KVMTUI_HOME/domains.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { KvmtuiError } from '../errors.js';
import { parseDomainXml, validateDomainName, type DomainDocument } from '../../domain/index.js';
import { ensurePrivateDir, writeFileAtomic } from './fs-safe.js';
import { domainXmlPath, type HomePaths } from './paths.js';

export interface LoadedDomain {
  name: string;
  xml: string;
  doc: DomainDocument;
}

/** Parsed documents are cached by mtime and size: a poll every second must not re-parse 100 files. */
export class DomainFiles {
  private cache = new Map<string, { key: string; loaded: LoadedDomain }>();

  constructor(private readonly hp: HomePaths) {}

  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.hp.domainsDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return entries
      .filter((f) => f.endsWith('.xml') && !f.startsWith('.'))
      .map((f) => f.slice(0, -4))
      .sort((a, b) => a.localeCompare(b));
  }

  async has(name: string): Promise<boolean> {
    validateDomainName(name);
    try {
      await stat(domainXmlPath(this.hp, name));
      return true;
    } catch {
      return false;
    }
  }

  async load(name: string): Promise<LoadedDomain> {
    validateDomainName(name);
    const path = domainXmlPath(this.hp, name);
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new KvmtuiError('NO_DOMAIN', `domain '${name}' is not defined`);
    }
    const key = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(name);
    if (hit && hit.key === key) return hit.loaded;
    const xml = await readFile(path, 'utf8');
    const loaded = { name, xml, doc: parseDomainXml(xml) };
    this.cache.set(name, { key, loaded });
    return loaded;
  }

  async save(name: string, xml: string): Promise<void> {
    validateDomainName(name);
    await ensurePrivateDir(this.hp.home);
    await ensurePrivateDir(this.hp.domainsDir);
    await writeFileAtomic(domainXmlPath(this.hp, name), xml);
    this.cache.delete(name);
  }

  async remove(name: string): Promise<void> {
    validateDomainName(name);
    await rm(domainXmlPath(this.hp, name), { force: true });
    this.cache.delete(name);
  }
}
