// Everything outside <devices>: domain type and arch, machine, CPU, memory, vCPUs, features,
// clock, power management, lifecycle actions, firmware, boot, SMBIOS, and the top-level
// elements that have no meaning for the local driver.
import type { XmlElement } from '../../domain/model.js';
import { refuse, type Accel, type ArgvContext, type MachineFamily } from './argv-context.js';
import { at, int, kid, kids, localName, opts, qv } from './argv-xml.js';

// Top-level elements that need no argv: identity, bookkeeping, or handled by another builder.
// seclabel and resource are libvirt's host-side confinement (SELinux/AppArmor, cgroup
// partition): the local driver runs QEMU as the invoking user, so there is nothing to apply.
const INERT_TOP = new Set(['name', 'uuid', 'title', 'description', 'metadata', 'memory', 'currentMemory', 'vcpu', 'os', 'features', 'cpu', 'clock', 'pm', 'on_poweroff', 'on_reboot', 'on_crash', 'devices', 'sysinfo', 'seclabel', 'resource', 'genid', 'iothreads', 'iothreadids']);
const TUNING = new Set(['memtune', 'blkiotune', 'numatune', 'cputune', 'memoryBacking', 'defaultiothread']);

/** Machine family from libvirt's machine name; versioned names are passed to QEMU as they are. */
export function machineFamily(machine: string | undefined): { family: MachineFamily; qemuName: string } | undefined {
  const m = machine ?? 'pc';
  if (m === 'pc' || /^pc-i440fx-\d+\.\d+$/.test(m) || /^pc-\d+\.\d+$/.test(m)) return { family: 'pc', qemuName: m };
  if (m === 'q35' || /^pc-q35-\d+\.\d+$/.test(m)) return { family: 'q35', qemuName: m };
  return undefined;
}

export function accelFor(type: string): Accel | undefined {
  return type === 'kvm' ? 'kvm' : type === 'qemu' ? 'tcg' : undefined;
}

export function checkTopLevel(ctx: ArgvContext): void {
  for (const el of ctx.root.children) {
    const name = el.name;
    if (INERT_TOP.has(name)) continue;
    if (localName(name) === 'commandline' && name.includes(':')) {
      qemuCommandline(ctx, el);
      continue;
    }
    if (TUNING.has(name)) refuse(ctx, el, 'host resource tuning needs libvirt (cgroups, NUMA, hugepages); remove it');
    else if (name === 'maxMemory') refuse(ctx, el, 'memory hotplug is not supported by the local driver; remove it');
    else if (name === 'launchSecurity') refuse(ctx, el, 'confidential guests (SEV/TDX) are not supported by the local driver');
    else if (name === 'vcpus') refuse(ctx, el, 'per-vCPU settings are not supported by the local driver; remove it');
    else if (name === 'on_lockfailure') refuse(ctx, el, 'lock managers need libvirt; remove it');
    else refuse(ctx, el, 'not supported by the local driver');
  }
  const genid = kid(ctx.root, 'genid');
  if (genid) ctx.args.push('-device', opts('vmgenid', ['id', 'vmgenid0'], ['guid', genid.text || 'auto']));
  const threads = int(kid(ctx.root, 'iothreads')?.text);
  for (let i = 1; threads !== undefined && i <= threads; i++) ctx.args.push('-object', opts('iothread', ['id', `iothread${i}`]));
}

/** <qemu:commandline>: libvirt's escape hatch, passed through as libvirt does. */
function qemuCommandline(ctx: ArgvContext, el: XmlElement): void {
  for (const c of el.children) {
    const n = localName(c.name);
    if (n === 'arg' && at(c, 'value') !== undefined) ctx.extraArgs.push(at(c, 'value')!);
    else if (n === 'env' && at(c, 'name')) ctx.env[at(c, 'name')!] = at(c, 'value') ?? '';
    else refuse(ctx, c, 'unknown element in <qemu:commandline>');
  }
}

