// virsh's disk and interface verbs: attach-disk, detach-disk, blockresize, change-media,
// attach-interface, detach-interface, domif-setlink, plus domblklist / domiflist to see them and
// hostfwd-add / hostfwd-remove for user-network port forwards (no virsh verb exists for those).
// Scope flags follow virsh: --live, --config, --persistent (both when running), --current/none
// (the running domain when it runs, else the config).
import { resolve } from 'node:path';
import type { ChangeScope, DiskAttachSpec, Driver, InterfaceAttachSpec } from '../driver/driver.js';
import { KvmtuiError } from '../driver/errors.js';
import { formatBytes, normalizeMac, validateDomainName } from '../domain/index.js';
import {
  formatPortForward,
  parseBlockresizeSize,
  parseDiskSize,
  parsePortForward,
  scopeFromFlags,
} from '../driver/qemu/device-syntax.js';
import type { CliCommand } from './command.js';
import { table } from './format.js';

const SCOPE_FLAGS = ['live', 'config', 'persistent', 'current'];

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

function nameArg(raw: string): string {
  validateDomainName(raw);
  return raw;
}

async function isRunning(d: Driver, name: string): Promise<boolean> {
  const s = (await d.getDomain(name)).state;
  return s === 'running' || s === 'paused' || s === 'pmsuspended';
}

async function scopeOf(d: Driver, name: string, flags: Record<string, string | boolean>): Promise<ChangeScope> {
  return scopeFromFlags(flags, await isRunning(d, name));
}

function where(scope: ChangeScope): string {
  if (scope.live && scope.config) return ' (running domain and config)';
  return scope.live ? ' (running domain only)' : ' (config only)';
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** TARGET or SOURCE path -> target, as virsh accepts either for a disk. */
async function diskTarget(d: Driver, name: string, arg: string): Promise<string> {
  const cfg = (await d.getDomain(name)).config;
  if (cfg.disks.some((x) => x.target === arg)) return arg;
  const abs = resolve(arg);
  const bySource = cfg.disks.find((x) => x.source === arg || x.source === abs);
  return bySource ? bySource.target : arg;
}

const attachDisk: CliCommand = {
  verb: 'attach-disk',
  usage:
    'attach-disk NAME SOURCE TARGET [--targetbus virtio|sata|scsi|ide] [--subdriver qcow2|raw] [--type disk|cdrom] [--mode readonly] [--size SIZE] [--live] [--config] [--persistent]',
  summary: 'attach an image (with --size: create it first; SOURCE - puts it under KVMTUI_HOME/images)',
  flags: { boolean: [...SCOPE_FLAGS], valued: ['targetbus', 'subdriver', 'type', 'mode', 'size', 'driver', 'sourcetype'] },
  args: 3,
  async run(ctx, a) {
    const [rawName, source, target] = a.positionals;
    const name = nameArg(rawName);
    const f = a.flags;
    const driverName = str(f.driver);
    if (driverName !== undefined && driverName !== 'qemu') throw invalid(`--driver ${driverName}: only qemu is supported`);
    const mode = str(f.mode);
    if (mode !== undefined && mode !== 'readonly' && mode !== 'shareable') throw invalid(`--mode ${mode}: use readonly`);
    if (mode === 'shareable') throw invalid('--mode shareable is not supported by kvmtui');
    const type = str(f.type) ?? 'disk';
    if (type !== 'disk' && type !== 'cdrom') throw invalid(`--type ${type}: use disk or cdrom`);
    const spec: DiskAttachSpec = {
      source: source === '-' ? '' : resolve(source),
      target: target === '-' ? undefined : target,
      bus: str(f.targetbus) as DiskAttachSpec['bus'],
      format: str(f.subdriver) as DiskAttachSpec['format'],
      device: type,
      readonly: mode === 'readonly' || undefined,
    };
    if (f.size !== undefined) spec.createSizeBytes = parseDiskSize(String(f.size));
    else if (source === '-' && type === 'disk') throw invalid('SOURCE - (a new image) needs --size');
    const driver = ctx.driver();
    const scope = await scopeOf(driver, name, f);
    await driver.attachDisk(name, spec, scope);
    ctx.out(`Disk attached successfully${where(scope)}\n`);
  },
};

const detachDisk: CliCommand = {
  verb: 'detach-disk',
  usage: 'detach-disk NAME TARGET [--delete-image] [--live] [--config] [--persistent]',
  summary: 'detach a disk (TARGET or its image path); --delete-image also removes the image file',
  flags: { boolean: [...SCOPE_FLAGS, 'delete-image'] },
  args: 2,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const driver = ctx.driver();
    const target = await diskTarget(driver, name, a.positionals[1]);
    const scope = await scopeOf(driver, name, a.flags);
    await driver.detachDisk(name, target, scope, { deleteImage: !!a.flags['delete-image'] });
    ctx.out(`Disk detached successfully${where(scope)}\n`);
  },
};

