// The last gate between guest output and the operator's terminal: text drawn in the console pane
// may hold printable characters only. Cells from the emulator should never contain controls,
// but this filter does not rely on that.

// C0 controls, DEL, C1 controls (8-bit CSI/OSC/DCS/ST...), bidi overrides and isolates (they can
// reorder what the operator reads), and line/paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

export function safeText(text: string): string {
  return text.replace(UNSAFE, '');
}

export function isSafeText(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const ok = !UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return ok;
}