export function emitCpu(ctx: ArgvContext): void {
  const cpu = kid(ctx.root, 'cpu');
  const props = ctx.cpuProps;
  if (cpu) {
    const mode = at(cpu, 'mode') ?? 'custom';
    if (mode === 'host-passthrough' || mode === 'host-model' || mode === 'maximum') {
      // host-model has no meaning without libvirt's CPU map: the host CPU is the closest
      ctx.cpuModel = ctx.accel === 'kvm' && mode !== 'maximum' ? 'host' : 'max';
    } else if (mode === 'custom') {
      const model = kid(cpu, 'model')?.text;
      if (model) ctx.cpuModel = model;
    } else refuse(ctx, cpu, `CPU mode '${mode}' is not supported by the local driver`);
    for (const c of cpu.children) {
      switch (c.name) {
        case 'model':
        case 'vendor':
        case 'topology':
        case 'check':
          break;
        case 'feature': {
          const policy = at(c, 'policy') ?? 'require';
          const name = at(c, 'name');
          if (!name) refuse(ctx, c, 'needs a name');
          else if (policy === 'require' || policy === 'force') props.push(`${qv(name)}=on`);
          else if (policy === 'disable' || policy === 'forbid') props.push(`${qv(name)}=off`);
          // 'optional' means: if the host has it; QEMU's model already decides that
          break;
        }
        case 'cache':
          if (at(c, 'mode') === 'passthrough') props.push('host-cache-info=on');
          else if (at(c, 'mode') !== 'disable') refuse(ctx, c, 'only cache mode passthrough is supported');
          break;
        case 'maxphysaddr':
          if (at(c, 'mode') === 'passthrough') props.push('host-phys-bits=on');
          else if (at(c, 'bits')) props.push(`phys-bits=${int(at(c, 'bits'))}`);
          break;
        default:
          refuse(ctx, c, 'in <cpu>: not supported by the local driver');
      }
    }
  }
  // <vcpu current='N'>M</vcpu> and <cpu><topology>
  const vcpuEl = kid(ctx.root, 'vcpu');
  if (at(vcpuEl, 'cpuset')) refuse(ctx, vcpuEl!, 'CPU pinning (cpuset) needs libvirt; remove the attribute');
  const max = ctx.config.vcpus;
  const current = int(at(vcpuEl, 'current'));
  const smp: Array<[string, number | undefined]> = [];
  if (current !== undefined && current !== max) smp.push(['maxcpus', max]);
  const topo = kid(cpu, 'topology');
  if (topo) {
    const t = { sockets: int(at(topo, 'sockets')) ?? 1, dies: int(at(topo, 'dies')) ?? 1, clusters: int(at(topo, 'clusters')) ?? 1, cores: int(at(topo, 'cores')) ?? 1, threads: int(at(topo, 'threads')) ?? 1 };
    if (t.sockets * t.dies * t.clusters * t.cores * t.threads !== max) {
      refuse(ctx, topo, `sockets*dies*cores*threads must equal the ${max} vCPUs`);
    } else {
      smp.push(['sockets', t.sockets], ['dies', t.dies > 1 ? t.dies : undefined], ['clusters', t.clusters > 1 ? t.clusters : undefined], ['cores', t.cores], ['threads', t.threads]);
    }
  }
  ctx.args.push('-smp', opts(String(current ?? max), ...smp));
}

const HV_NAMES: Record<string, string> = {
  relaxed: 'hv-relaxed', vapic: 'hv-vapic', vpindex: 'hv-vpindex', runtime: 'hv-runtime', synic: 'hv-synic',
  stimer: 'hv-stimer', reset: 'hv-reset', frequencies: 'hv-frequencies', reenlightenment: 'hv-reenlightenment',
  tlbflush: 'hv-tlbflush', ipi: 'hv-ipi', evmcs: 'hv-evmcs', avic: 'hv-avic', emsr_bitmap: 'hv-emsr-bitmap', xmm_input: 'hv-xmm-input',
};

function hyperv(ctx: ArgvContext, el: XmlElement): void {
  if (ctx.accel !== 'kvm') return refuse(ctx, el, "Hyper-V enlightenments need KVM (domain type='kvm')");
  if (at(el, 'mode') === 'passthrough') ctx.cpuProps.push('hv-passthrough=on');
  for (const c of el.children) {
    if (at(c, 'state') !== 'on') continue;
    if (c.name === 'spinlocks') ctx.cpuProps.push(`hv-spinlocks=0x${(int(at(c, 'retries')) ?? 8191).toString(16)}`);
    else if (c.name === 'vendor_id') ctx.cpuProps.push(`hv-vendor-id=${qv(at(c, 'value') ?? '')}`);
    else if (HV_NAMES[c.name]) {
      ctx.cpuProps.push(`${HV_NAMES[c.name]}=on`);
      if (c.name === 'stimer' && at(kid(c, 'direct'), 'state') === 'on') ctx.cpuProps.push('hv-stimer-direct=on');
      if (c.name === 'tlbflush' && at(kid(c, 'direct'), 'state') === 'on') ctx.cpuProps.push('hv-tlbflush-direct=on');
      if (c.name === 'tlbflush' && at(kid(c, 'extended'), 'state') === 'on') ctx.cpuProps.push('hv-tlbflush-ext=on');
    } else refuse(ctx, c, 'this Hyper-V enlightenment is not supported by the local driver');
  }
}

