// The libvirt driver against a scripted virsh (outputs recorded from libvirt 9.0): which virsh
// processes it runs (argument arrays; names never parsed by virsh), how it assembles what they
// print, its errors, and a real timeout against a virsh that never answers.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions, RunResult } from '../../src/driver/exec.js';
import { createLibvirtDriver } from '../../src/driver/libvirt/libvirt-driver.js';
import { isLibvirtUri, isLocalUri, parseLibvirtUri, unattendedUri } from '../../src/driver/libvirt/uri.js';
import { createDriver, createDrivers } from '../../src/driver/connect.js';
import { LocalDriver } from '../../src/driver/qemu/local-driver.js';
import { LibvirtDriver } from '../../src/driver/libvirt/libvirt-driver.js';
import { isKvmtuiError } from '../../src/driver/errors.js';

const URI = 'qemu:///system?socket=/tmp/kt-x/sock/libvirt-sock';
const UUID1 = 'ca58e2f1-c172-44ad-9de0-f6ab91e8fccb';
const UUID2 = 'c9725c7e-0f98-4683-a414-f75ba6c467d3';

function domainXml(name: string, uuid: string, extra = ''): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <title>kvmtui demo guest</title>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
    <kernel>/k</kernel>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/img/vda.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:12:34:56'/>
      <model type='virtio'/>
    </interface>${extra}
    <memballoon model='virtio'/>
  </devices>
