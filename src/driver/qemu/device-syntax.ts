// The text forms of device changes, shared by the scripting CLI and the TUI forms: port-forward
// rules, sizes, scopes, and the equivalent `kvmtui VERB ...` line a confirmation shows.
// Pure functions: no I/O.
import type { ChangeScope, DiskAttachSpec, InterfaceAttachSpec, PortForward } from '../driver.js';
import { KvmtuiError } from '../errors.js';
import { parseSize } from '../../domain/index.js';

function invalid(message: string): KvmtuiError {
  return new KvmtuiError('INVALID_CONFIG', message);
}

function port(text: string, rule: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(`invalid port forward '${rule}': '${text}' is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw invalid(`invalid port forward '${rule}': port ${n} is out of range (1-65535)`);
  return n;
}

/**
 * A port-forward rule as an operator types it:
 *   tcp:2222:22                 host port 2222 -> guest port 22 (tcp is the default: 2222:22)
 *   tcp:127.0.0.1:2222:22       only on one host address
 *   tcp:127.0.0.1:2222-:22      QEMU's own hostfwd syntax is accepted too
 */
export function parsePortForward(rule: string): PortForward {
  const r = rule.trim();
  if (!r) throw invalid('empty port forward: expected e.g. tcp:2222:22 (host port 2222 to guest port 22)');
  let protocol: 'tcp' | 'udp' = 'tcp';
  let rest = r;
  const proto = /^(tcp|udp):/i.exec(r);
  if (proto) {
    protocol = proto[1].toLowerCase() as 'tcp' | 'udp';
    rest = r.slice(proto[0].length);
  } else if (/^[a-z]+:/i.test(r)) {
    throw invalid(`invalid port forward '${rule}': the protocol must be tcp or udp`);
  }
  const qemu = /^([^-]*?):?(\d+)-([^:]*):(\d+)$/.exec(rest);
  if (qemu && rest.includes('-')) {
    const [, hostAddress, hp, guestAddress, gp] = qemu;
    return clean({ protocol, hostAddress, hostPort: port(hp, rule), guestAddress, guestPort: port(gp, rule) });
  }
  const parts = rest.split(':');
  if (parts.length === 2) return { protocol, hostPort: port(parts[0], rule), guestPort: port(parts[1], rule) };
  if (parts.length === 3) return clean({ protocol, hostAddress: parts[0], hostPort: port(parts[1], rule), guestPort: port(parts[2], rule) });
  throw invalid(`invalid port forward '${rule}': expected [tcp|udp:][HOSTADDR:]HOSTPORT:GUESTPORT, e.g. tcp:2222:22`);
}

function clean(f: PortForward): PortForward {
  const out: PortForward = { protocol: f.protocol, hostPort: f.hostPort, guestPort: f.guestPort };
  if (f.hostAddress) {
    if (!/^[0-9A-Fa-f.:]+$/.test(f.hostAddress)) throw invalid(`invalid port forward host address '${f.hostAddress}': not an IP address`);
    out.hostAddress = f.hostAddress;
  }
  if (f.guestAddress) {
    if (!/^[0-9.]+$/.test(f.guestAddress)) throw invalid(`invalid port forward guest address '${f.guestAddress}': not an IPv4 address`);
    out.guestAddress = f.guestAddress;
  }
  return out;
}

/** Back to the short form parsePortForward reads: tcp:2222:22, tcp:127.0.0.1:2222:22. */
export function formatPortForward(f: PortForward): string {
  if (f.guestAddress) return `${f.protocol}:${f.hostAddress ?? ''}:${f.hostPort}-${f.guestAddress}:${f.guestPort}`;
  return `${f.protocol}:${f.hostAddress ? `${f.hostAddress}:` : ''}${f.hostPort}:${f.guestPort}`;
}

/** A disk size as typed in a form or after --size: '10G', '512M', '1.5T'; a bare number is bytes. */
export function parseDiskSize(text: string): number {
  return parseSize(text);
}

/** virsh blockresize's SIZE: a bare number is KiB (virsh's rule); with a unit, as parseDiskSize. */
export function parseBlockresizeSize(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t) * 1024;
    if (n === 0) throw invalid(`invalid size '${text}': a size must be greater than 0`);
    return n;
  }
  return parseSize(t);
}

/** A short size for a command line: 64M, 10G, or plain bytes when no unit divides it. */
export function sizeArg(bytes: number): string {
  for (const [unit, mult] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes % mult === 0) return `${bytes / mult}${unit}`;
  }
  return String(bytes);
}

/** virsh's scope flags, as kvmtui writes them. */
export function scopeFlags(scope: ChangeScope): string[] {
  if (scope.live && scope.config) return ['--live', '--config'];
  if (scope.live) return ['--live'];
  return ['--config'];
}

/**
 * virsh's rules for --live/--config/--persistent/--current: no flag (or --current) means the
 * running domain when it runs, else the config; --persistent means both when it runs.
 */
export function scopeFromFlags(flags: Record<string, string | boolean>, running: boolean): ChangeScope {
  const current = !!flags.current;
  if (current && (flags.live || flags.config || flags.persistent)) {
    throw invalid('--current cannot be combined with --live, --config or --persistent');
  }
  if (flags.persistent) return { live: running, config: true };
  if (flags.live || flags.config) return { live: !!flags.live, config: !!flags.config };
  return running ? { live: true, config: false } : { live: false, config: true };
}

/** Quote an argument for a shell only when it needs it. */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function line(parts: Array<string | undefined | false>): string {
  return ['kvmtui', ...parts.filter((p): p is string => !!p)].map(shellArg).join(' ');
}

/** The equivalent CLI lines, for confirmations in the TUI. */
export const cliText = {
  attachDisk(name: string, spec: DiskAttachSpec, scope: ChangeScope): string {
    return line([
      'attach-disk',
      name,
      spec.source || '-',
      spec.target ?? '-',
      ...(spec.bus ? ['--targetbus', spec.bus] : []),
      ...(spec.format ? ['--subdriver', spec.format] : []),
      ...(spec.device === 'cdrom' ? ['--type', 'cdrom'] : []),
      ...(spec.readonly ? ['--mode', 'readonly'] : []),
      ...(spec.createSizeBytes !== undefined ? ['--size', sizeArg(spec.createSizeBytes)] : []),
      ...scopeFlags(scope),
    ]);
  },
  detachDisk(name: string, target: string, scope: ChangeScope, deleteImage?: boolean): string {
    return line(['detach-disk', name, target, ...scopeFlags(scope), deleteImage && '--delete-image']);
  },
  blockResize(name: string, target: string, sizeBytes: number, allowShrink?: boolean): string {
    return line(['blockresize', name, target, sizeArg(sizeBytes), allowShrink && '--allow-shrink']);
  },
  changeMedia(name: string, target: string, source: string | null, scope: ChangeScope): string {
    return line(['change-media', name, target, ...(source === null ? ['--eject'] : [source, '--insert']), ...scopeFlags(scope)]);
  },
  attachInterface(name: string, spec: InterfaceAttachSpec, scope: ChangeScope): string {
    return line([
      'attach-interface',
      name,
      spec.type,
      spec.source,
      ...(spec.targetDev ? ['--target', spec.targetDev] : []),
      ...(spec.model ? ['--model', spec.model] : []),
      ...(spec.mac ? ['--mac', spec.mac] : []),
      ...(spec.portForwards?.length ? ['--hostfwd', spec.portForwards.map(formatPortForward).join(',')] : []),
      ...scopeFlags(scope),
    ]);
  },
  detachInterface(name: string, type: string, mac: string, scope: ChangeScope): string {
    return line(['detach-interface', name, type, '--mac', mac, ...scopeFlags(scope)]);
  },
  setLink(name: string, mac: string, state: 'up' | 'down', scope: ChangeScope): string {
    return line(['domif-setlink', name, mac, state, ...scopeFlags(scope)]);
  },
  addPortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): string {
    return line(['hostfwd-add', name, mac, formatPortForward(fwd), ...scopeFlags(scope)]);
  },
  removePortForward(name: string, mac: string, fwd: PortForward, scope: ChangeScope): string {
    return line(['hostfwd-remove', name, mac, formatPortForward(fwd), ...scopeFlags(scope)]);
  },
};