export function emitFeatures(ctx: ArgvContext): void {
  const features = kid(ctx.root, 'features');
  const has = (n: string) => kid(features, n) !== undefined;
  // libvirt: no <acpi/> means no ACPI
  if (!has('acpi')) ctx.machineProps.push(['acpi', 'off']);
  for (const f of features?.children ?? []) {
    const state = at(f, 'state');
    switch (f.name) {
      case 'acpi':
      case 'pae':
        break;
      case 'apic':
        if (at(f, 'eoi') && ctx.accel === 'kvm') ctx.cpuProps.push(`kvm-pv-eoi=${at(f, 'eoi')}`);
        break;
      case 'vmport':
        ctx.machineProps.push(['vmport', state === 'on' ? 'on' : 'off']);
        break;
      case 'smm':
        if (kid(f, 'tseg')) refuse(ctx, f, 'a custom TSEG size is not supported');
        ctx.machineProps.push(['smm', state === 'off' ? 'off' : 'on']);
        break;
      case 'pmu':
        ctx.cpuProps.push(`pmu=${state === 'off' ? 'off' : 'on'}`);
        break;
      case 'pvspinlock':
        if (ctx.accel === 'kvm') ctx.cpuProps.push(`kvm-pv-unhalt=${state === 'off' ? 'off' : 'on'}`);
        break;
      case 'vmcoreinfo':
        if (state !== 'off') ctx.args.push('-device', 'vmcoreinfo');
        break;
      case 'ioapic':
        // driver='qemu' is the split irqchip; under TCG the IOAPIC is always QEMU's
        if (at(f, 'driver') === 'qemu' && ctx.accel === 'kvm') ctx.accelProps.push('kernel-irqchip=split');
        break;
      case 'kvm':
        for (const c of f.children) {
          if (c.name === 'hidden' && at(c, 'state') === 'on') ctx.cpuProps.push('kvm=off');
          else if (c.name !== 'hidden') refuse(ctx, c, 'in <features><kvm>: not supported by the local driver');
        }
        break;
      case 'hyperv':
        hyperv(ctx, f);
        break;
      default:
        refuse(ctx, f, 'this feature is not supported by the local driver for x86 guests');
    }
  }
}

export function emitClock(ctx: ArgvContext): void {
  const clock = kid(ctx.root, 'clock');
  const offset = at(clock, 'offset') ?? 'utc';
  let rtc = offset === 'localtime' ? 'base=localtime' : 'base=utc';
  if (offset === 'variable' && (int(at(clock, 'adjustment')) ?? 0) !== 0) refuse(ctx, clock!, "clock offset 'variable' with an adjustment is not supported; use utc or localtime");
  else if (!['utc', 'localtime', 'variable'].includes(offset)) refuse(ctx, clock!, `clock offset '${offset}' is not supported; use utc or localtime`);
  for (const t of kids(clock, 'timer')) {
    const name = at(t, 'name');
    const present = at(t, 'present');
    const tick = at(t, 'tickpolicy');
    switch (name) {
      case 'rtc':
        if (tick === 'catchup') rtc += ',driftfix=slew';
        break;
      case 'pit':
        // the lost-tick policy belongs to KVM's in-kernel PIT; TCG's PIT has none
        if (tick && ctx.accel === 'kvm') ctx.args.push('-global', `kvm-pit.lost_tick_policy=${tick === 'catchup' ? 'slew' : tick}`);
        if (present === 'no') ctx.machineProps.push(['pit', 'off']);
        break;
      case 'hpet':
        if (present) ctx.machineProps.push(['hpet', present === 'no' ? 'off' : 'on']);
        break;
      case 'kvmclock':
        if (present === 'no') ctx.cpuProps.push('kvmclock=off');
        break;
      case 'hypervclock':
        if (present === 'yes' && ctx.accel === 'kvm') ctx.cpuProps.push('hv-time=on');
        else if (present === 'yes') refuse(ctx, t, "needs KVM (domain type='kvm')");
        break;
      case 'tsc':
        if (at(t, 'frequency')) refuse(ctx, t, 'a fixed TSC frequency is not supported by the local driver');
        break;
      default:
        refuse(ctx, t, 'this timer is not supported by the local driver');
    }
  }
  ctx.args.push('-rtc', rtc);
}