</domain>
`;
}

type Reply = Partial<RunResult> | ((args: string[], opts: RunOptions) => Partial<RunResult> | Promise<Partial<RunResult>>);

/** A scripted virsh: replies chosen by the last matching predicate; every call recorded. */
class FakeVirsh {
  calls: string[][] = [];
  private rules: [(args: string[]) => boolean, Reply][] = [];

  on(match: (args: string[]) => boolean, reply: Reply): this {
    this.rules.push([match, reply]);
    return this;
  }

  /** rule on the virsh command (argv after -c URI) */
  cmd(verb: string, reply: Reply): this {
    return this.on((a) => a[2] === verb, reply);
  }

  runner = async (file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> => {
    expect(file).toBe('virsh');
    expect(opts.timeoutMs).toBeGreaterThan(0);
    expect(opts.env?.LC_ALL).toBe('C');
    const a = [...args];
    this.calls.push(a);
    // the last matching rule wins, so a test can override a shared script
    const rule = [...this.rules].reverse().find(([m]) => m(a));
    if (!rule) return { stdout: '', stderr: `error: unexpected call ${a.slice(2).join(' ')}`, exitCode: 1 };
    const r = typeof rule[1] === 'function' ? await rule[1](a, opts) : rule[1];
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode ?? 0 };
  };

  /** the commands of a batch call, and its separator */
  static batchOf(args: string[]): { commands: string[]; sep: string } {
    const script = args[2]!;
    const sep = /echo (@@kvmtui-[0-9a-f]+@@)/.exec(script)?.[1] ?? 'none';
    return { commands: script.split(` ; echo ${sep} ; `), sep };
  }
}

/** batches are `virsh -c URI 'cmd ; echo SEP ; cmd'`: one script argument */
function isBatch(a: string[]): boolean {
  return a.length === 3;
}

function listReply(outputs: (cmd: string) => string): Reply {
  return (args) => {
    const { commands, sep } = FakeVirsh.batchOf(args);
    return { stdout: commands.map(outputs).join(`\n${sep}\n`) };
  };
}

const LIST_OUTPUTS = (cmd: string): string => {
  if (cmd === 'list --all --uuid --name') return `${UUID1} lvt1\n${UUID2} lvt 2\n`;
  if (cmd === 'list --all --name --persistent') return 'lvt1\nlvt 2\n';
  if (cmd === 'list --all --name --autostart') return 'lvt 2\n';
  if (cmd.startsWith('domstats')) {
    return `Domain: 'lvt1'\n  state.state=3\n  state.reason=1\n  balloon.current=65536\n  balloon.maximum=131072\n  vcpu.current=1\n\nDomain: 'lvt 2'\n  state.state=5\n  state.reason=2\n  balloon.current=131072\n  balloon.maximum=131072\n  vcpu.current=1\n`;
  }
  if (cmd === `dumpxml --inactive --domain ${UUID1}`) return domainXml('lvt1', UUID1);
  if (cmd === `dumpxml --inactive --domain ${UUID2}`) return domainXml('lvt 2', UUID2).replace("type='qemu'", "type='kvm'");
  return '';
};

const tmpDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('libvirt driver: listing', () => {
  it('lists in one virsh process, then fetches configs once by UUID', async () => {
    const v = new FakeVirsh().on(isBatch, listReply(LIST_OUTPUTS));
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    const list = await d.listDomains();
    expect(v.calls).toHaveLength(2);
    expect(FakeVirsh.batchOf(v.calls[0]!).commands).toEqual([
      'list --all --uuid --name',
      'list --all --name --persistent',
      'list --all --name --autostart',
      'domstats --raw --nowait --state --vcpu --balloon',
    ]);
    expect(FakeVirsh.batchOf(v.calls[1]!).commands).toEqual([`dumpxml --inactive --domain ${UUID1}`, `dumpxml --inactive --domain ${UUID2}`]);
    expect(v.calls.every((c) => c[0] === '-c' && c[1] === URI)).toBe(true);
    expect(list).toEqual([
      {
        connection: URI,
        name: 'lvt1',
        uuid: UUID1,
        title: 'kvmtui demo guest',
        state: 'paused',
        reason: 'user',
        type: 'qemu',
        vcpus: 1,
        memoryKiB: 131072,
        currentMemoryKiB: 65536,
        persistent: true,
        autostart: false,
      },
      {
        connection: URI,
        name: 'lvt 2',
        uuid: UUID2,
        title: 'kvmtui demo guest',
        state: 'shutoff',
        reason: 'destroyed',
        type: 'kvm',
        vcpus: 1,
        memoryKiB: 131072,
        currentMemoryKiB: 131072,
        persistent: true,
        autostart: true,
      },
    ]);
    // the second refresh is one process: configs come from the cache
    await d.listDomains();
    expect(v.calls).toHaveLength(3);
  });

  it('fails with one clear line when the connection is down', async () => {
    const v = new FakeVirsh().on(isBatch, {
      stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/tmp/kt-x/sock/libvirt-sock': No such file or directory\n",
      exitCode: 1,
    });
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    await expect(d.listDomains()).rejects.toMatchObject({ code: 'EXEC_FAILED', message: expect.stringMatching(/^cannot reach qemu:\/\/\/system.*failed to connect/) });
  });

  it('asks QEMU whether a paused domain with no reason stopped on an internal error', async () => {
    const v = new FakeVirsh()
      .on(isBatch, listReply((c) => (c.startsWith('domstats') ? "Domain: 'lvt1'\n  state.state=3\n  state.reason=0\n" : LIST_OUTPUTS(c))))
      .cmd('qemu-monitor-command', { stdout: '{"return":{"status":"internal-error","singlestep":false,"running":false},"id":"libvirt-9"}' });
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    const lvt1 = (await d.listDomains()).find((x) => x.name === 'lvt1')!;
    expect(lvt1).toMatchObject({ state: 'crashed', reason: 'internal-error' });
    expect(lvt1.message).toMatch(/internal error/);
    expect(v.calls.find((c) => c[2] === 'qemu-monitor-command')).toEqual(['-c', URI, 'qemu-monitor-command', '--domain', 'lvt1', '{"execute":"query-status"}']);
    // a poller's next refresh does not ask QEMU again
    expect((await d.listDomains()).find((x) => x.name === 'lvt1')?.reason).toBe('internal-error');
    expect(v.calls.filter((c) => c[2] === 'qemu-monitor-command')).toHaveLength(1);
  });
});

describe('libvirt driver: one domain', () => {
  it('passes names as their own argument after --domain, even odd ones', async () => {
    const name = "-x 'y'; list";
    const v = new FakeVirsh()
      .cmd('domstats', { stdout: `Domain: '${name}'\n  state.state=1\n  state.reason=1\n` })
      .cmd('shutdown', {})
      .cmd('destroy', {})
      .cmd('reset', {});
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    await d.shutdown(name);
    await d.destroy(name);
    await d.reset(name);
    expect(v.calls.map((c) => c.slice(2))).toEqual([
      ['shutdown', '--domain', name],
      ['destroy', '--domain', name],
      ['reset', '--domain', name],
    ]);
  });

  it('getDomain joins the persistent XML, live state and dominfo', async () => {
    const v = new FakeVirsh()
      .cmd('dumpxml', (a) => ({ stdout: a.includes('--inactive') ? domainXml('lvt1', UUID1) : '' }))
      .cmd('domstats', { stdout: "Domain: 'lvt1'\n  state.state=1\n  state.reason=1\n  balloon.current=100000\n  balloon.maximum=131072\n  vcpu.current=1\n" })
      .cmd('dominfo', { stdout: `Id:             3\nName:           lvt1\nUUID:           ${UUID1}\nPersistent:     no\nAutostart:      enable\n` });
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    const g = await d.getDomain('lvt1');
    expect(g).toMatchObject({ name: 'lvt1', uuid: UUID1, state: 'running', reason: 'booted', persistent: false, autostart: true, currentMemoryKiB: 100000 });
    expect(g.xml).toBe(domainXml('lvt1', UUID1));
    expect(g.config.disks.map((x) => x.target)).toEqual(['vda', 'hdc']);
  });

  it('maps a missing domain to NO_DOMAIN', async () => {
    const v = new FakeVirsh().on(() => true, { stderr: "error: failed to get domain 'nosuch'\n", exitCode: 1 });
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    for (const op of [() => d.getDomain('nosuch'), () => d.start('nosuch'), () => d.stats('nosuch'), () => d.dumpXml('nosuch')]) {
      await expect(op()).rejects.toMatchObject({ code: 'NO_DOMAIN', message: "failed to get domain 'nosuch'" });
    }
  });

  it('refuses suspend of a paused and resume of a running domain, as the local driver does', async () => {
    let state = 3;
    const v = new FakeVirsh().cmd('domstats', () => ({ stdout: `Domain: 'g'\n  state.state=${state}\n  state.reason=1\n` })).cmd('suspend', {}).cmd('resume', {});
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    await expect(d.suspend('g')).rejects.toMatchObject({ code: 'INVALID_STATE', message: "domain 'g' is already paused" });
    state = 1;
    await expect(d.resume('g')).rejects.toMatchObject({ code: 'INVALID_STATE', message: "domain 'g' is not paused" });
    expect(v.calls.some((c) => c[2] === 'suspend' || c[2] === 'resume')).toBe(false);
  });

  it('define keeps the UUID of the domain it replaces, through a private temp file', async () => {
    let seen: { text: string; mode: number; path: string } | undefined;
    const v = new FakeVirsh()
      .cmd('domuuid', { stdout: `${UUID1}\n` })
      .cmd('define', async (a) => {
        const path = a[a.indexOf('--file') + 1]!;
        seen = { text: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777, path };
        return { stdout: `Domain 'lvt1' defined from ${path}\n` };
      })
      .cmd('dumpxml', { stdout: domainXml('lvt1', UUID1) })
      .cmd('domstats', { stdout: "Domain: 'lvt1'\n  state.state=5\n  state.reason=0\n" })
      .cmd('dominfo', { stdout: `UUID:           ${UUID1}\nPersistent:     yes\nAutostart:      disable\n` });
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    const noUuid = domainXml('lvt1', UUID1).replace(`  <uuid>${UUID1}</uuid>\n`, '');
    const s = await d.defineXml(noUuid);
    expect(s).toMatchObject({ name: 'lvt1', uuid: UUID1, state: 'shutoff', persistent: true });
    expect(seen!.text).toContain(`<uuid>${UUID1}</uuid>`);
    expect(seen!.mode).toBe(0o600);
    await expect(stat(seen!.path)).rejects.toThrow(); // removed afterwards
    expect('xml' in s).toBe(false);
  });

  it('define errors name the domain, not the temp file', async () => {
    const v = new FakeVirsh()
      .cmd('domuuid', { stderr: "error: failed to get domain 'bad'\n", exitCode: 1 })
      .cmd('define', (a) => ({
        stderr: `error: Failed to define domain from ${a[a.indexOf('--file') + 1]}\nerror: XML error: an os <type> must be specified\n`,
        exitCode: 1,
      }));
    const d = createLibvirtDriver({ uri: URI, runner: v.runner });
    await expect(d.defineXml("<domain type='qemu'><name>bad</name></domain>")).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: "cannot define domain 'bad': XML error: an os <type> must be specified",
    });
    await expect(d.defineXml('<domain')).rejects.toMatchObject({ code: 'INVALID_XML' });
  });

  it('undefine keeps NVRAM unless storage goes too', async () => {
    const v = new FakeVirsh().cmd('undefine', {});
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    await d.undefine('g');
    await d.undefine('g', { removeAllStorage: true });
    expect(v.calls.map((c) => c.slice(2))).toEqual([
      ['undefine', '--domain', 'g', '--keep-nvram'],
      ['undefine', '--domain', 'g', '--nvram', '--remove-all-storage'],
    ]);
  });

  it('the console is `virsh console` on the operator\'s own URI', async () => {
    const v = new FakeVirsh().cmd('domstats', { stdout: "Domain: 'g'\n  state.state=1\n  state.reason=1\n" });
    const uri = 'qemu+ssh://root@h/system';
    const d = createLibvirtDriver({ uri, runner: v.runner });
    expect(await d.consoleEndpoint('g')).toEqual({ kind: 'command', file: 'virsh', args: ['-c', uri, 'console', '--force', '--domain', 'g'] });
    // unattended calls never prompt for a password
    expect(v.calls[0]!.slice(0, 2)).toEqual(['-c', `${uri}?no_tty=1`]);
  });
});

describe('libvirt driver: devices', () => {
  function deviceVirsh(running: boolean) {
    return new FakeVirsh()
      .cmd('domstats', { stdout: `Domain: 'g'\n  state.state=${running ? 1 : 5}\n  state.reason=1\n` })
      .cmd('dumpxml', { stdout: domainXml('g', UUID1) })
      .cmd('attach-disk', {})
      .cmd('detach-disk', {})
      .cmd('attach-device', {})
      .cmd('detach-interface', {})
      .cmd('domif-setlink', {})
      .cmd('change-media', {})
      .cmd('domblkinfo', { stdout: 'Capacity:       33554432\nAllocation:     200704\nPhysical:       200704\n' })
      .cmd('blockresize', {});
  }

  it('attach-disk with --live --config, the next free target and the named format', async () => {
    const v = deviceVirsh(true);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    await d.attachDisk('g', { source: '/img/new.qcow2', format: 'qcow2' }, { live: true, config: true });
    expect(v.calls.at(-1)!.slice(2)).toEqual([
      'attach-disk', '--domain', 'g', '--source', '/img/new.qcow2', '--target', 'vdb', '--targetbus', 'virtio',
      '--driver', 'qemu', '--subdriver', 'qcow2', '--live', '--config',
    ]);
  });

  it('refuses a live change to a domain that is not running, and a used target, before virsh is asked', async () => {
    const v = deviceVirsh(false);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    await expect(d.attachDisk('g', { source: '/img/x.raw', format: 'raw' }, { live: true, config: false })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(d.attachDisk('g', { source: '/img/x.raw', format: 'raw', target: 'vda' }, { live: false, config: true })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: "target 'vda' is already in use",
    });
    await expect(d.attachDisk('g', { source: '/img/x.raw', createSizeBytes: 1 << 20 }, { live: false, config: true })).rejects.toMatchObject({
      code: 'NOT_SUPPORTED_BY_DRIVER',
    });
    expect(v.calls.some((c) => c[2] === 'attach-disk')).toBe(false);
  });

  it('detach, media, link and NIC verbs get the right flags', async () => {
    const v = deviceVirsh(true);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    await d.detachDisk('g', 'vda', { live: false, config: true });
    await d.changeMedia('g', 'hdc', null, { live: true, config: false });
    await d.changeMedia('g', 'hdc', '/iso/a.iso', { live: true, config: true });
    await d.setLink('g', '52:54:00:12:34:56', 'down', { live: true, config: true });
    await d.detachInterface('g', '52:54:00:12:34:56', { live: true, config: false });
    const verbs = v.calls.map((c) => c.slice(2)).filter((c) => !['domstats', 'dumpxml'].includes(c[0]!));
    expect(verbs).toEqual([
      ['detach-disk', '--domain', 'g', '--target', 'vda', '--config'],
      ['change-media', '--domain', 'g', '--path', 'hdc', '--eject', '--live'],
      ['change-media', '--domain', 'g', '--path', 'hdc', '--source', '/iso/a.iso', '--update', '--live', '--config'],
      ['domif-setlink', '--domain', 'g', '--interface', '52:54:00:12:34:56', '--state', 'down'],
      ['domif-setlink', '--domain', 'g', '--interface', '52:54:00:12:34:56', '--state', 'down', '--config'],
      ['detach-interface', '--domain', 'g', '--type', 'user', '--mac', '52:54:00:12:34:56', '--live'],
    ]);
    await expect(d.changeMedia('g', 'vda', null, { live: true, config: false })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: /not a CD-ROM/ });
    await expect(d.detachDisk('g', 'vdq', { live: true, config: false })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: /no disk with target 'vdq'/ });
  });

  it('attaches NICs as device XML (user networking included) and returns the MAC', async () => {
    let xml = '';
    const v = deviceVirsh(true).cmd('attach-device', async (a) => {
      xml = await readFile(a[a.indexOf('--file') + 1]!, 'utf8');
      return {};
    });
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    const r = await d.attachInterface('g', { type: 'user', mac: '52:54:00:AB:CD:EF', model: 'e1000' }, { live: true, config: false });
    expect(r).toEqual({ mac: '52:54:00:ab:cd:ef' });
    const call = v.calls.find((c) => c[2] === 'attach-device')!;
    expect(call.slice(2, 5)).toEqual(['attach-device', '--domain', 'g']);
    expect(call.slice(-1)).toEqual(['--live']);
    expect(xml).toBe("<interface type='user'>\n  <mac address='52:54:00:ab:cd:ef'/>\n  <model type='e1000'/>\n</interface>\n");
    await expect(d.attachInterface('g', { type: 'user', mac: '52:54:00:12:34:56' }, { live: true, config: false })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('blockresize asks for the current size and refuses an unconfirmed shrink', async () => {
    const v = deviceVirsh(true);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://h/system', runner: v.runner });
    await expect(d.blockResize('g', 'vda', 16 << 20)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: /shrinking vda/ });
    await d.blockResize('g', 'vda', 64 << 20);
    expect(v.calls.at(-1)!.slice(2)).toEqual(['blockresize', '--domain', 'g', '--path', 'vda', '--size', `${64 << 20}B`]);
  });

  it('port forwards are NOT_SUPPORTED_BY_DRIVER with a reason', async () => {
    const d = createLibvirtDriver({ uri: URI, runner: new FakeVirsh().runner });
    const fwd = { protocol: 'tcp' as const, hostPort: 2222, guestPort: 22 };
    await expect(d.addPortForward('g', '52:54:00:12:34:56', fwd, { live: true, config: true })).rejects.toMatchObject({
      code: 'NOT_SUPPORTED_BY_DRIVER',
      message: expect.stringMatching(/passt/),
    });
    await expect(d.removePortForward('g', '52:54:00:12:34:56', fwd, { live: true, config: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED_BY_DRIVER' });
  });
});

describe('libvirt driver: a host that does not answer', () => {
  it('gives TIMEOUT instead of hanging', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kt-'));
    tmpDirs.push(dir);
    const hung = join(dir, 'virsh');
    await writeFile(hung, `#!${process.execPath}\nsetInterval(() => {}, 1000);\n`);
    await chmod(hung, 0o755);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://unreachable/system', virshFile: hung, queryTimeoutMs: 400 });
    const t0 = Date.now();
    const e = await d.listDomains().catch((x: unknown) => x);
    expect(isKvmtuiError(e, 'TIMEOUT')).toBe(true);
    expect((e as Error).message).toBe('virsh list: no answer from qemu+ssh://unreachable/system within 400 ms');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('kills what the hung virsh started too (its ssh), not just virsh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kt-'));
    tmpDirs.push(dir);
    const pidFile = join(dir, 'child.pid');
    const hung = join(dir, 'virsh');
    // like virsh waiting on ssh: a child that would otherwise live on
    await writeFile(
      hung,
      `#!${process.execPath}\n` +
        `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });\n` +
        `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));\n` +
        `setInterval(() => {}, 1000);\n`,
    );
    await chmod(hung, 0o755);
    const d = createLibvirtDriver({ uri: 'qemu+ssh://unreachable/system', virshFile: hung, queryTimeoutMs: 1500 });
    await expect(d.listDomains()).rejects.toMatchObject({ code: 'TIMEOUT' });
    const child = Number(await readFile(pidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    // gone, or a zombie waiting for whoever reaps orphans here
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${child}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    try {
      for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive()).toBe(false);
    } finally {
      try {
        process.kill(child, 'SIGKILL'); // never leave it behind, even when the check fails
      } catch {
        /* gone */
      }
    }
  });
});

