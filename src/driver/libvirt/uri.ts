// libvirt connection URIs: driver[+transport]://[user@][host][:port]/path[?query].
// Which ones the libvirt driver takes, whether they point at this machine, and the form handed
// to virsh (ssh ones never prompt for a password on the operator's terminal).
import { KvmtuiError } from '../errors.js';

export interface LibvirtUri {
  /** qemu, test, ... */
  driver: string;
  /** ssh, tcp, tls, unix, libssh, libssh2, ext, or '' */
  transport: string;
  /** '' for this machine */
  host: string;
  /** /system, /session, /default ... */
  path: string;
  /** query parameters, in order */
  params: [string, string][];
}

/** The hypervisor drivers kvmtui drives through libvirt. */
const DRIVERS = new Set(['qemu', 'test']);

const URI_RE = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;

export function parseLibvirtUri(uri: string): LibvirtUri {
  const m = URI_RE.exec(uri.trim());
  if (!m) throw new KvmtuiError('INVALID_CONFIG', `'${uri}' is not a libvirt connection URI (e.g. qemu:///system, qemu+ssh://host/system)`);
  const authority = m[3];
  // user@host:port -> host; [v6]:port -> v6
  const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d*$/, '');
  const params: [string, string][] = (m[5] ?? '')
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf('=');
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      };
      return i < 0 ? [dec(kv), ''] : [dec(kv.slice(0, i)), dec(kv.slice(i + 1))];
    });
  return { driver: m[1].toLowerCase(), transport: (m[2] ?? '').toLowerCase(), host, path: m[4] ?? '', params };
}

/** A URI the libvirt driver handles: qemu and test, any transport. */
export function isLibvirtUri(uri: string): boolean {
  try {
    const u = parseLibvirtUri(uri);
    return DRIVERS.has(u.driver) && u.driver + (u.transport ? `+${u.transport}` : '') !== 'qemu+local';
  } catch {
    return false;
  }
}

/** The connection is to this machine (no host part), so /proc and local files are the host's. */
export function isLocalUri(uri: string): boolean {
  const u = parseLibvirtUri(uri);
  return u.host === '' && (u.transport === '' || u.transport === 'unix');
}

const SSH_TRANSPORTS = new Set(['ssh', 'libssh', 'libssh2']);

/**
 * The URI virsh gets for unattended calls. ssh transports get no_tty=1 (libvirt then runs ssh with
 * BatchMode): a host that wants a password fails at once instead of prompting on the operator's
 * terminal underneath the TUI. Use ssh keys or an agent.
 */
export function unattendedUri(uri: string): string {
  const u = parseLibvirtUri(uri);
  if (!SSH_TRANSPORTS.has(u.transport) || u.params.some(([k]) => k === 'no_tty')) return uri;
  return uri + (uri.includes('?') ? '&' : '?') + 'no_tty=1';
}