const blockresize: CliCommand = {
  verb: 'blockresize',
  usage: 'blockresize NAME TARGET|PATH SIZE [--allow-shrink]',
  summary: 'resize a disk (online on a running domain); a bare SIZE is KiB as in virsh; shrinking needs --allow-shrink',
  flags: { boolean: ['allow-shrink'] },
  args: 3,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const driver = ctx.driver();
    const target = await diskTarget(driver, name, a.positionals[1]);
    const size = parseBlockresizeSize(a.positionals[2]);
    const running = await isRunning(driver, name);
    await driver.blockResize(name, target, size, { allowShrink: !!a.flags['allow-shrink'] });
    ctx.out(`Block device '${target}' is resized to ${formatBytes(size)}\n`);
    if (running) ctx.out(`note: grow the guest's partition and filesystem to use the new space (e.g. resize2fs /dev/${target})\n`);
  },
};

const changeMedia: CliCommand = {
  verb: 'change-media',
  usage: 'change-media NAME TARGET [SOURCE] [--eject | --insert | --update] [--live] [--config] [--persistent] [--force]',
  summary: 'insert a CD-ROM image (SOURCE) or eject it (--eject)',
  flags: { boolean: [...SCOPE_FLAGS, 'eject', 'insert', 'update', 'force'] },
  args: [2, 3],
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const f = a.flags;
    const ops = ['eject', 'insert', 'update'].filter((o) => f[o]);
    if (ops.length > 1) throw invalid('--eject, --insert and --update exclude each other');
    const source = a.positionals[2];
    const eject = !!f.eject || (ops.length === 0 && source === undefined);
    if (eject && source !== undefined) throw invalid('--eject takes no SOURCE');
    if (!eject && source === undefined) throw invalid('--insert and --update need a SOURCE');
    const driver = ctx.driver();
    const target = await diskTarget(driver, name, a.positionals[1]);
    const scope = await scopeOf(driver, name, f);
    await driver.changeMedia(name, target, eject ? null : resolve(source!), scope);
    ctx.out(`${eject ? 'Successfully ejected media' : 'Successfully inserted media'}${where(scope)}\n`);
  },
};

const attachInterface: CliCommand = {
  verb: 'attach-interface',
  usage:
    'attach-interface NAME TYPE [SOURCE] [--model virtio|e1000e|rtl8139] [--mac MAC] [--target TAP] [--hostfwd tcp:2222:22[,...]] [--live] [--config] [--persistent]',
  summary: 'add a NIC: TYPE user (with port forwards), bridge SOURCE=bridge, or ethernet (--target tap)',
  flags: { boolean: [...SCOPE_FLAGS], valued: ['model', 'mac', 'target', 'hostfwd', 'source'] },
  args: [2, 3],
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const type = a.positionals[1];
    if (!['user', 'bridge', 'ethernet', 'network'].includes(type)) throw invalid(`unknown interface type '${type}' (use user, bridge or ethernet)`);
    const source = a.positionals[2] ?? str(a.flags.source);
    if (type === 'bridge' && !source) throw invalid('type bridge needs SOURCE, the bridge name');
    const hostfwd = str(a.flags.hostfwd);
    if (hostfwd !== undefined && type !== 'user') throw invalid('--hostfwd needs type user');
    const spec: InterfaceAttachSpec = {
      type: type as InterfaceAttachSpec['type'],
      model: str(a.flags.model) as InterfaceAttachSpec['model'],
      mac: str(a.flags.mac),
      source: type === 'user' ? undefined : source,
      targetDev: str(a.flags.target),
      portForwards: hostfwd?.split(',').filter(Boolean).map(parsePortForward),
    };
    const driver = ctx.driver();
    const scope = await scopeOf(driver, name, a.flags);
    const { mac } = await driver.attachInterface(name, spec, scope);
    ctx.out(`Interface attached successfully${where(scope)}: MAC ${mac}\n`);
  },
};

const detachInterface: CliCommand = {
  verb: 'detach-interface',
  usage: 'detach-interface NAME TYPE [--mac MAC] [--live] [--config] [--persistent]',
  summary: 'remove a NIC (--mac picks one when the domain has several of TYPE)',
  flags: { boolean: [...SCOPE_FLAGS], valued: ['mac'] },
  args: 2,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const type = a.positionals[1];
    const driver = ctx.driver();
    const nics = (await driver.getDomain(name)).config.interfaces.filter((i) => i.type === type);
    const scope = await scopeOf(driver, name, a.flags);
    let mac = str(a.flags.mac);
    if (mac === undefined) {
      if (nics.length === 0) throw invalid(`domain '${name}' has no interface of type ${type}`);
      if (nics.length > 1) throw invalid(`domain '${name}' has ${nics.length} interfaces of type ${type}: choose one with --mac`);
      mac = nics[0].mac;
      if (!mac) throw invalid('that interface has no MAC address in the config: give --mac');
    } else if (scope.config && !nics.some((i) => i.mac && normalizeMac(i.mac) === normalizeMac(mac!))) {
      throw invalid(`domain '${name}' has no interface of type ${type} with MAC ${mac}`);
    }
    await driver.detachInterface(name, mac, scope);
    ctx.out(`Interface detached successfully${where(scope)}\n`);
  },
};