describe('libvirt driver: no virsh on this machine', () => {
  it('says what to install', async () => {
    const d = createLibvirtDriver({ uri: 'qemu:///system', virshFile: 'virsh-not-installed-here' });
    await expect(d.listDomains()).rejects.toMatchObject({
      code: 'EXEC_FAILED',
      message: 'virsh-not-installed-here not found: libvirt connections need virsh (Debian: apt-get install libvirt-clients)',
    });
  });
});

describe('connection URIs', () => {
  it('parses libvirt URIs and tells local from remote', () => {
    expect(parseLibvirtUri('qemu+ssh://root@host:2222/system?keyfile=/k')).toEqual({
      driver: 'qemu',
      transport: 'ssh',
      host: 'host',
      path: '/system',
      params: [['keyfile', '/k']],
    });
    expect(isLocalUri('qemu:///system')).toBe(true);
    expect(isLocalUri('qemu:///session')).toBe(true);
    expect(isLocalUri('qemu:///system?socket=/tmp/s')).toBe(true);
    expect(isLocalUri('qemu+ssh://h/system')).toBe(false);
    expect(isLibvirtUri('test:///default')).toBe(true);
    expect(isLibvirtUri('qemu+local:///x')).toBe(false);
    expect(isLibvirtUri('xen:///system')).toBe(false);
    expect(isLibvirtUri('/etc/passwd')).toBe(false);
  });

  it('adds no_tty=1 to ssh URIs only, once', () => {
    expect(unattendedUri('qemu+ssh://h/system')).toBe('qemu+ssh://h/system?no_tty=1');
    expect(unattendedUri('qemu+ssh://h/system?keyfile=/k')).toBe('qemu+ssh://h/system?keyfile=/k&no_tty=1');
    expect(unattendedUri('qemu+ssh://h/system?no_tty=0')).toBe('qemu+ssh://h/system?no_tty=0');
    expect(unattendedUri('qemu:///system')).toBe('qemu:///system');
  });

  it('createDriver picks the local driver or the libvirt one', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kt-'));
    tmpDirs.push(home);
    const none = createDriver(undefined, { home });
    expect(none).toBeInstanceOf(LocalDriver);
    expect(none.uri).toBe(`qemu+local://${home}`);
    const named = createDriver(`qemu+local://${home}/other`, { home });
    expect(named).toBeInstanceOf(LocalDriver);
    expect(named.uri).toBe(`qemu+local://${home}/other`);
    for (const uri of ['qemu:///system', 'qemu:///session', 'qemu+ssh://root@h/system', 'test:///default']) {
      const d = createDriver(uri, { home });
      expect(d).toBeInstanceOf(LibvirtDriver);
      expect(d.uri).toBe(uri);
    }
    expect(() => createDriver('http://example.com/', { home })).toThrow(/unknown connection/);
    expect(() => createDriver('qemu+local://relative', { home })).toThrow(/absolute/);
    const many = createDrivers(['qemu:///system', 'qemu+ssh://a/system', 'qemu:///system'], { home });
    expect(many.map((d) => d.uri)).toEqual(['qemu:///system', 'qemu+ssh://a/system']);
    expect(createDrivers([], { home }).map((d) => d.uri)).toEqual([`qemu+local://${home}`]);
  });
});