export function emitPm(ctx: ArgvContext): void {
  const pm = kid(ctx.root, 'pm');
  const lpc = ctx.family === 'q35' ? 'ICH9-LPC' : 'PIIX4_PM';
  for (const c of pm?.children ?? []) {
    const enabled = at(c, 'enabled');
    if (c.name === 'suspend-to-mem' && enabled) ctx.args.push('-global', `${lpc}.disable_s3=${enabled === 'no' ? 1 : 0}`);
    else if (c.name === 'suspend-to-disk' && enabled) ctx.args.push('-global', `${lpc}.disable_s4=${enabled === 'no' ? 1 : 0}`);
    else if (c.name !== 'suspend-to-mem' && c.name !== 'suspend-to-disk') refuse(ctx, c, 'not supported by the local driver');
  }
}

export function emitLifecycle(ctx: ArgvContext): void {
  const text = (n: string) => kid(ctx.root, n)?.text;
  const poweroff = text('on_poweroff') ?? 'destroy';
  if (poweroff !== 'destroy') refuse(ctx, kid(ctx.root, 'on_poweroff')!, `'${poweroff}' needs a supervising daemon; the local driver supports only destroy (QEMU exits when the guest powers off)`);
  const reboot = text('on_reboot') ?? 'restart';
  if (reboot === 'destroy') ctx.args.push('-no-reboot');
  else if (reboot !== 'restart') refuse(ctx, kid(ctx.root, 'on_reboot')!, `'${reboot}' is not supported; use restart or destroy`);
  const crash = text('on_crash') ?? 'destroy';
  // only a panic device lets QEMU see a crash; without one the guest reboots or hangs by itself
  if (crash === 'preserve') ctx.args.push('-action', 'panic=pause');
  else if (crash === 'destroy') ctx.args.push('-action', 'panic=shutdown');
  else refuse(ctx, kid(ctx.root, 'on_crash')!, `'${crash}' needs a supervising daemon; use destroy or preserve`);
}

/** Firmware, direct kernel boot, boot menu, SMBIOS. Boot order itself is bootindex (bootIndexes). */
export function emitOs(ctx: ArgvContext): void {
  const os = kid(ctx.root, 'os');
  if (!os) return refuse(ctx, '<domain>', 'has no <os>');
  const o = ctx.config.os;
  const firmware = at(os, 'firmware');
  const loader = kid(os, 'loader');
  const nvram = kid(os, 'nvram');
  if (firmware === 'efi' && !loader?.text) refuse(ctx, os, "firmware='efi' needs <loader> and <nvram> paths: the local driver does not pick firmware files");
  else if (firmware !== undefined && firmware !== 'efi' && firmware !== 'bios') refuse(ctx, os, `firmware '${firmware}' is not supported`);
  if (loader?.text) {
    const type = at(loader, 'type') ?? 'rom';
    if (type === 'rom') ctx.args.push('-bios', loader.text);
    else if (type === 'pflash') {
      if (at(loader, 'secure') === 'yes') {
        ctx.machineProps.push(['smm', 'on']);
        ctx.args.push('-global', 'driver=cfi.pflash01,property=secure,value=on');
      }
      ctx.args.push('-drive', opts('if=pflash', ['format', 'raw'], ['unit', 0], ['file', loader.text], ['readonly', at(loader, 'readonly') === 'yes' ? 'on' : undefined]));
      if (nvram?.text) ctx.args.push('-drive', opts('if=pflash', ['format', at(nvram, 'format') ?? 'raw'], ['unit', 1], ['file', nvram.text]));
      else if (at(loader, 'stateless') !== 'yes') refuse(ctx, loader, 'a pflash loader needs an <nvram> file path (the local driver does not create one from a template)');
    } else refuse(ctx, loader, `loader type '${type}' is not supported`);
  } else if (nvram) refuse(ctx, nvram, 'an <nvram> without a <loader> path cannot be used');
  if (o.kernel) {
    ctx.args.push('-kernel', o.kernel);
    if (o.initrd) ctx.args.push('-initrd', o.initrd);
    if (o.cmdline) ctx.args.push('-append', o.cmdline);
  } else if (o.initrd || o.cmdline) refuse(ctx, kid(os, 'initrd') ?? kid(os, 'cmdline') ?? os, 'needs a <kernel>');
  const boot: string[] = [];
  for (const c of os.children) {
    switch (c.name) {
      case 'type':
      case 'loader':
      case 'nvram':
      case 'kernel':
      case 'initrd':
      case 'cmdline':
      case 'boot':
        break;
      case 'firmware':
        // firmware feature wishes belong to firmware='efi' autoselection, refused above
        if (firmware !== 'efi') refuse(ctx, c, "only used with firmware='efi'");
        break;
      case 'bootmenu':
        if (at(c, 'enable') === 'yes') boot.push('menu=on');
        if (at(c, 'enable') === 'yes' && at(c, 'timeout')) boot.push(`splash-time=${int(at(c, 'timeout'))}`);
        break;
      case 'bios':
        if (at(c, 'useserial') === 'yes') refuse(ctx, c, 'the serial graphics adapter (useserial) is not supported');
        if (at(c, 'rebootTimeout')) boot.push(`reboot-timeout=${int(at(c, 'rebootTimeout'))}`);
        break;
      case 'smbios':
        smbios(ctx, c);
        break;
      case 'acpi':
        for (const t of kids(c, 'table')) {
          if (at(t, 'type') === 'slic' && t.text) ctx.args.push('-acpitable', opts('sig=SLIC', ['file', t.text]));
          else refuse(ctx, t, 'only SLIC tables are supported');
        }
        break;
      default:
        refuse(ctx, c, 'in <os>: not supported by the local driver for x86 guests');
    }
  }
  if (boot.length) ctx.args.push('-boot', boot.join(','));
}

