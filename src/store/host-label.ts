// Short names for connections, for the HOST column and the host summary lines: which host a
// domain lives on, in a word, not its URI. qemu+ssh://op@web3/system -> 'web3',
// qemu:///system -> 'local (system)', test:///default -> 'test', qemu+local:///srv/kvmtui ->
// 'local' (the home's basename when there are several local homes).
import { parseLibvirtUri, type LibvirtUri } from '../driver/libvirt/uri.js';

function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? '';
}

function isKvmtuiHome(u: LibvirtUri): boolean {
  return u.driver === 'qemu' && u.transport === 'local';
}

function parse(uri: string): LibvirtUri | undefined {
  try {
    return parseLibvirtUri(uri);
  } catch {
    return undefined;
  }
}

/** The label of one connection; `homes` is how many kvmtui homes (qemu+local) are open. */
function labelOf(u: LibvirtUri, homes: number): string {
  if (isKvmtuiHome(u)) return (homes > 1 && basename(u.path)) || 'local';
  const path = u.path.replace(/^\/+/, '');
  if (u.host) return path && path !== 'system' ? `${u.host} (${path})` : u.host;
  if (u.driver === 'test') return path && path !== 'default' ? `test (${basename(path)})` : 'test';
  const where = u.driver === 'qemu' ? 'local' : u.driver;
  return path ? `${where} (${path})` : where;
}

/**
 * A label per URI, in the order given. Labels that would come out the same (two users on one
 * host, two homes with one basename) fall back to the URI without its scheme, which differs.
 */
export function hostLabels(uris: readonly string[]): Map<string, string> {
  const parsed = uris.map((uri) => [uri, parse(uri)] as const);
  const homes = parsed.filter(([, u]) => u && isKvmtuiHome(u)).length;
  const first = parsed.map(([uri, u]) => [uri, u ? labelOf(u, homes) : uri] as const);
  const count = new Map<string, number>();
  for (const [, l] of first) count.set(l, (count.get(l) ?? 0) + 1);
  return new Map(first.map(([uri, l]) => [uri, (count.get(l) ?? 0) > 1 ? uri.replace(/^[a-z][a-z0-9+]*:\/\//i, '') : l]));
}

/** The label of `uri` among the connections `all` (which should include it). */
export function hostLabel(uri: string, all: readonly string[] = [uri]): string {
  return hostLabels(all.includes(uri) ? all : [...all, uri]).get(uri) ?? uri;
}
