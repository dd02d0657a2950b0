// Every domain XML in ../shared/corpus/virt-install-domains (real virt-install/virt-clone/virt-xml
// output) through the argv builder: each one builds, or is refused with UNSUPPORTED naming an
// element; nothing else is thrown. What virt-install writes by default for x86_64 (SPICE desktop
// devices included) is never the reason for a refusal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../src/domain/index.js';
import { buildQemuArgv, UnsupportedConfigError } from '../../src/driver/qemu/command-line.js';
import { RT } from '../fixtures/argv/load.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'virt-install-domains');
const present = existsSync(CORPUS);
if (!present) console.warn(`command-line corpus test skipped: ${CORPUS} is absent`);

// x86 defaults virt-install writes, which must never be what refuses a document
const DEFAULT_DEVICES = [
  /^<controller type='usb'/,
  /^<controller type='pci' model='pcie-root(-port)?'/,
  /^<controller type='(sata|virtio-serial)'/,
  /^<input type='(tablet|mouse|keyboard)'( bus='(usb|ps2)')?>/,
  /^<console type='pty'>/,
  /^<serial type='pty'>/,
  /^<channel type='unix'>/,
  /^<memballoon/,
  /^<rng model='virtio'>: (?!RNG backend 'egd')/,
  /^<(clock|pm|suspend-to-mem|suspend-to-disk|features|acpi|apic|vmport|pae)[ >]/,
  /^<timer name='(rtc|pit|hpet)'>/,
  /^<cpu[ >]/,
  /^<interface type='(user|bridge)' model='(virtio|e1000e?|rtl8139)'>: (?!<address|multiqueue)/,
];

interface Outcome {
  file: string;
  x86: boolean;
  built: boolean;
  problems: string[];
}

function runAll(): Outcome[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((file) => {
      const config = parseDomainXml(readFileSync(join(CORPUS, file), 'utf8')).config;
      const x86 = (config.type === 'kvm' || config.type === 'qemu') && ['x86_64', 'i686'].includes(config.os.arch ?? 'x86_64');
      try {
        const r = buildQemuArgv(config, RT);
        expect(r.args.length).toBeGreaterThan(10);
        return { file, x86, built: true, problems: [] };
      } catch (e) {
        // anything but a refusal fails the test here, with the file named
        if (!(e instanceof UnsupportedConfigError)) throw new Error(`${file}: threw ${String(e)}`);
        expect(e.code).toBe('UNSUPPORTED');
        return { file, x86, built: false, problems: e.problems };
      }
    });
}

describe.skipIf(!present)('argv builder on the virt-install corpus', () => {
  const outcomes = present ? runAll() : [];

  it('builds or refuses every document, each refusal naming an element', () => {
    const x86 = outcomes.filter((o) => o.x86);
    const built = x86.filter((o) => o.built).length;
    console.log(`corpus: ${outcomes.length} documents; x86 kvm/qemu: ${x86.length}, built ${built}, refused ${x86.length - built}; others refused: ${outcomes.length - x86.length}`);
    expect(outcomes.length).toBeGreaterThan(100);
    for (const o of outcomes) {
      for (const p of o.problems) expect(p, o.file).toMatch(/^<[a-zA-Z][\w:.-]*( [\w:-]+='[^']*')*>: \S.*/);
    }
    // every document of another arch or hypervisor is refused, with the reason
    for (const o of outcomes.filter((x) => !x.x86)) {
      expect(o.built, o.file).toBe(false);
      expect(o.problems[0], o.file).toMatch(/only x86_64 guests are supported by the local driver|the local driver runs type 'kvm' or 'qemu'/);
    }
  });

  it('never refuses what virt-install writes by default for x86_64', () => {
    const offending = outcomes.flatMap((o) => o.problems.filter((p) => DEFAULT_DEVICES.some((re) => re.test(p))).map((p) => `${o.file}: ${p}`));
    expect(offending).toEqual([]);
  });

  it('builds plain virt-install x86_64 guests (q35, virtio disk + network + console + agent + rng)', () => {
    const mustBuild = [
      'virt-install-osinfo-url-with-disk-part2.xml',
      'virt-install-osinfo-url-part2.xml',
      'virt-install-network-install-resources-part2.xml',
      'virt-install-osinfo-win7-unattended-part2.xml',
      'virt-clone-clone-nvram.xml',
    ];
    for (const f of mustBuild) expect(outcomes.find((o) => o.file === f), f).toMatchObject({ built: true });
  });

  it('builds virt-install SPICE desktops; refuses only the SPICE parts that cannot run here (OpenGL), naming them', () => {
    // q35 defaults on a host with a display: spice + spicevmc agent + 2 USB redirdevs + qxl + ich9 sound
    expect(outcomes.find((o) => o.file === 'virt-install-q35-defaults-part2.xml')).toMatchObject({ built: true, problems: [] });
    const gl = outcomes.find((o) => o.file === 'virt-install-singleton-config-3.xml')!;
    expect(gl.problems).toContain("<gl>: OpenGL needs a GPU render node and an EGL display, which the local driver does not set up; use <gl enable='no'/> or remove it");
    // no x86 document is refused for SPICE alone any more
    const spiceOnly = outcomes.filter((o) => o.x86 && !o.built && o.problems.every((p) => /spice/i.test(p)));
    expect(spiceOnly.map((o) => o.file)).toEqual([]);
    const arm = outcomes.find((o) => o.file === 'virt-install-aarch64-kvm-import.xml')!;
    expect(arm.problems).toEqual(["<type arch='aarch64'>: only x86_64 guests are supported by the local driver"]);
  });
});