const SMBIOS_SECTIONS: Record<string, { type: number; keys: Record<string, string> }> = {
  bios: { type: 0, keys: { vendor: 'vendor', version: 'version', date: 'date', release: 'release' } },
  system: { type: 1, keys: { manufacturer: 'manufacturer', product: 'product', version: 'version', serial: 'serial', uuid: 'uuid', sku: 'sku', family: 'family' } },
  baseBoard: { type: 2, keys: { manufacturer: 'manufacturer', product: 'product', version: 'version', serial: 'serial', asset: 'asset', location: 'location' } },
  chassis: { type: 3, keys: { manufacturer: 'manufacturer', version: 'version', serial: 'serial', asset: 'asset', sku: 'sku' } },
};

/** <os><smbios mode='sysinfo'/> with <sysinfo type='smbios'> -> -smbios (cloud-init's ds=nocloud uses it). */
function smbios(ctx: ArgvContext, el: XmlElement): void {
  const mode = at(el, 'mode');
  if (mode === 'emulate') return;
  if (mode !== 'sysinfo') return refuse(ctx, el, `SMBIOS mode '${mode}' is not supported; use sysinfo or emulate`);
  for (const info of kids(ctx.root, 'sysinfo')) {
    const type = at(info, 'type');
    if (type === 'fwcfg') {
      for (const e of kids(info, 'entry')) {
        const file = at(e, 'file');
        ctx.args.push('-fw_cfg', file ? opts(`name=${qv(at(e, 'name') ?? '')}`, ['file', file]) : opts(`name=${qv(at(e, 'name') ?? '')}`, ['string', e.text]));
      }
      continue;
    }
    if (type !== 'smbios') {
      refuse(ctx, info, `sysinfo type '${type}' is not supported`);
      continue;
    }
    for (const section of info.children) {
      if (section.name === 'oemStrings') {
        for (const e of kids(section, 'entry')) ctx.args.push('-smbios', opts('type=11', ['value', e.text]));
        continue;
      }
      const spec = SMBIOS_SECTIONS[section.name];
      if (!spec) {
        refuse(ctx, section, 'this SMBIOS section is not supported by the local driver');
        continue;
      }
      const pairs: Array<[string, string]> = [];
      for (const e of kids(section, 'entry')) {
        const key = spec.keys[at(e, 'name') ?? ''];
        if (key) pairs.push([key, e.text]);
        else refuse(ctx, e, `unknown SMBIOS ${section.name} entry`);
      }
      if (pairs.length) ctx.args.push('-smbios', opts(`type=${spec.type}`, ...pairs));
    }
  }
}