const setLink: CliCommand = {
  verb: 'domif-setlink',
  usage: 'domif-setlink NAME MAC STATE [--live] [--config] [--persistent]',
  summary: 'set a NIC link up or down',
  flags: { boolean: [...SCOPE_FLAGS] },
  args: 3,
  async run(ctx, a) {
    const name = nameArg(a.positionals[0]);
    const state = a.positionals[2];
    if (state !== 'up' && state !== 'down') throw invalid(`link state must be up or down, not '${state}'`);
    const driver = ctx.driver();
    const scope = await scopeOf(driver, name, a.flags);
    await driver.setLink(name, a.positionals[1], state, scope);
    ctx.out(`Device updated successfully${where(scope)}\n`);
  },
};

function forwardVerb(verb: 'hostfwd-add' | 'hostfwd-remove'): CliCommand {
  const add = verb === 'hostfwd-add';
  return {
    verb,
    usage: `${verb} NAME MAC RULE [--live] [--config] [--persistent]`,
    summary: add
      ? 'forward a host port to a user-network NIC: RULE is [tcp|udp:][HOSTADDR:]HOSTPORT:GUESTPORT, e.g. tcp:2222:22'
      : 'stop forwarding a host port (RULE as for hostfwd-add; the guest port may be left out)',
    flags: { boolean: [...SCOPE_FLAGS] },
    args: 3,
    async run(ctx, a) {
      const name = nameArg(a.positionals[0]);
      const mac = a.positionals[1];
      let rule = a.positionals[2];
      // removal names the host side only: tcp:2222 is enough
      if (!add && /^(?:(?:tcp|udp):)?(?:[0-9.]+:)?\d+$/i.test(rule)) rule = `${rule}:1`;
      const fwd = parsePortForward(rule);
      const driver = ctx.driver();
      const scope = await scopeOf(driver, name, a.flags);
      if (add) await driver.addPortForward(name, mac, fwd, scope);
      else await driver.removePortForward(name, mac, fwd, scope);
      ctx.out(`${add ? 'Forwarding' : 'Stopped forwarding'} ${fwd.protocol} ${fwd.hostAddress ? `${fwd.hostAddress}:` : ''}${fwd.hostPort}${add ? ` to guest port ${fwd.guestPort}` : ''}${where(scope)}\n`);
    },
  };
}

const domblklist: CliCommand = {
  verb: 'domblklist',
  usage: 'domblklist NAME [--details]',
  summary: "list a domain's disks (from its config)",
  flags: { boolean: ['details', 'inactive'] },
  args: 1,
  async run(ctx, a) {
    const { config } = await ctx.driver().getDomain(nameArg(a.positionals[0]));
    if (a.flags.details) {
      const rows = config.disks.map((d) => [d.type, d.device, d.target, d.source ?? '-']);
      ctx.out(table(['Type', 'Device', 'Target', 'Source'], rows));
    } else {
      ctx.out(table(['Target', 'Source'], config.disks.map((d) => [d.target, d.source ?? '-'])));
    }
  },
};

const domiflist: CliCommand = {
  verb: 'domiflist',
  usage: 'domiflist NAME',
  summary: "list a domain's network interfaces (from its config), with port forwards",
  flags: { boolean: ['inactive'] },
  args: 1,
  async run(ctx, a) {
    const { config } = await ctx.driver().getDomain(nameArg(a.positionals[0]));
    const rows = config.interfaces.map((i) => [
      i.targetDev ?? '-',
      i.type,
      i.source ?? (i.portForwards.length ? i.portForwards.map((f) => formatPortForward(f)).join(',') : '-'),
      i.model ?? '-',
      i.mac ?? '-',
      i.linkState ?? 'up',
    ]);
    ctx.out(table(['Interface', 'Type', 'Source', 'Model', 'MAC', 'Link'], rows));
  },
};

export const deviceCommands: CliCommand[] = [
  domblklist,
  attachDisk,
  detachDisk,
  blockresize,
  changeMedia,
  domiflist,
  attachInterface,
  detachInterface,
  setLink,
  forwardVerb('hostfwd-add'),
  forwardVerb('hostfwd-remove'),
];
