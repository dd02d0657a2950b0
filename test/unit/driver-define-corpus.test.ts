// `define` keeps any well-formed libvirt domain XML whole, as virsh define does; what cannot run is
// refused at start, naming the element. Every corpus document goes through the real local driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDriver, type LocalDriver } from '../../src/driver/qemu/local-driver.js';
import { KvmtuiError } from '../../src/driver/errors.js';
import { parseDomainXml } from '../../src/domain/index.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'virt-install-domains');
const present = existsSync(CORPUS);
if (!present) console.warn(`driver define corpus test skipped: ${CORPUS} is absent`);

describe.skipIf(!present)('define and start over the virt-install corpus', () => {
  let home: string;
  let driver: LocalDriver;
  const files = present ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort() : [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'kvmtui-corpus-'));
    driver = createLocalDriver({ home });
  });
  afterAll(async () => {
    await driver.close();
    await rm(home, { recursive: true, force: true });
  });

  it('defines every document and keeps it whole; start refuses clearly or finds files missing', async () => {
    expect(files.length).toBe(194);
    const outcomes: Record<string, number> = {};
    let defined = 0;
    for (const f of files) {
      const xml = readFileSync(join(CORPUS, f), 'utf8');
      const name = parseDomainXml(xml).config.name;
      try {
        await driver.defineXml(xml);
      } catch (e) {
        // only the validation virsh itself would apply may refuse a document at define
        expect(e instanceof KvmtuiError && ['INVALID_CONFIG', 'INVALID_NAME'].includes(e.code), `${f}: ${String(e)}`).toBe(true);
        outcomes['define refused'] = (outcomes['define refused'] ?? 0) + 1;
        continue;
      }
      defined++;
      const stored = await driver.dumpXml(name);
      // kept whole: the only change define may make is adding a uuid
      const withoutUuid = (s: string) => s.replace(/\s*<uuid>[^<]*<\/uuid>/, '');
      expect(withoutUuid(stored).replace(/"/g, "'"), f).toBe(withoutUuid(xml).replace(/"/g, "'"));
      try {
        await driver.start(name);
        await driver.destroy(name);
        outcomes.started = (outcomes.started ?? 0) + 1;
      } catch (e) {
        expect(e instanceof KvmtuiError, `${f}: ${String(e)}`).toBe(true);
        const err = e as KvmtuiError;
        expect(['UNSUPPORTED', 'FILE_MISSING', 'START_FAILED'], `${f}: ${err.code} ${err.message}`).toContain(err.code);
        if (err.code === 'UNSUPPORTED') expect(err.message, f).toMatch(/<[a-z]/);
        outcomes[err.code] = (outcomes[err.code] ?? 0) + 1;
      }
      // documents share names and uuids (phases of one install, clones): each is defined alone
      await driver.undefine(name);
    }
    console.log(`corpus through the driver: ${defined} defined; at start: ${JSON.stringify(outcomes)}`);
    expect(defined).toBeGreaterThan(150);
  }, 300_000);
});
