// Where the tiny test guest (built by scripts/build-guest.sh, `npm run guest`) lives.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface GuestPaths {
  kernel: string;
  initrd: string;
}

/** The banner /init prints on the serial console once the guest is up. */
export const GUEST_BANNER = 'kvmtui-test-guest ready';

/** Memory to give the guest. The Debian cloud kernel hangs silently below about 72 MB. */
export const GUEST_MEMORY_MB = 128;

export function guestDir(): string {
  return process.env.KVMTUI_GUEST_DIR || join(homedir(), '.cache', 'kvmtui', 'guest');
}

function nonEmptyFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile() && statSync(p).size > 0;
  } catch {
    return false;
  }
}

/** The built guest's kernel and initrd, or null when it has not been built. */
export function guestPaths(): GuestPaths | null {
  const dir = guestDir();
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.gz');
  return nonEmptyFile(kernel) && nonEmptyFile(initrd) ? { kernel, initrd } : null;
}

/** Like guestPaths(), but a missing guest is a clear failure instead of a silent skip. */
export function requireGuest(): GuestPaths {
  const p = guestPaths();
  if (!p) {
    throw new Error(`test guest not found in ${guestDir()}: run \`npm run guest\` (scripts/build-guest.sh) first`);
  }
  return p;
}
