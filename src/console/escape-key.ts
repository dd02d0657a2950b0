// The key that leaves a console (Ctrl-] by default, as telnet and virsh use), configurable with
// --console-escape: a control character, written ^X or Ctrl-X.
import { KvmtuiError } from '../driver/errors.js';

export const DEFAULT_ESCAPE = '\x1d';

/** '^]' / 'Ctrl-]' / 'ctrl-a' -> the control byte; anything else is a clear error. */
export function parseEscapeKey(text: string): string {
  const m = /^(?:\^|ctrl-)(.)$/i.exec(text.trim());
  const ch = m?.[1].toUpperCase();
  const code = ch ? ch.charCodeAt(0) - 0x40 : -1;
  // @ is NUL, [ is Esc, M is Enter, I is Tab, H is Backspace: keys a guest shell cannot do without
  if (!ch || code < 1 || code > 0x1f || '[MIH'.includes(ch)) {
    throw new KvmtuiError('INVALID_CONFIG', `--console-escape '${text}': give a control key such as ^] (default), ^A or Ctrl-_ (not ^[, ^M, ^I, ^H)`);
  }
  return String.fromCharCode(code);
}

/** the byte as an operator reads it: '\x1d' -> 'Ctrl-]' */
export function escapeKeyLabel(key: string): string {
  return `Ctrl-${String.fromCharCode(key.charCodeAt(0) + 0x40)}`;
}
